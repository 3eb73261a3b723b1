"""Switching the language in Settings takes effect at once; the customer's screen follows the sale."""

from __future__ import annotations

import pytest

from pos_desktop.core.i18n import current_language, set_language
from pos_desktop.ui.qt import QComboBox, QDialog, QLabel, QListWidget, QPushButton, Qt
from tests.conftest import CHIPS, COLA
from tests.ui.conftest import find
from tests.ui.flows import logged_in, pay_cash, scan


@pytest.fixture
def english_again():
    before = current_language()
    yield
    set_language(before)


def test_switching_to_chinese_rebuilds_the_screens(qtbot, window, english_again):
    logged_in(qtbot, window, "admin", "1234")
    window.open_settings()
    dialog = [d for d in window.findChildren(QDialog, "settingsDialog") if d.isVisible()][-1]
    choice = find(dialog, QComboBox, "languageChoice")
    choice.setCurrentIndex(choice.findData("zh_CN"))
    qtbot.mouseClick(find(dialog, QPushButton, "saveSettingsButton"), Qt.MouseButton.LeftButton)
    assert current_language() == "zh_CN"
    assert "收款" in find(window, QPushButton, "payButton").text()
    assert window.menuBar().actions()[0].text() == "收银"


def test_the_customer_sees_items_total_and_change(qtbot, window):
    view = window.show_customer_view()
    qtbot.addWidget(view)
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    scan(qtbot, window, CHIPS)
    assert find(view, QListWidget, "customerItems").count() == 2
    assert find(view, QLabel, "customerTotal").text() == "Total 11.40"
    pay_cash(qtbot, window, "20")
    assert find(view, QLabel, "customerTotal").text() == "Change 8.60"
    assert "Thank you" in find(view, QLabel, "customerNote").text()
