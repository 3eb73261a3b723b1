"""The optional second factor of till users: TOTP (RFC 6238, 30-second steps, 6 digits) with pyotp.

A user with a TOTP secret logs in with the PIN and the current code of an authenticator app. The secret is
made here, shown once (as base32 and as an ``otpauth://`` URI for a QR code), kept in the till database
(owner-only, like the PIN hashes) and never journaled, pushed to the server or logged. A code of the step
before or after is accepted too (clocks drift).
"""

from __future__ import annotations

import re
from datetime import datetime

import pyotp
from sqlalchemy import select

from ..core.errors import InvalidInput, NotFound
from ..core.i18n import _
from ..core.permissions import Action
from ..store.models import User
from .auth import Operator, require
from .context import Context
from .unit import write

ISSUER = "POS"
CODE_RE = re.compile(r"^\d{6}$")


def new_secret() -> str:
    return pyotp.random_base32()


def code_ok(secret: str, code: str | None, at: datetime) -> bool:
    """Whether ``code`` is the secret's code at ``at`` (or one step either side)."""
    code = (code or "").replace(" ", "")
    return bool(CODE_RE.match(code)) and pyotp.TOTP(secret).verify(code, for_time=at, valid_window=1)


def current_code(secret: str, at: datetime) -> str:
    """The code an authenticator app shows at ``at`` (tests, and a set-up check)."""
    return pyotp.TOTP(secret).at(at)


def _may_change(operator: Operator, username: str) -> None:
    """A user switches their own second factor; someone else's needs ``user.manage``."""
    if operator.username != username:
        require(operator, Action.USER_MANAGE)


def enable(ctx: Context, operator: Operator, username: str) -> dict[str, str]:
    """Give ``username`` a new TOTP secret (replacing any); from now on their login needs a code. One
    transaction with a ``user_totp_enabled`` journal entry (without the secret). Returns the secret and its
    ``otpauth://`` URI: the only time they are shown."""
    _may_change(operator, username)
    secret = new_secret()
    with write(ctx) as unit:
        user = unit.session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(_("Unknown user {name}").format(name=username), code="unknown_user")
        user.totp_secret = secret
        unit.journal("user_totp_enabled", user.id, {"username": username}, user=operator.username)
    uri = pyotp.TOTP(secret).provisioning_uri(name=f"{username}@{ctx.till.store_code}", issuer_name=ISSUER)
    return {"user": username, "secret": secret, "uri": uri}


def disable(ctx: Context, operator: Operator, username: str) -> dict[str, object]:
    """Remove ``username``'s second factor; one transaction with a ``user_totp_disabled`` journal entry."""
    _may_change(operator, username)
    with write(ctx) as unit:
        user = unit.session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(_("Unknown user {name}").format(name=username), code="unknown_user")
        if user.totp_secret is None:
            raise InvalidInput(_("{name} has no one-time codes switched on").format(name=username),
                               code="totp_off")
        user.totp_secret = None
        unit.journal("user_totp_disabled", user.id, {"username": username}, user=operator.username)
    return {"user": username, "totp": False}
