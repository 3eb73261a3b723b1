"""Every message of the security code (login, TOTP) has a zh_CN translation with the same {fields}: in the
project's catalog (pos.po/pos.mo), or, until it is merged there, in tests/security/zh_CN.po."""

from __future__ import annotations

from pathlib import Path

from tests.fragments import coverage

SOURCES = ("pos_desktop/services/auth.py", "pos_desktop/services/totp.py", "pos_desktop/cli/security_cmds.py")
FRAGMENT = Path(__file__).with_name("zh_CN.po")


def test_every_security_message_is_translated():
    found = coverage(SOURCES, FRAGMENT)
    assert not found.problems, found.problems
    assert not found.missing, f"no zh_CN translation (add to {FRAGMENT.name}): {found.missing}"
    assert not found.wrong, f"translations whose {{fields}} differ: {found.wrong}"
