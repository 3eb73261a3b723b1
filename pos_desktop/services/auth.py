"""Users, PINs and permissions.

PINs are Argon2id hashes (argon2-cffi, OWASP's minimum parameters: m = 19 MiB, t = 2, p = 1, so a login
stays well under 100 ms). Five wrong PINs (or one-time codes, for a user with TOTP) lock the user for five
minutes. A permission a user lacks may be granted for one action by an
approver (a manager override) whose role has it; the approver is recorded in the journal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from ..core.clock import iso
from ..core.errors import AccountLocked, AuthError, InvalidInput, PermissionDenied
from ..core.i18n import _, ngettext
from ..core.labels import role_name
from ..core.ids import new_id
from ..core.permissions import DEFAULT_DISCOUNT_LIMITS, Action, Role, allowed, describe, parse_role
from ..store.models import User
from .context import Context
from .unit import write

MAX_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=5)
PIN_RE = re.compile(r"^\d{4,12}$")
USERNAME_RE = re.compile(r"^[\w.\-]{1,50}$")
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@dataclass(frozen=True)
class Operator:
    """An authenticated user; only ``login`` makes one."""

    id: str
    username: str
    display_name: str
    role: Role


def operator_by_id(ctx: Context, user_id: str) -> Operator | None:
    """The user behind a stored approval (a suspended sale keeps who approved its discounts)."""
    with ctx.db.read() as session:
        user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    return Operator(user.id, user.username, user.display_name, Role(user.role))


def hash_pin(pin: str) -> str:
    if not PIN_RE.match(pin or ""):
        raise InvalidInput(_("A PIN is 4 to 12 digits"))
    return _hasher.hash(pin)


def _verify(pin_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def login(ctx: Context, username: str, pin: str, otp: str | None = None) -> Operator:
    """Check a user's PIN — and the one-time code of their authenticator app when they have TOTP switched
    on (``services.totp``). A wrong PIN or code is counted (committed even though this raises); the fifth
    locks. With TOTP on, the message does not say which of the two was wrong."""
    if not username or pin is None:
        raise AuthError(_("A user name and a PIN are needed"), code="auth_required")
    from .totp import code_ok
    with write(ctx) as unit:
        user = unit.session.scalar(select(User).where(User.username == username))
        if user is None or not user.active:
            raise AuthError(_("Unknown user {name}").format(name=username))
        if user.locked_until and datetime.fromisoformat(user.locked_until) > unit.now:
            raise AccountLocked(_("{name} is locked after {n} wrong PINs; try again after {time}").format(
                name=username, n=MAX_ATTEMPTS, time=datetime.fromisoformat(user.locked_until).strftime("%H:%M")))
        if user.totp_secret and not otp:
            raise AuthError(_("{name} also needs the one-time code of their authenticator app").format(
                name=username), code="otp_required")
        pin_ok = _verify(user.pin_hash, str(pin))
        if pin_ok and (not user.totp_secret or code_ok(user.totp_secret, otp, unit.now)):
            user.failed_attempts, user.locked_until = 0, None
            return Operator(user.id, user.username, user.display_name, Role(user.role))
        user.failed_attempts += 1
        left = MAX_ATTEMPTS - user.failed_attempts
        if left <= 0:
            user.failed_attempts, user.locked_until = 0, iso(unit.now + LOCKOUT)
            error: AuthError = AccountLocked(_("Wrong PIN; {name} is now locked for {minutes} minutes").format(
                name=username, minutes=int(LOCKOUT.total_seconds() // 60)))
        elif user.totp_secret:
            error = AuthError(ngettext("Wrong PIN or one-time code for {name} ({left} try left)",
                                       "Wrong PIN or one-time code for {name} ({left} tries left)", left).format(
                name=username, left=left), code="wrong_pin")
        else:
            error = AuthError(ngettext("Wrong PIN for {name} ({left} try left)",
                                       "Wrong PIN for {name} ({left} tries left)", left).format(
                name=username, left=left), code="wrong_pin")
    raise error


class _NoOverride:
    """``require``'s default: the service takes no approver (user management, backups, counting, transfers…)."""


NO_OVERRIDE = _NoOverride()


def require(operator: Operator, action: Action,
            approver: Operator | None | _NoOverride = NO_OVERRIDE) -> Operator | None:
    """Allow ``action`` for ``operator``, or through ``approver``; returns who approved (None if not needed).
    A service that accepts a manager override passes its ``approver`` (None when there is none); one that does
    not leaves it out, and its refusal says who must do it instead of asking for an approval it would ignore."""
    if allowed(operator.role, action):
        return None
    if isinstance(approver, Operator) and allowed(approver.role, action):
        return approver
    if isinstance(approver, Operator):
        raise PermissionDenied(_("{approver} may not approve this: {action}").format(
            approver=approver.username, action=describe(action)))
    names = {"name": operator.username, "role": role_name(operator.role), "action": describe(action)}
    if not any(allowed(role, action) for role in (Role.SUPERVISOR, Role.MANAGER)):
        raise PermissionDenied(_("{name} ({role}) may not {action}; only an administrator may").format(**names))
    if approver is NO_OVERRIDE:
        raise PermissionDenied(_("{name} ({role}) may not {action}; a manager must do it").format(**names))
    raise PermissionDenied(_("{name} ({role}) may not {action}; a manager must approve").format(**names))


def discount_limit(ctx: Context, role: Role) -> Decimal:
    overrides = ctx.setting("discount_limits")
    if role.value in overrides:
        return Decimal(overrides[role.value])
    return DEFAULT_DISCOUNT_LIMITS[role]


def require_discount(ctx: Context, operator: Operator, percent: Decimal,
                     approver: Operator | None) -> Operator | None:
    """A discount of ``percent`` needs the operator's limit, or an approver whose limit covers it."""
    require(operator, Action.DISCOUNT, approver)
    if percent <= discount_limit(ctx, operator.role):
        return None
    if approver is not None and allowed(approver.role, Action.DISCOUNT_OVER_LIMIT) and \
            percent <= discount_limit(ctx, approver.role):
        return approver
    raise PermissionDenied(_("A {pct} % discount is above {name}'s limit of {limit} %; a manager must approve")
                           .format(pct=_plain(percent), name=operator.username,
                                   limit=_plain(discount_limit(ctx, operator.role))))


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def add_user(ctx: Context, admin: Operator, username: str, role: str, pin: str,
             display_name: str | None = None) -> Operator:
    """Create a user (``user.manage``); one transaction with its journal entry and outbox event."""
    require(admin, Action.USER_MANAGE)
    if not USERNAME_RE.match(username or ""):
        raise InvalidInput(_("A user name is 1 to 50 letters, digits, '.', '-' or '_'"))
    role_value = parse_role(role)
    pin_hash = hash_pin(pin)
    with write(ctx) as unit:
        if unit.session.scalar(select(User.id).where(User.username == username)):
            raise InvalidInput(_("There is already a user named {name}").format(name=username))
        user = User(id=new_id(), username=username, display_name=display_name or username, role=role_value.value,
                    pin_hash=pin_hash, created_at=unit.at)
        unit.session.add(user)
        payload = {"user_id": user.id, "username": username, "role": role_value.value}
        digest = unit.journal("user_added", user.id, payload, user=admin.username)
        unit.outbox("user.created", {**payload, "display_name": user.display_name, "pin_hash": pin_hash}, digest)
    return Operator(user.id, username, user.display_name, role_value)
