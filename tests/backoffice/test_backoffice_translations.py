"""Every message of the back-office modules has a zh_CN translation with the same {fields}: in the project's
catalog (pos.po/pos.mo), or, until it is merged there, in tests/backoffice/zh_CN.po."""

from __future__ import annotations

from pathlib import Path

from tests.fragments import coverage

SOURCES = ("pos_desktop/cli/backoffice_cmds.py", "pos_desktop/cli/count_cmds.py", "pos_desktop/cli/transfer_cmds.py",
           "pos_desktop/cli/alert_label_cmds.py", "pos_desktop/cli/backoffice_files.py",
           "pos_desktop/services/counts/", "pos_desktop/services/transfers/",
           "pos_desktop/services/alerts.py", "pos_desktop/services/trace.py", "pos_desktop/services/labels.py",
           "pos_desktop/services/catalog_quality.py")
FRAGMENT = Path(__file__).with_name("zh_CN.po")


def test_every_back_office_message_is_translated():
    found = coverage(SOURCES, FRAGMENT)
    assert not found.problems, found.problems
    assert not found.missing, f"no zh_CN translation (add to {FRAGMENT.name}): {found.missing}"
    assert not found.wrong, f"translations whose {{fields}} differ: {found.wrong}"
