"""Scanning: by a keyboard-wedge scanner typing into scanInput, with a quantity prefix, refused codes, and by a
serial scanner on a pseudo-terminal whose reads arrive on a reader thread and are carried to the GUI thread."""

from __future__ import annotations

import threading

from pos_desktop.core.barcodes import append_check_digit
from pos_desktop.ui.qt import QTableView
from tests.conftest import CHIPS, COLA, COLA_6, MILK
from tests.ui.conftest import find
from tests.ui.flows import WAIT_MS, cart_rows, has_keyboard, label, line_edit, logged_in, message, scan, total

UNKNOWN = append_check_digit("690123456799")   # a valid EAN-13 that is not in the catalog
BAD_CHECK_DIGIT = "6901234567893"              # COLA with the last digit wrong


def test_wedge_scans_add_lines_and_the_last_item_is_shown_large(qtbot, window):
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    assert cart_rows(window) == [("1", "可口可乐 Coca-Cola 330ml", "1", "3.50", "", "3.50")]
    assert label(window, "lastItemLabel") == "可口可乐 Coca-Cola 330ml   3.50"
    assert line_edit(window, "scanInput").text() == ""              # ready for the next scan
    assert has_keyboard(qtbot, line_edit(window, "scanInput"))
    scan(qtbot, window, MILK)
    assert [row[1:3] for row in cart_rows(window)] == [("可口可乐 Coca-Cola 330ml", "1"), ("伊利纯牛奶 Yili milk 250ml", "1")]
    assert total(window) == "6.30"
    assert label(window, "itemsLabel") == "2 lines"
    # the newest line is the selected one (F4/F5/F7/Del act on it)
    assert find(window, QTableView, "cartTable").selectionModel().selectedRows()[0].row() == 1


def test_a_quantity_prefix_and_a_pack_barcode_multiply(qtbot, window):
    logged_in(qtbot, window)
    scan(qtbot, window, f"3*{CHIPS}")
    assert cart_rows(window) == [("1", "乐事薯片 Lay's chips 75g", "3", "7.90", "", "23.70")]
    scan(qtbot, window, COLA_6)                                      # the six-pack barcode: six colas
    assert cart_rows(window)[1][1:3] == ("可口可乐 Coca-Cola 330ml", "6")
    assert total(window) == "44.70"


def test_a_bad_quantity_prefix_is_refused(qtbot, window):
    logged_in(qtbot, window)
    scan(qtbot, window, f"x*{COLA}")
    assert message(window) and cart_rows(window) == []


def test_a_wrong_check_digit_is_refused_and_nothing_is_added(qtbot, window):
    logged_in(qtbot, window)
    scan(qtbot, window, COLA)
    scan(qtbot, window, BAD_CHECK_DIGIT)
    assert message(window) == "Barcode 6901234567893 has a wrong check digit (expected 2)"
    assert len(cart_rows(window)) == 1
    assert total(window) == "3.50"
    assert line_edit(window, "scanInput").text() == "" and has_keyboard(qtbot, line_edit(window, "scanInput"))


def test_an_unknown_barcode_is_said_and_the_next_good_scan_clears_the_message(qtbot, window):
    logged_in(qtbot, window)
    scan(qtbot, window, UNKNOWN)
    assert UNKNOWN in message(window)
    assert cart_rows(window) == []
    scan(qtbot, window, COLA)
    assert message(window) == "" and len(cart_rows(window)) == 1


def test_serial_scanner_reads_reach_the_cart_on_the_gui_thread(qtbot, scanner_window, pty_scanner):
    win = scanner_window
    logged_in(qtbot, win)
    model = find(win, QTableView, "cartTable").model()
    threads: list[threading.Thread] = []
    model.modelReset.connect(lambda: threads.append(threading.current_thread()))
    pty_scanner.scan(COLA)
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=WAIT_MS)
    assert cart_rows(win) == [("1", "可口可乐 Coca-Cola 330ml", "1", "3.50", "", "3.50")]
    pty_scanner.scan(COLA)
    qtbot.waitUntil(lambda: cart_rows(win)[0][2] == "2", timeout=WAIT_MS)
    assert total(win) == "7.00"
    assert threads and all(t is threading.main_thread() for t in threads)


def test_a_serial_scan_with_a_bad_check_digit_is_said_and_not_added(qtbot, scanner_window, pty_scanner):
    win = scanner_window
    logged_in(qtbot, win)
    pty_scanner.scan(BAD_CHECK_DIGIT)
    qtbot.waitUntil(lambda: "check digit" in message(win), timeout=WAIT_MS)
    assert cart_rows(win) == []
    pty_scanner.scan(CHIPS)
    qtbot.waitUntil(lambda: len(cart_rows(win)) == 1, timeout=WAIT_MS)


def test_the_status_bar_says_the_serial_scanner_is_listening(qtbot, scanner_window):
    logged_in(qtbot, scanner_window)
    qtbot.waitUntil(lambda: "scanner: Listening" in label(scanner_window, "deviceStatus"), timeout=WAIT_MS)
