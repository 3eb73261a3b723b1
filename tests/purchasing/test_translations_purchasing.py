"""Every message of the purchasing code has a zh_CN translation with the same {fields}: in the shared catalog
(resources/locale/zh_CN/LC_MESSAGES/pos.po) or, until its owner merges them, in zh_CN-purchasing.po here
(docs/purchasing.md says how to merge)."""

from __future__ import annotations

from pathlib import Path

from tests.fragments import coverage

SOURCES = ("pos_desktop/services/receiving/", "pos_desktop/services/purchasing/",
           "pos_desktop/services/suppliers.py", "pos_desktop/services/replenishment.py",
           "pos_desktop/services/replenishment_demand.py",
           "pos_desktop/services/documents_pdf.py", "pos_desktop/cli/purchasing_cmds.py",
           "pos_desktop/cli/receive_cmds.py", "pos_desktop/cli/supplier_cmds.py", "pos_desktop/cli/order_cmds.py")
FRAGMENT = Path(__file__).with_name("zh_CN-purchasing.po")


def test_every_purchasing_message_is_translated_with_its_fields():
    found = coverage(SOURCES, FRAGMENT)
    assert not found.problems, found.problems
    assert not found.missing, f"no zh_CN translation (add to {FRAGMENT.name}): {found.missing}"
    assert not found.wrong, f"translations whose {{fields}} differ: {found.wrong}"
