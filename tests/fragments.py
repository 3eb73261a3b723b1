"""The check each area's translation test makes: every message of its source files has a zh_CN translation with
the same {fields}, in the project's catalog (pos.mo) or, until it is merged there, in the area's fragment .po.

    found = coverage(("pos_desktop/services/counts/", "pos_desktop/ui/backoffice/"), FRAGMENT)
    assert not found.problems and not found.missing and not found.wrong

A source is named by its path or by a folder's path ending in ``/``; a name that matches no file is an error
(a module moved or split would otherwise leave its messages silently unchecked).
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from pathlib import Path

from tests.test_translations import tool

ROOT = Path(__file__).resolve().parents[1]
MO = ROOT / "resources/locale/zh_CN/LC_MESSAGES/pos.mo"


def read_fragment(path: Path) -> dict[str, str]:
    """msgid → its Chinese text (``msgstr[0]`` of a plural: Chinese has one form)."""
    from babel.messages import pofile
    with path.open("rb") as f:
        catalog = pofile.read_po(f, locale="zh_CN")
    return {(m.id[0] if isinstance(m.id, tuple) else m.id): (m.string[0] if isinstance(m.string, tuple) else m.string)
            for m in catalog if m.id}


@dataclass
class Coverage:
    problems: list[str] = field(default_factory=list)   # calls that cannot be translated well (f-strings, +)
    missing: list[str] = field(default_factory=list)    # no translation anywhere
    wrong: list[str] = field(default_factory=list)      # a translation whose {fields} differ
    count: int = 0                                      # messages of these sources


def coverage(sources: tuple[str, ...], fragment: Path) -> Coverage:
    stale = [s for s in sources if not ((ROOT / s).is_dir() if s.endswith("/") else (ROOT / s).is_file())]
    assert not stale, f"no such source file or folder (moved?): {stale}"
    found, problems = tool.extract()
    with MO.open("rb") as f:
        mo = gettext.GNUTranslations(f)._catalog
    extra = read_fragment(fragment)
    result = Coverage(problems=[str(p) for p in problems if p.path.startswith(sources)])
    for entry in found.values():
        if not any(path.startswith(sources) for path, _line in entry.locations):
            continue
        result.count += 1
        text = mo.get(entry.msgid if entry.plural is None else (entry.msgid, 0)) or extra.get(entry.msgid)
        if not text:
            result.missing.append(entry.msgid)
        elif tool.fields_problem(entry.msgid, entry.plural, [text]):
            result.wrong.append(entry.msgid)
    return result


def use_with_fragment(fragment: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Chinese from the project's catalog with ``fragment`` merged in (the fragment wins), compiled into a folder
    of ``tmp_path`` and in use; the caller sets the language back (``i18n.set_language("en")``)."""
    from babel.messages import mofile, pofile

    from pos_desktop.core import i18n

    with (ROOT / "resources/locale/zh_CN/LC_MESSAGES/pos.po").open("rb") as f:
        catalog = pofile.read_po(f, locale="zh_CN")
    with fragment.open("rb") as f:
        for message in pofile.read_po(f, locale="zh_CN"):
            if message.id:
                if message.id in catalog:        # ours wins (setting over an entry would keep its fuzzy flag)
                    del catalog[message.id]
                catalog[message.id] = message
    target = tmp_path / "locale" / "zh_CN" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "pos.mo").open("wb") as f:
        mofile.write_mo(f, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    i18n.set_language("zh_CN")
