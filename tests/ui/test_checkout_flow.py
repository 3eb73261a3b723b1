"""A cashier's day on the real window: log in, scan, pay, see the change — and what the database holds."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from pos_desktop.ui.qt import QDialog, QLabel, QLineEdit, QPushButton, Qt, QTableView
from tests.conftest import CHIPS, COLA
from tests.ui.conftest import find


def login(qtbot, win, user="amy", pin="1111"):
    find(win, QLineEdit, "loginUser").clear()
    qtbot.keyClicks(find(win, QLineEdit, "loginUser"), user)
    qtbot.keyClicks(find(win, QLineEdit, "loginPin"), pin)
    qtbot.keyClick(find(win, QLineEdit, "loginPin"), Qt.Key.Key_Return)


def scan(qtbot, win, code):
    field = find(win, QLineEdit, "scanInput")
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_wrong_pin_is_said_and_the_right_one_logs_in(qtbot, window):
    login(qtbot, window, pin="0000")
    assert "Wrong PIN for amy (4 tries left)" in find(window, QLabel, "loginMessage").text()
    login(qtbot, window)
    assert window.findChild(QLineEdit, "scanInput").isVisible()


def test_scan_and_pay_cash(qtbot, window, till_dir):
    login(qtbot, window)
    scan(qtbot, window, COLA)
    scan(qtbot, window, COLA)
    scan(qtbot, window, CHIPS)
    table = find(window, QTableView, "cartTable")
    assert table.model().rowCount() == 2                       # the second cola raised the quantity
    assert table.model().index(0, 2).data() == "2"
    assert find(window, QLabel, "totalLabel").text() == "14.90"
    qtbot.keyClick(find(window, QLineEdit, "scanInput"), Qt.Key.Key_F12)
    dialog = find(window, QDialog, "paymentDialog")
    tender = find(dialog, QLineEdit, "tenderInput")
    qtbot.keyClicks(tender, "20")
    assert find(dialog, QLabel, "changeLabel").text() == "Change 5.10"
    with qtbot.waitSignal(window.sale_completed, timeout=5000) as done:
        qtbot.keyClick(tender, Qt.Key.Key_Return)
    assert done.args[0].change == Decimal("5.10")
    assert not dialog.isVisible()
    assert find(window, QTableView, "cartTable").model().rowCount() == 0
    conn = sqlite3.connect(till_dir / "pos.db")
    assert conn.execute("SELECT total_minor, change_minor FROM sales").fetchall() == [(1490, 510)]
    conn.close()


def test_bad_barcode_is_refused_on_screen_and_nothing_added(qtbot, window):
    login(qtbot, window)
    scan(qtbot, window, "6901234567893")
    assert "check digit" in find(window, QLabel, "messageLabel").text()
    assert find(window, QTableView, "cartTable").model().rowCount() == 0
    assert find(window, QPushButton, "payButton").isEnabled()
