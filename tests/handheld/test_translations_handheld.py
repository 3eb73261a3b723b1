"""Every server-side message of the handheld pages has a zh_CN translation with the same {fields}: in the shared
catalog (resources/locale/zh_CN/LC_MESSAGES/pos.po) or, until it is merged, in zh_CN.po here. The page's own
words (static/i18n.js) have both languages for every key."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.fragments import ROOT, coverage

SOURCES = ("pos_desktop/services/handheld.py", "pos_desktop/server/handheld/routes.py",
           "pos_desktop/server/handheld/sessions.py")
FRAGMENT = Path(__file__).with_name("zh_CN.po")
PAGE = ROOT / "pos_desktop/server/handheld/static"


def test_every_handheld_message_is_translated_with_its_fields():
    found = coverage(SOURCES, FRAGMENT)
    assert not found.problems, found.problems
    assert found.count >= 15
    assert not found.missing, f"no zh_CN translation (add to {FRAGMENT.name}): {found.missing}"
    assert not found.wrong, f"translations whose {{fields}} differ: {found.wrong}"


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
