"""Every server-side message of the handheld pages has a zh_CN translation with the same {fields}: in the shared
catalog (resources/locale/zh_CN/LC_MESSAGES/pos.po) or, until it is merged, in zh_CN.po here. The page's own
words (static/i18n.js) have both languages for every key."""

from __future__ import annotations

import gettext
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRAGMENT = Path(__file__).with_name("zh_CN.po")
MINE = ("pos_desktop/services/handheld.py", "pos_desktop/server/handheld/routes.py",
        "pos_desktop/server/handheld/sessions.py")
PAGE = ROOT / "pos_desktop/server/handheld/static"


def _tool():
    spec = importlib.util.spec_from_file_location("pos_i18n_tool_handheld", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_handheld_message_is_translated_with_its_fields():
    babel = pytest.importorskip("babel.messages.pofile")
    tool = _tool()
    found, problems = tool.extract()
    assert not [p for p in problems if p.path in MINE], [str(p) for p in problems if p.path in MINE]
    with (ROOT / "resources/locale/zh_CN/LC_MESSAGES/pos.mo").open("rb") as f:
        shared = gettext.GNUTranslations(f)._catalog
    with FRAGMENT.open("rb") as f:
        fragment = {m.id: m.string for m in babel.read_po(f) if m.id}
    missing, wrong, mine = [], [], 0
    for entry in found.values():
        if not any(path in MINE for path, _line in entry.locations):
            continue
        mine += 1
        text = shared.get(entry.msgid) or fragment.get(entry.msgid)
        if not text:
            missing.append(entry.msgid)
        elif tool.fields_problem(entry.msgid, entry.plural, [text]):
            wrong.append(entry.msgid)
    assert mine >= 15
    assert not missing, f"add to {FRAGMENT.name}: {missing}"
    assert not wrong, f"fields differ: {wrong}"


def _page_strings() -> dict[str, dict[str, str]]:
    """The STRINGS table of i18n.js, read as JSON after quoting its keys."""
    text = (PAGE / "i18n.js").read_text(encoding="utf-8")
    table = text[text.index("const STRINGS = ") + len("const STRINGS = "):text.index("};") + 1]
    table = re.sub(r"([{,]\s*)([a-z_]+):", r'\1"\2":', table)
    table = re.sub(r",(\s*})", r"\1", table)
    return json.loads(table)


def test_the_page_has_every_word_in_both_languages_with_the_same_fields():
    strings = _page_strings()
    assert set(strings["en"]) == set(strings["zh"])
    for key, english in strings["en"].items():
        assert set(re.findall(r"{\w+}", english)) == set(re.findall(r"{\w+}", strings["zh"][key])), key
    used = set()
    for name in ("index.html", "app.js", "receive.js", "camera.js"):
        source = (PAGE / name).read_text(encoding="utf-8")
        used |= set(re.findall(r'data-tp?="(\w+)"', source)) | set(re.findall(r'\bt\("(\w+)"', source))
        for either, other in re.findall(r'\? "(\w+)" : "(\w+)"', source):   # t(ok ? "online" : "offline")
            used |= {either, other}
    assert used - set(strings["en"]) == set(), "words the page uses but i18n.js lacks"
