"""Secrets of the till's users (issue 9, point 7): Argon2id PIN hashes with OWASP's parameters, the lockout
after five wrong tries, and the optional TOTP second factor — all through the services, on the injected
clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

from pos_desktop.core.errors import AccountLocked, AuthError, InvalidInput, PermissionDenied
from pos_desktop.services import auth, totp

ARGON2ID_OWASP = "$argon2id$v=19$m=19456,t=2,p=1$"


def test_pins_are_argon2id_with_owasps_parameters(ctx) -> None:  # type: ignore[no-untyped-def]
    stored = [h for (h,) in ctx.products.query("SELECT pin_hash FROM users")]
    assert len(stored) == 5 and all(h.startswith(ARGON2ID_OWASP) for h in stored), stored
    assert len({h for h in stored}) == 5   # salted: equal PINs would still differ
    fresh = auth.hash_pin("1234")
    assert fresh.startswith(ARGON2ID_OWASP) and fresh != auth.hash_pin("1234")
    hasher = PasswordHasher()
    assert hasher.verify(fresh, "1234")
    with pytest.raises(VerifyMismatchError):
        hasher.verify(fresh, "1235")


def test_five_wrong_pins_lock_for_five_minutes(ctx, clock) -> None:  # type: ignore[no-untyped-def]
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthError, match=f"{left} tr"):
            auth.login(ctx, "amy", "0000")
    with pytest.raises(AccountLocked, match="locked for 5 minutes"):
        auth.login(ctx, "amy", "0000")
    with pytest.raises(AccountLocked, match="try again after"):
        auth.login(ctx, "amy", "1111")   # even the right PIN, while locked
    clock.advance(minutes=4, seconds=59)
    with pytest.raises(AccountLocked):
        auth.login(ctx, "amy", "1111")
    clock.advance(seconds=2)
    assert auth.login(ctx, "amy", "1111").username == "amy"
    with pytest.raises(AuthError, match="4 tries left"):   # the count starts again after a good login
        auth.login(ctx, "amy", "0000")
    assert auth.login(ctx, "sam", "3333").username == "sam"   # another user was never touched


def test_totp_is_needed_once_switched_on(ctx, clock, admin) -> None:  # type: ignore[no-untyped-def]
    shown = totp.enable(ctx, admin, "admin")
    secret = shown["secret"]
    assert shown["uri"].startswith("otpauth://totp/POS:admin%40S01?secret=" + secret)
    with pytest.raises(AuthError) as needed:
        auth.login(ctx, "admin", "1234")
    assert needed.value.code == "otp_required"
    with pytest.raises(AuthError, match="Wrong PIN or one-time code") as wrong:
        auth.login(ctx, "admin", "1234", "000000" if totp.current_code(secret, clock.now()) != "000000" else "111111")
    assert wrong.value.code == "wrong_pin"
    with pytest.raises(AuthError, match="Wrong PIN or one-time code"):   # the same words for a wrong PIN
        auth.login(ctx, "admin", "9999", totp.current_code(secret, clock.now()))
    assert auth.login(ctx, "admin", "1234", totp.current_code(secret, clock.now())).role == "admin"
    earlier = totp.current_code(secret, clock.now() - timedelta(seconds=30))
    assert auth.login(ctx, "admin", "1234", earlier).username == "admin"   # one step of drift is fine
    stale = totp.current_code(secret, clock.now() - timedelta(seconds=90))
    with pytest.raises(AuthError):
        auth.login(ctx, "admin", "1234", stale)
    assert auth.login(ctx, "amy", "1111").username == "amy"   # users without TOTP log in as before


def test_wrong_codes_count_towards_the_lockout(ctx, clock, admin) -> None:  # type: ignore[no-untyped-def]
    secret = totp.enable(ctx, admin, "mia")["secret"]
    good = totp.current_code(secret, clock.now())
    bad = f"{(int(good) + 500_000) % 1_000_000:06d}"
    for _ in range(4):
        with pytest.raises(AuthError):
            auth.login(ctx, "mia", "9999", bad)
    with pytest.raises(AccountLocked):
        auth.login(ctx, "mia", "9999", bad)
    with pytest.raises(AccountLocked):
        auth.login(ctx, "mia", "9999", good)


def test_who_may_switch_it_and_the_secret_is_never_journaled(ctx, clock, admin, cashier) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        totp.enable(ctx, cashier, "sam")   # someone else's: user.manage
    secret = totp.enable(ctx, cashier, "amy")["secret"]   # one's own
    replaced = totp.enable(ctx, admin, "amy")["secret"]   # an admin may reset it (a lost phone)
    assert replaced != secret
    text = " ".join(e for (e,) in ctx.products.query("SELECT entry FROM journal")) + " ".join(
        p for (p,) in ctx.products.query("SELECT payload FROM outbox"))
    assert secret not in text and replaced not in text
    kinds = [k for (k,) in ctx.products.query("SELECT kind FROM journal ORDER BY seq DESC LIMIT 2")]
    assert kinds == ["user_totp_enabled", "user_totp_enabled"]
    assert totp.disable(ctx, admin, "amy") == {"user": "amy", "totp": False}
    assert auth.login(ctx, "amy", "1111").username == "amy"
    with pytest.raises(InvalidInput, match="no one-time codes"):
        totp.disable(ctx, admin, "amy")
