"""Every message of the support bundle's code has a zh_CN translation (this fragment, until it is merged
into pos.po), with the same {fields}."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["pos_desktop/services/diagnostics.py", "pos_desktop/cli/diagnostics_cmds.py"]


def messages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
                and node.args and isinstance(node.args[0], ast.Constant)):
            found.add(node.args[0].value)
    return found


def catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and m.string}


def test_every_diagnostics_message_is_translated() -> None:
    known = {**catalog(ROOT / "resources/locale/zh_CN/LC_MESSAGES/pos.po"), **catalog(Path(__file__).with_name("zh_CN.po"))}
    wanted = set().union(*(messages(ROOT / source) for source in SOURCES))
    assert len(wanted) >= 4
    missing = sorted(wanted - set(known))
    assert missing == [], missing
    for msgid in wanted:
        assert set(re.findall(r"\{(\w+)\}", msgid)) == set(re.findall(r"\{(\w+)\}", known[msgid])), msgid
