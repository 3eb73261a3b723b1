"""Every message of the back-office screens has a zh_CN translation with the same {fields}: in the project's
catalog (pos.po/pos.mo), or, until it is merged there, in tests/ui_backoffice/zh_CN.po. And the screens really
come up in Chinese once the translations are in a catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_desktop.core import i18n
from pos_desktop.ui.app import create_main_window
from pos_desktop.ui.operations import InlineExecutor
from pos_desktop.ui.qt import QLabel
from tests.fragments import coverage, use_with_fragment
from tests.ui.conftest import find
from tests.ui.flows import logged_in
from tests.ui_backoffice.steps import open_screen

SCREENS = ("pos_desktop/ui/backoffice/",)
FRAGMENT = Path(__file__).with_name("zh_CN.po")


def test_every_message_of_the_screens_is_translated():
    found = coverage(SCREENS, FRAGMENT)
    assert not found.problems, found.problems
    assert not found.missing, f"no zh_CN translation: {found.missing}"
    assert not found.wrong, f"translations whose {{fields}} differ: {found.wrong}"


@pytest.fixture
def chinese_with_the_fragment(tmp_path, monkeypatch):
    """The project's catalog with the fragment merged in, compiled into a folder of its own, in use."""
    use_with_fragment(FRAGMENT, tmp_path, monkeypatch)
    yield
    i18n.set_language("en")


def test_the_menu_and_a_screen_in_chinese(qtbot, chinese_with_the_fragment, till_dir, clock):
    win = create_main_window(till_dir, executor=InlineExecutor(), clock=clock)
    qtbot.addWidget(win)
    assert "后台" in [action.text() for action in win.menuBar().actions()]
    logged_in(qtbot, win, "ken", "4444")
    screen = open_screen(qtbot, win, "count", "countScreen")
    assert screen.windowTitle() == "盘点"
    assert find(screen, QLabel, "countCounter").text().startswith("盘点人：")
