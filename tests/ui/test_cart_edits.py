"""Changing the sale: quantity (F4), a line discount above the cashier's limit with a manager's approval (F5),
a price override (F7) that needs approval too, voiding a line — on screen, and in the journal once paid."""

from __future__ import annotations

from decimal import Decimal


from pos_desktop.ui.qt import QLabel, QLineEdit, Qt, QTableView
from tests.conftest import CHIPS, COLA, SOAP
from tests.ui.conftest import find
from tests.ui.flows import (
    WAIT_MS,
    answer,
    approve,
    button,
    cart_rows,
    has_keyboard,
    journal,
    label,
    line_edit,
    logged_in,
    message,
    no_dialog,
    pay_cash,
    press,
    query,
    scan,
    total,
    visible_dialog,
)


def user_id(till_dir, name: str) -> str:
    return query(till_dir, "SELECT id FROM users WHERE username = ?", name)[0][0]


def test_f4_changes_the_quantity_of_the_selected_line(qtbot, window, till_dir):
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    scan(qtbot, window, CHIPS)
    press(qtbot, window, Qt.Key.Key_F4)
    dialog = visible_dialog(qtbot, window, "askDialog")
    assert find(dialog, QLineEdit, "askInput").text() == ""
    answer(qtbot, window, "4")
    assert cart_rows(window)[1] == ("2", "乐事薯片 Lay's chips 75g", "4", "7.90", "", "31.60")
    assert total(window) == "35.10"
    assert has_keyboard(qtbot, line_edit(window, "scanInput"))
    receipt = pay_cash(qtbot, window, "40")
    assert query(till_dir, "SELECT sku, qty_milli, net_minor FROM sale_lines ORDER BY line_no") == [
        ("COLA", 1000, 350), ("CHIPS", 4000, 3160)]
    assert receipt.change == Decimal("4.90")


def test_a_bad_quantity_is_said_and_changes_nothing(qtbot, window):
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    press(qtbot, window, Qt.Key.Key_F4)
    answer(qtbot, window, "two")
    assert message(window)
    assert cart_rows(window)[0][2] == "1" and total(window) == "3.50"


def test_a_discount_within_the_cashiers_limit_needs_no_approval(qtbot, window, till_dir):
    logged_in(qtbot, window)
    scan(qtbot, window, SOAP)
    press(qtbot, window, Qt.Key.Key_F5)
    answer(qtbot, window, "10%")
    assert no_dialog(window, "approverDialog")
    assert cart_rows(window)[0][4:] == ("0.45", "4.05")
    pay_cash(qtbot, window, "5")
    assert journal(till_dir, "discount_over_limit") == []
    assert query(till_dir, "SELECT approver_id, discount_minor FROM sales") == [(None, 45)]


def test_a_discount_above_the_limit_is_applied_once_a_manager_approves_and_journaled_with_her(
        qtbot, window, till_dir):
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    scan(qtbot, window, CHIPS)
    press(qtbot, window, Qt.Key.Key_F5)                               # on the selected (last) line
    answer(qtbot, window, "20%")
    dialog = visible_dialog(qtbot, window, "approverDialog")
    assert "20 % discount is above amy's limit of 10 %" in dialog.reason.text()
    assert cart_rows(window)[1][4] == ""                              # nothing yet
    approve(qtbot, window, "mia", "9999")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert cart_rows(window)[1] == ("2", "乐事薯片 Lay's chips 75g", "1", "7.90", "1.58", "6.32")
    assert total(window) == "9.82"
    assert label(window, "discountLabel") == "Discount 1.58"

    receipt = pay_cash(qtbot, window, "10")
    [entry] = journal(till_dir, "discount_over_limit")
    assert entry["approver"] == "mia" and entry["user"] == "amy"
    assert entry["payload"]["receipt_no"] == receipt.receipt_no
    assert entry["payload"]["sku"] == "CHIPS" and entry["payload"]["percent"] == "20.00"
    assert entry["payload"]["discount"] == "1.58"
    assert query(till_dir, "SELECT approver_id, total_minor, discount_minor FROM sales") == [
        (user_id(till_dir, "mia"), 982, 158)]
    assert query(till_dir, "SELECT line_discount_minor FROM sale_lines WHERE sku = 'CHIPS'") == [(158,)]


