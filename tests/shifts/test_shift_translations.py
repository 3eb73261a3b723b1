"""Every message of the shift and close-of-day modules has a zh_CN translation with the same {fields}: in the
project's catalog (pos.po/pos.mo), or, until it is merged there, in tests/shifts/zh_CN.po."""

from __future__ import annotations

from pathlib import Path

from tests.fragments import coverage

SOURCES = ("pos_desktop/cli/shift_cmds.py", "pos_desktop/services/shifts.py", "pos_desktop/services/zreport.py",
           "pos_desktop/services/zreport_pdf.py", "pos_desktop/services/day_figures.py",
           "pos_desktop/services/denominations.py", "pos_desktop/services/day_tasks.py",
           "pos_desktop/services/business_day.py", "pos_desktop/services/cash.py",
           "pos_desktop/devices/report_layout.py")
FRAGMENT = Path(__file__).with_name("zh_CN.po")


def test_every_shift_and_report_message_is_translated():
    found = coverage(SOURCES, FRAGMENT)
    assert not found.problems, found.problems
    assert not found.missing, f"no zh_CN translation (add to {FRAGMENT.name}): {found.missing}"
    assert not found.wrong, f"translations whose {{fields}} differ: {found.wrong}"
