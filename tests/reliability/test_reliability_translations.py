"""Every message of the reliability modules (issue 9) has a zh_CN translation with the same {fields}: in the project's
catalog (pos.po/pos.mo), or, until it is merged there, in tests/reliability/zh_CN.po."""

from __future__ import annotations

from pathlib import Path

from tests.fragments import coverage

SOURCES = ("pos_desktop/store/db.py", "pos_desktop/services/backups.py", "pos_desktop/services/till.py",
           "pos_desktop/cli/setup_cmds.py", "pos_desktop/ui/restore_offer.py")
FRAGMENT = Path(__file__).with_name("zh_CN.po")


def test_every_reliability_message_is_translated():
    found = coverage(SOURCES, FRAGMENT)
    assert not found.problems, found.problems
    assert not found.missing, f"no zh_CN translation (add to {FRAGMENT.name}): {found.missing}"
    assert not found.wrong, f"translations whose {{fields}} differ: {found.wrong}"
