"""A manager with TOTP on approves a cashier's price override (F7) with her PIN and the code of her
authenticator app; a wrong code keeps the dialog open and the price unchanged."""

from __future__ import annotations

from pos_desktop.ui.qt import QLabel, QLineEdit, QPushButton, Qt
from tests.conftest import SOAP
from tests.ui.conftest import find
from tests.ui.flows import (
    WAIT_MS, answer, approve, cart_rows, has_keyboard, journal, logged_in, pay_cash, press, query, scan,
    visible_dialog,
)


def test_a_price_override_is_approved_by_a_manager_only_with_her_right_code(
        qtbot, window, till_dir, code_of, wrong_code_of):
    logged_in(qtbot, window, "amy", "1111")
    scan(qtbot, window, SOAP)
    press(qtbot, window, Qt.Key.Key_F7)
    answer(qtbot, window, "3.99")
    dialog = visible_dialog(qtbot, window, "approverDialog")
    code_field, pin = find(dialog, QLineEdit, "approvalOtp"), find(dialog, QLineEdit, "approverPin")
    message = find(dialog, QLabel, "approverMessage")
    assert code_field.isHidden()

    approve(qtbot, window, "mia", "9999")                             # user, PIN, Enter: the code is asked for
    assert dialog.isVisible()
    assert message.text() == "mia also needs the one-time code of their authenticator app"
    assert code_field.isVisible() and has_keyboard(qtbot, code_field) and pin.text() == "9999"

    qtbot.keyClicks(code_field, wrong_code_of("mia"))
    qtbot.keyClick(code_field, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert message.text() == "Wrong PIN or one-time code for mia (4 tries left)"
    assert code_field.text() == "" and pin.text() == ""
    assert cart_rows(window)[0][3] == "4.50"                          # not approved

    qtbot.keyClicks(pin, "9999")
    qtbot.keyClick(pin, Qt.Key.Key_Return)                            # on to the code field
    assert has_keyboard(qtbot, code_field) and dialog.isVisible()
    for digit in code_of("mia"):                                      # typed on the dialog's PIN pad
        qtbot.mouseClick(find(dialog, QPushButton, f"pinKey_{digit}"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(find(dialog, QPushButton, "approveButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert cart_rows(window)[0] == ("1", "舒肤佳香皂 Safeguard soap", "1", "3.99", "", "3.99")

    pay_cash(qtbot, window, "5")
    [entry] = journal(till_dir, "price_override")
    assert entry["approver"] == "mia" and entry["user"] == "amy"
    assert query(till_dir, "SELECT unit_price_minor, price_overridden FROM sale_lines") == [(399, 1)]
    assert query(till_dir, "SELECT failed_attempts FROM users WHERE username = 'mia'") == [(0,)]
