"""Logging in at the till: wrong PINs are counted out loud, the fifth locks the user for five minutes, and the
on-screen PIN pad works like the keyboard."""

from __future__ import annotations

from pos_desktop.ui.qt import QLineEdit, QPushButton, Qt
from tests.ui.conftest import find
from tests.ui.flows import WAIT_MS, has_keyboard, label, line_edit, logged_in, login, query


def test_wrong_pins_count_down_then_lock_and_the_right_pin_works_five_minutes_later(qtbot, window, clock, till_dir):
    for left in (4, 3, 2, 1):
        login(qtbot, window, pin="0000")
        expected = f"Wrong PIN for amy ({left} {'try' if left == 1 else 'tries'} left)"
        assert label(window, "loginMessage") == expected
        assert line_edit(window, "loginPin").text() == ""          # the PIN is never left in the field
    login(qtbot, window, pin="0000")
    assert label(window, "loginMessage") == "Wrong PIN; amy is now locked for 5 minutes"
    assert query(till_dir, "SELECT locked_until FROM users WHERE username = 'amy'") == [("2026-11-20T10:05:00+08:00",)]

    login(qtbot, window)                                            # the right PIN, but too soon
    assert label(window, "loginMessage") == "amy is locked after 5 wrong PINs; try again after 10:05"
    assert not window.findChild(QLineEdit, "scanInput")

    clock.advance(minutes=5)
    logged_in(qtbot, window)
    assert has_keyboard(qtbot, window.findChild(QLineEdit, "scanInput"))
    assert "amy" in label(window, "userStatus").lower() and "cashier" in label(window, "userStatus")
    assert query(till_dir, "SELECT failed_attempts, locked_until FROM users WHERE username = 'amy'") == [(0, None)]


def test_the_pin_pad_types_the_pin_and_the_login_button_logs_in(qtbot, window):
    qtbot.keyClicks(line_edit(window, "loginUser"), "sam")
    for digit in "3333":
        qtbot.mouseClick(find(window, QPushButton, f"pinKey_{digit}"), Qt.MouseButton.LeftButton)
    assert line_edit(window, "loginPin").text() == "3333"
    assert line_edit(window, "loginPin").echoMode() == QLineEdit.EchoMode.Password
    qtbot.mouseClick(find(window, QPushButton, "loginButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QLineEdit, "scanInput") is not None, timeout=WAIT_MS)
    assert "supervisor" in label(window, "userStatus")


def test_an_unknown_user_and_an_empty_name_are_said(qtbot, window):
    login(qtbot, window, user="bob", pin="1111")
    assert label(window, "loginMessage") == "Unknown user bob"
    line_edit(window, "loginUser").clear()
    qtbot.mouseClick(find(window, QPushButton, "loginButton"), Qt.MouseButton.LeftButton)
    assert label(window, "loginMessage") == "Enter your user name"


def test_ctrl_l_logs_out_only_when_the_cart_is_empty(qtbot, window):
    from tests.conftest import COLA
    from tests.ui.flows import cart_rows, message, scan

    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    qtbot.keyClick(line_edit(window, "scanInput"), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert message(window) == "Finish or suspend the sale before logging out"
    assert len(cart_rows(window)) == 1
    qtbot.mouseClick(find(window, QPushButton, "voidButton"), Qt.MouseButton.LeftButton)
    assert cart_rows(window) == []
    qtbot.keyClick(line_edit(window, "scanInput"), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: line_edit(window, "loginPin").isVisible(), timeout=WAIT_MS)
    assert line_edit(window, "loginUser").text() == "amy"           # the next cashier retypes only the PIN
    assert has_keyboard(qtbot, line_edit(window, "loginPin"))
