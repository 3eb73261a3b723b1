"""What every command shares: opening the till named by ``--data-dir`` and authenticating its user."""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date
from typing import Any, Iterator

from .. import logs, paths
from ..core.errors import AuthError, InvalidInput
from ..core.i18n import _
from ..services import auth, till
from ..services.auth import Operator
from ..services.context import Context


def data_dir(args: Any):  # type: ignore[no-untyped-def]
    return paths.data_dir(getattr(args, "data_dir", None))


@contextmanager
def open_ctx(args: Any) -> Iterator[Context]:
    folder = data_dir(args)
    paths.make_private_files(folder)
    logs.setup(folder)
    ctx = till.open_till(folder)
    try:
        yield ctx
    finally:
        ctx.close()


def login(ctx: Context, args: Any, creds: tuple[str, str] | None = None) -> Operator:
    """The user doing the command: from the file's credentials, ``--user/--pin``, or POS_USER/POS_PIN."""
    user, pin = creds if creds else credentials(args)
    if not user:
        raise AuthError(_("This command changes data: give --user and --pin (or POS_USER and POS_PIN)"),
                        code="auth_required")
    return auth.login(ctx, user, pin or "", one_time_code(args, "otp", "POS_OTP"))


def credentials(args: Any) -> tuple[str, str]:
    """``--user/--pin``, or POS_USER/POS_PIN; refused when there is no user."""
    user, pin = (getattr(args, "user", None) or os.environ.get("POS_USER"),
                 getattr(args, "pin", None) or os.environ.get("POS_PIN"))
    if not user:
        raise AuthError(_("This command changes data: give --user and --pin (or POS_USER and POS_PIN)"),
                        code="auth_required")
    return user, pin or ""


def approver(ctx: Context, args: Any, creds: tuple[str, str] | None = None) -> Operator | None:
    user, pin = creds if creds else (getattr(args, "approver", None), getattr(args, "approver_pin", None))
    if not user:
        return None
    return auth.login(ctx, user, pin or "", one_time_code(args, "approver_otp", "POS_APPROVER_OTP"))


def one_time_code(args: Any, name: str, env: str) -> str | None:
    """The TOTP code of ``--otp`` / ``--approver-otp``, or of the environment (docs/security.md)."""
    return getattr(args, name, None) or os.environ.get(env) or None


def parse_date(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(_("{what} must be a date like 2026-11-27, not {text!r}").format(what=what, text=text),
                           code="bad_date") from None
