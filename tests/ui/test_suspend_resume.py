"""Suspend (F8) a sale, serve the next customer, resume it (F9 → resumeDialog): the same lines and total."""

from __future__ import annotations


from pos_desktop.ui.qt import QLabel, QLineEdit, QListWidget, Qt
from tests.conftest import CHIPS, COLA, MILK, SOAP
from tests.ui.conftest import find
from tests.ui.flows import (
    WAIT_MS,
    answer,
    approve,
    cart_rows,
    label,
    logged_in,
    message,
    no_dialog,
    open_payment,
    pay_cash,
    press,
    query,
    scan,
    total,
    visible_dialog,
)


def resume_first(qtbot, win) -> None:
    press(qtbot, win, Qt.Key.Key_F9)
    dialog = visible_dialog(qtbot, win, "resumeDialog")
    listing = find(dialog, QListWidget, "suspendedList")
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)


def test_a_suspended_sale_comes_back_with_the_same_lines_and_total(qtbot, window, till_dir):
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    scan(qtbot, window, f"3*{CHIPS}")
    press(qtbot, window, Qt.Key.Key_F3)
    answer(qtbot, window, "M0001")
    rows, amount = cart_rows(window), total(window)
    assert amount == "24.20"

    press(qtbot, window, Qt.Key.Key_F8)
    assert message(window) == "Sale suspended; F9 resumes it"
    assert cart_rows(window) == [] and total(window) == "0.00" and label(window, "memberLabel") == ""
    assert query(till_dir, "SELECT label, resumed_at FROM suspended_carts") == [("2 lines", None)]

    scan(qtbot, window, SOAP)                                          # the next customer meanwhile
    served = pay_cash(qtbot, window, "5")

    press(qtbot, window, Qt.Key.Key_F9)
    dialog = visible_dialog(qtbot, window, "resumeDialog")
    listing = find(dialog, QListWidget, "suspendedList")
    assert listing.count() == 1 and "2 lines" in listing.item(0).text() and "(2)" in listing.item(0).text()
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert cart_rows(window) == rows and total(window) == amount
    assert label(window, "memberLabel") == "Member M0001"
    assert query(till_dir, "SELECT count(*) FROM suspended_carts WHERE resumed_at IS NOT NULL") == [(1,)]

    scan(qtbot, window, MILK)                                          # more can be added after resuming
    resumed = pay_cash(qtbot, window, "30")
    assert query(till_dir, "SELECT s.receipt_no, l.sku, l.qty_milli FROM sale_lines l JOIN sales s "
                           "ON s.id = l.sale_id ORDER BY s.receipt_no, l.line_no") == [
        (served.receipt_no, "SOAP", 1000),
        (resumed.receipt_no, "COLA", 1000), (resumed.receipt_no, "CHIPS", 3000), (resumed.receipt_no, "MILK", 1000)]
    assert resumed.customer == "M0001"
    press(qtbot, window, Qt.Key.Key_F9)                                # resumed once: nothing left parked
    assert message(window) == "No suspended sales"


def test_resume_waits_until_the_current_sale_is_finished(qtbot, window):
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    press(qtbot, window, Qt.Key.Key_F8)
    scan(qtbot, window, SOAP)
    resume_first(qtbot, window)
    assert message(window) == "Finish or suspend the current sale first"
    assert [row[1] for row in cart_rows(window)] == ["舒肤佳香皂 Safeguard soap"]
    press(qtbot, window, Qt.Key.Key_F8)                                # park this one too: two wait
    press(qtbot, window, Qt.Key.Key_F9)
    dialog = visible_dialog(qtbot, window, "resumeDialog")
    assert find(dialog, QListWidget, "suspendedList").count() == 2


def test_escape_closes_the_resume_list_and_changes_nothing(qtbot, window, till_dir):
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    press(qtbot, window, Qt.Key.Key_F8)
    press(qtbot, window, Qt.Key.Key_F9)
    dialog = visible_dialog(qtbot, window, "resumeDialog")
    qtbot.keyClick(find(dialog, QListWidget, "suspendedList"), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: no_dialog(window, "resumeDialog"), timeout=WAIT_MS)
    assert cart_rows(window) == []
    assert query(till_dir, "SELECT resumed_at FROM suspended_carts") == [(None,)]


def test_a_resumed_sale_with_an_approved_discount_can_be_paid(qtbot, window, till_dir):
    logged_in(qtbot, window)
    scan(qtbot, window, CHIPS)
    press(qtbot, window, Qt.Key.Key_F5)
    answer(qtbot, window, "20%")
    approve(qtbot, window)
    qtbot.waitUntil(lambda: no_dialog(window, "approverDialog"), timeout=WAIT_MS)
    assert total(window) == "6.32"
    press(qtbot, window, Qt.Key.Key_F8)
    resume_first(qtbot, window)
    assert total(window) == "6.32"
    dialog = open_payment(qtbot, window)
    tender = find(dialog, QLineEdit, "tenderInput")
    qtbot.keyClicks(tender, "10")
    qtbot.keyClick(tender, Qt.Key.Key_Return)
    assert find(dialog, QLabel, "paymentMessage").text() == ""
    assert query(till_dir, "SELECT total_minor FROM sales") == [(632,)]