def test_the_approval_reason_is_shown_and_a_wrong_manager_pin_keeps_the_dialog(qtbot, window, till_dir):
    logged_in(qtbot, window)
    scan(qtbot, window, CHIPS)
    press(qtbot, window, Qt.Key.Key_F5)
    answer(qtbot, window, "20%")
    dialog = visible_dialog(qtbot, window, "approverDialog")
    assert dialog.reason.text() == "A 20 % discount is above amy's limit of 10 %; a manager must approve"
    approve(qtbot, window, "mia", "0000")
    assert dialog.isVisible()
    assert find(dialog, QLabel, "approverMessage").text().startswith("Wrong PIN for mia")
    assert cart_rows(window)[0][4] == ""
    pin = find(dialog, QLineEdit, "approverPin")
    assert pin.text() == ""
    qtbot.keyClicks(pin, "9999")
    qtbot.keyClick(pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert cart_rows(window)[0][4:] == ("1.58", "6.32")


def test_one_wrong_manager_pin_counts_once(qtbot, window, till_dir):
    logged_in(qtbot, window)
    scan(qtbot, window, CHIPS)
    press(qtbot, window, Qt.Key.Key_F5)
    answer(qtbot, window, "20%")
    dialog = approve(qtbot, window, "mia", "0000")
    assert find(dialog, QLabel, "approverMessage").text() == "Wrong PIN for mia (4 tries left)"
    assert query(till_dir, "SELECT failed_attempts FROM users WHERE username = 'mia'") == [(1,)]


def test_a_supervisor_cannot_approve_a_discount_above_the_limit(qtbot, window):
    logged_in(qtbot, window)
    scan(qtbot, window, CHIPS)
    press(qtbot, window, Qt.Key.Key_F5)
    answer(qtbot, window, "20%")
    approve(qtbot, window, "sam", "3333")
    qtbot.waitUntil(lambda: no_dialog(window, "approverDialog"), timeout=WAIT_MS)
    assert message(window) == "A 20 % discount is above amy's limit of 10 %; a manager must approve"
    assert cart_rows(window)[0][4] == ""                              # not applied
    assert total(window) == "7.90"


def test_f6_discounts_the_whole_sale(qtbot, window, till_dir):
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    scan(qtbot, window, f"2*{SOAP}")                                  # 12.50
    press(qtbot, window, Qt.Key.Key_F6)
    answer(qtbot, window, "1.00")
    assert total(window) == "11.50" and label(window, "discountLabel") == "Discount 1.00"
    pay_cash(qtbot, window, "20")
    assert query(till_dir, "SELECT cart_discount_minor, total_minor FROM sales") == [(100, 1150)]
    assert journal(till_dir, "discount_over_limit") == []             # 8 % is within amy's 10 %


def test_a_cashiers_price_override_needs_approval_and_is_journaled(qtbot, window, till_dir):
    logged_in(qtbot, window)
    scan(qtbot, window, SOAP)
    press(qtbot, window, Qt.Key.Key_F7)
    answer(qtbot, window, "3.99")
    dialog = visible_dialog(qtbot, window, "approverDialog")
    assert "amy (cashier) may not" in dialog.reason.text()
    assert cart_rows(window)[0][3] == "4.50"                          # not before approval
    approve(qtbot, window, "sam", "3333")                             # a supervisor may override prices
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert cart_rows(window)[0] == ("1", "舒肤佳香皂 Safeguard soap", "1", "3.99", "", "3.99")
    assert total(window) == "3.99"
    receipt = pay_cash(qtbot, window, "5")
    [entry] = journal(till_dir, "price_override")
    assert entry["approver"] == "sam" and entry["user"] == "amy"
    assert entry["payload"] == {"receipt_no": receipt.receipt_no, "line_no": 1, "sku": "SOAP",
                                "list_price": "4.50", "price": "3.99"}
    assert query(till_dir, "SELECT list_price_minor, unit_price_minor, price_overridden FROM sale_lines") == [
        (450, 399, 1)]


def test_a_supervisor_overrides_a_price_without_asking(qtbot, window, till_dir):
    logged_in(qtbot, window, "sam", "3333")
    scan(qtbot, window, SOAP)
    press(qtbot, window, Qt.Key.Key_F7)
    answer(qtbot, window, "4")
    assert no_dialog(window, "approverDialog")
    assert cart_rows(window)[0][3] == "4.00"


def test_the_void_button_removes_the_selected_line(qtbot, window, till_dir):
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    scan(qtbot, window, CHIPS)
    qtbot.mouseClick(button(window, "voidButton"), Qt.MouseButton.LeftButton)
    assert [row[1] for row in cart_rows(window)] == ["可口可乐 Coca-Cola 330ml"]
    assert total(window) == "3.50"
    pay_cash(qtbot, window, "3.50")
    assert query(till_dir, "SELECT sku FROM sale_lines") == [("COLA",)]


def test_delete_voids_the_selected_line(qtbot, window):
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    scan(qtbot, window, CHIPS)
    press(qtbot, window, Qt.Key.Key_Delete)
    assert [row[1] for row in cart_rows(window)] == ["可口可乐 Coca-Cola 330ml"]


def test_each_discount_above_the_limit_asks_the_manager_again(qtbot, window):
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    scan(qtbot, window, CHIPS)
    press(qtbot, window, Qt.Key.Key_F5)
    answer(qtbot, window, "20%")
    approve(qtbot, window)
    qtbot.waitUntil(lambda: no_dialog(window, "approverDialog"), timeout=WAIT_MS)
    table = find(window, QTableView, "cartTable")                 # the cashier taps the cola line
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(table.model().index(0, 1)).center())
    assert table.selectionModel().selectedRows()[0].row() == 0
    press(qtbot, window, Qt.Key.Key_F5)
    answer(qtbot, window, "90%")
    assert not no_dialog(window, "approverDialog"), "a 90 % discount went through on the earlier approval"


def test_each_override_is_journaled_with_the_manager_who_approved_it(qtbot, window, till_dir):
    logged_in(qtbot, window)
    scan(qtbot, window, SOAP)
    press(qtbot, window, Qt.Key.Key_F7)
    answer(qtbot, window, "3.99")
    approve(qtbot, window, "sam", "3333")
    qtbot.waitUntil(lambda: no_dialog(window, "approverDialog"), timeout=WAIT_MS)
    scan(qtbot, window, CHIPS)
    press(qtbot, window, Qt.Key.Key_F5)
    answer(qtbot, window, "20%")
    approve(qtbot, window, "mia", "9999")
    qtbot.waitUntil(lambda: no_dialog(window, "approverDialog"), timeout=WAIT_MS)
    assert cart_rows(window)[1][4] == "1.58"
    pay_cash(qtbot, window, "20")
    assert [e["approver"] for e in journal(till_dir, "discount_over_limit")] == ["mia"]
    assert [e["approver"] for e in journal(till_dir, "price_override")] == ["sam"]
