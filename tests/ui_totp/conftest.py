"""The one-time-code fields of the screens: the till's real window on a real till folder (fixtures of
``tests/ui``), with TOTP switched on for admin and mia through the services before the window opens. Codes are
made for the window's clock (``auth.login`` checks them at ``ctx.clock``), as the authenticator app would show
them at that moment."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from pos_desktop.services import auth, till, totp
from tests.ui.conftest import window, window_manager  # noqa: F401 — fixtures shared with the till's UI tests


@pytest.fixture
def totp_secrets(till_dir, clock) -> dict[str, str]:
    """TOTP on for admin and mia (each switches on their own); their secrets by user name."""
    ctx = till.open_till(till_dir, clock)
    try:
        found = {}
        for name, pin in (("admin", "1234"), ("mia", "9999")):
            found[name] = totp.enable(ctx, auth.login(ctx, name, pin), name)["secret"]
        return found
    finally:
        ctx.close()


@pytest.fixture
def code_of(totp_secrets, clock):
    """``code_of("mia")``: the code mia's authenticator app shows now (by the till's clock)."""
    return lambda name: pyotp.TOTP(totp_secrets[name]).at(clock.now())


@pytest.fixture
def wrong_code_of(totp_secrets, clock):
    """Six digits that are not the user's code now, nor of the step before or after (those are accepted)."""
    def wrong(name: str) -> str:
        totp = pyotp.TOTP(totp_secrets[name])
        taken = {totp.at(clock.now() + timedelta(seconds=s)) for s in (-30, 0, 30)}
        return next(c for c in (str(d) * 6 for d in range(10)) if c not in taken)
    return wrong
