"""Every message of the security code (login, TOTP) has a zh_CN translation with the same {fields}: in the
project's catalog (pos.po/pos.mo), or, until it is merged there, in tests/security/zh_CN.po."""

from __future__ import annotations

import ast
import gettext
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = ("pos_desktop/services/auth.py", "pos_desktop/services/totp.py", "pos_desktop/cli/security_cmds.py")
FRAGMENT = Path(__file__).with_name("zh_CN.po")


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("pos_i18n_tool_security", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def read_fragment(path: Path) -> dict[str, str]:
    """msgid → msgstr (``msgstr[0]`` of a plural: Chinese has one form) of a .po of one-line entries."""
    found, msgid = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            msgid = ast.literal_eval(line[6:])
        elif (line.startswith("msgstr ") or line.startswith("msgstr[0] ")) and msgid:
            found[msgid] = ast.literal_eval(line.split(" ", 1)[1])
            msgid = None
    return found


def test_every_security_message_is_translated() -> None:
    tool = _tool()
    found, problems = tool.extract()
    assert not [p for p in problems if p.path in MODULES], problems
    catalog = gettext.GNUTranslations((ROOT / "resources/locale/zh_CN/LC_MESSAGES/pos.mo").open("rb"))._catalog
    fragment = read_fragment(FRAGMENT)
    missing, wrong = [], []
    for entry in found.values():
        if not any(path in MODULES for path, _line in entry.locations):
            continue
        text = catalog.get(entry.msgid) or catalog.get((entry.msgid, 0)) or fragment.get(entry.msgid)
        if not text:
            missing.append(entry.msgid)
        elif tool.fields_problem(entry.msgid, entry.plural, [text]):
            wrong.append(entry.msgid)
    assert not missing, f"no zh_CN translation: {missing}"
    assert not wrong, f"translations whose {{fields}} differ: {wrong}"
