"""Every message of the close-day and reports screens has a zh_CN translation with the same {fields}: in the
project's catalog (pos.po/pos.mo), or, until it is merged there, in tests/ui_close/zh_CN.po. And the Day menu
and the close-day screen really come up in Chinese once the translations are in a catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_desktop.core import i18n
from pos_desktop.ui.app import create_main_window
from pos_desktop.ui.operations import InlineExecutor
from pos_desktop.ui.qt import QPushButton
from tests.fragments import coverage, use_with_fragment
from tests.ui.conftest import find
from tests.ui.flows import logged_in
from tests.ui_close.steps import open_day_screen

SCREENS = ("pos_desktop/ui/close_day/", "pos_desktop/ui/reports/")
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


def test_the_day_menu_and_the_close_day_screen_in_chinese(qtbot, chinese_with_the_fragment, till_dir, clock):
    win = create_main_window(till_dir, executor=InlineExecutor(), clock=clock)
    qtbot.addWidget(win)
    assert "营业日" in [action.text() for action in win.menuBar().actions()]
    logged_in(qtbot, win, "amy", "1111")
    screen = open_day_screen(qtbot, win, "close_day", "closeDayScreen")
    assert screen.windowTitle() == "日结"
    assert find(screen, QPushButton, "closeDayOpenShift").text() == "以此备用金开班"
