"""Every message of the purchasing code has a zh_CN translation with the same {fields}: in the shared catalog
(resources/locale/zh_CN/LC_MESSAGES/pos.po) or, until its owner merges them, in zh_CN-purchasing.po here
(docs/purchasing.md says how to merge)."""

from __future__ import annotations

import gettext
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRAGMENT = Path(__file__).with_name("zh_CN-purchasing.po")
MINE = ("pos_desktop/services/receiving.py", "pos_desktop/services/purchasing.py",
        "pos_desktop/services/suppliers.py", "pos_desktop/services/replenishment.py",
        "pos_desktop/services/documents_pdf.py", "pos_desktop/cli/purchasing_cmds.py")


def _tool():
    spec = importlib.util.spec_from_file_location("pos_i18n_tool_purchasing", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_purchasing_message_is_translated_with_its_fields():
    babel = pytest.importorskip("babel.messages.pofile")
    tool = _tool()
    found, problems = tool.extract()
    assert not [p for p in problems if p.path in MINE], [str(p) for p in problems if p.path in MINE]
    with (ROOT / "resources/locale/zh_CN/LC_MESSAGES/pos.mo").open("rb") as f:
        shared = gettext.GNUTranslations(f)._catalog
    with FRAGMENT.open("rb") as f:
        fragment = {m.id: m.string for m in babel.read_po(f) if m.id}
    missing, wrong = [], []
    for entry in found.values():
        if not any(path in MINE for path, _line in entry.locations):
            continue
        text = shared.get(entry.msgid) or fragment.get(entry.msgid)
        if not text:
            missing.append(entry.msgid)
        elif tool.fields_problem(entry.msgid, entry.plural, [text]):
            wrong.append(entry.msgid)
    assert not missing, f"add to {FRAGMENT.name}: {missing}"
    assert not wrong, f"fields differ: {wrong}"
