"""Every message of the support bundle's code has a zh_CN translation (this fragment, until it is merged
into pos.po), with the same {fields}."""

from __future__ import annotations

from pathlib import Path

from tests.fragments import coverage

SOURCES = ("pos_desktop/services/diagnostics.py", "pos_desktop/cli/diagnostics_cmds.py")
FRAGMENT = Path(__file__).with_name("zh_CN.po")


def test_every_diagnostics_message_is_translated() -> None:
    found = coverage(SOURCES, FRAGMENT)
    assert found.count >= 4
    assert not found.missing, found.missing
    assert not found.wrong, found.wrong
