"""Every message of the reliability modules (issue 9) has a zh_CN translation with the same {fields}: in the project's
catalog (pos.po/pos.mo), or, until it is merged there, in tests/reliability/zh_CN.po."""

from __future__ import annotations

import ast
import gettext
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = ("pos_desktop/store/db.py", "pos_desktop/services/backups.py", "pos_desktop/services/till.py",
           "pos_desktop/cli/setup_cmds.py", "pos_desktop/ui/restore_offer.py")
FRAGMENT = Path(__file__).with_name("zh_CN.po")


def _tool():
    spec = importlib.util.spec_from_file_location("pos_i18n_tool_reliability", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def read_fragment(path: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file of one-line entries (the header's continued lines are skipped)."""
    found, msgid = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            msgid = ast.literal_eval(line[6:])
        elif line.startswith("msgstr ") and msgid:
            found[msgid] = ast.literal_eval(line[7:])
            msgid = None
    return found


def test_every_reliability_message_is_translated():
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
