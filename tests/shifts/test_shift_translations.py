"""Every message of the shift and close-of-day modules has a zh_CN translation with the same {fields}: in the
project's catalog (pos.po/pos.mo), or, until it is merged there, in tests/shifts/zh_CN.po."""

from __future__ import annotations

import gettext
import importlib.util
import sys
from pathlib import Path

from tests.backoffice.test_backoffice_translations import read_fragment

ROOT = Path(__file__).resolve().parents[2]
MODULES = ("pos_desktop/cli/shift_cmds.py", "pos_desktop/services/shifts.py", "pos_desktop/services/zreport.py",
           "pos_desktop/services/zreport_pdf.py", "pos_desktop/services/day_figures.py",
           "pos_desktop/services/denominations.py", "pos_desktop/services/day_tasks.py",
           "pos_desktop/services/business_day.py", "pos_desktop/services/cash.py",
           "pos_desktop/devices/report_layout.py")
FRAGMENT = Path(__file__).with_name("zh_CN.po")


def _tool():
    spec = importlib.util.spec_from_file_location("pos_i18n_tool_shifts", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_shift_and_report_message_is_translated():
    tool = _tool()
    found, problems = tool.extract()
    assert not [p for p in problems if p.path in MODULES], problems
    mo = gettext.GNUTranslations((ROOT / "resources/locale/zh_CN/LC_MESSAGES/pos.mo").open("rb"))._catalog
    fragment = read_fragment(FRAGMENT)
    missing, wrong = [], []
    for entry in found.values():
        if not any(path in MODULES for path, _line in entry.locations):
            continue
        text = mo.get(entry.msgid) or fragment.get(entry.msgid)
        if not text:
            missing.append(entry.msgid)
        elif tool.fields_problem(entry.msgid, entry.plural, [text]):
            wrong.append(entry.msgid)
    assert not missing, f"no zh_CN translation: {missing}"
    assert not wrong, f"translations whose {{fields}} differ: {wrong}"
