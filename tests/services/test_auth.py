from datetime import timedelta

import pytest

from pos_desktop.core.errors import AccountLocked, AuthError, InvalidInput, PermissionDenied
from pos_desktop.services import auth


def test_wrong_pins_lock_for_five_minutes(ctx, clock):
    for left in ("4 tries", "3 tries", "2 tries", "1 try"):
        with pytest.raises(AuthError, match=f"Wrong PIN for amy \\({left} left\\)"):
            auth.login(ctx, "amy", "0000")
    with pytest.raises(AccountLocked, match="now locked for 5 minutes"):
        auth.login(ctx, "amy", "0000")
    with pytest.raises(AccountLocked, match="locked"):
        auth.login(ctx, "amy", "1111")                    # even the right PIN, while locked
    clock.advance(minutes=5, seconds=1)
    assert auth.login(ctx, "amy", "1111").username == "amy"


def test_a_good_login_resets_the_count(ctx):
    for _ in range(4):
        with pytest.raises(AuthError):
            auth.login(ctx, "amy", "0000")
    auth.login(ctx, "amy", "1111")
    with pytest.raises(AuthError, match="4 tries left"):
        auth.login(ctx, "amy", "0000")


def test_unknown_user(ctx):
    with pytest.raises(AuthError, match="Unknown user bob") as err:
        auth.login(ctx, "bob", "1234")
    assert err.value.exit_code == 4


def test_pins_are_stored_as_argon2id(ctx):
    import sqlite3
    conn = sqlite3.connect(ctx.db.path)
    (pin_hash,), = conn.execute("SELECT pin_hash FROM users WHERE username = 'amy'").fetchall()
    conn.close()
    assert pin_hash.startswith("$argon2id$") and "1111" not in pin_hash


def test_only_admins_add_users_and_pins_are_checked(ctx, admin, manager):
    with pytest.raises(PermissionDenied):
        auth.add_user(ctx, manager, "zoe", "cashier", "5555")
    with pytest.raises(InvalidInput, match="4 to 12 digits"):
        auth.add_user(ctx, admin, "zoe", "cashier", "12")
    with pytest.raises(InvalidInput, match="Unknown role"):
        auth.add_user(ctx, admin, "zoe", "boss", "5555")
    with pytest.raises(InvalidInput, match="already a user named amy"):
        auth.add_user(ctx, admin, "amy", "cashier", "5555")
    assert auth.add_user(ctx, admin, "zoe", "cashier", "5555").role.value == "cashier"


def test_manager_override_records_who_approved(ctx, cashier, manager, supervisor):
    from pos_desktop.core.permissions import Action
    assert auth.require(cashier, Action.VOID_SALE, supervisor) == supervisor
    assert auth.require(supervisor, Action.VOID_SALE) is None
    with pytest.raises(PermissionDenied, match="amy may not approve"):
        auth.require(cashier, Action.VOID_SALE, cashier)
    assert timedelta(minutes=5) == auth.LOCKOUT
