"""A blind stock count on the counting screen: a stock clerk scans, the till sells in between, a second clerk
takes over on the same PC and counts the rest; the counters never see the expected quantities; a manager steps
in, reviews the variances and approves; the on-hand afterwards is what was on the shelf, the sales made during
the count included."""

from __future__ import annotations

import pytest

from pos_desktop.ui.app import create_main_window
from pos_desktop.ui.qt import QCheckBox, QComboBox, QLabel, QLineEdit
from tests.backoffice.helpers import stock_in
from tests.conftest import CHIPS, COLA
from tests.ui.conftest import find
from tests.ui.flows import (
    WAIT_MS,
    approve,
    journal,
    logged_in,
    on_hand,
    pay_cash,
    query,
    scan,
    visible_dialog,
)
from tests.ui_backoffice.steps import click, closed, open_screen, rows, type_into, wedge_scan


@pytest.fixture
def stocked(store, second_clerk):
    stock_in(store, "COLA", "FLOOR", 20)
    stock_in(store, "CHIPS", "FLOOR", 10)


@pytest.fixture
def count_window(stocked, window):
    return window


def counted(screen) -> dict[str, tuple[str, ...]]:
    return {r["SKU"]: tuple(v for k, v in r.items() if k not in ("SKU", "Product", "Category", "Counters"))
            for r in rows(screen, "countLines")}


def test_a_blind_count_with_two_counters_and_a_sale_in_between(qtbot, count_window, till_dir):
    win = count_window
    logged_in(qtbot, win, "ken", "4444")
    screen = open_screen(qtbot, win, "count", "countScreen")
    assert find(screen, QComboBox, "countLocation").currentData() == "FLOOR"
    find(screen, QCheckBox, "countBlind").setChecked(True)
    click(qtbot, screen, "countStartButton")
    assert "blind" in find(screen, QLabel, "countTitle").text()
    assert "Expected" not in rows(screen, "countLines")[0]                  # the counter never sees it
    wedge_scan(qtbot, screen, "countScanInput", f"12*{COLA}")               # 12 cans in one go
    wedge_scan(qtbot, screen, "countScanInput", CHIPS)                      # one bag …
    type_into(qtbot, find(screen, QLineEdit, "countQtyInput"), "2")         # … then "2" typed, and a scan
    wedge_scan(qtbot, screen, "countScanInput", CHIPS)
    assert counted(screen) == {"CHIPS": ("3", "3", "counted"), "COLA": ("12", "12", "counted")}
    assert "your count 3" in find(screen, QLabel, "countLastLabel").text()
    click(qtbot, screen, "countCloseButton")
    closed(qtbot, screen)

    win.logout()                                                            # the till sells meanwhile:
    logged_in(qtbot, win, "amy", "1111")                                    # one bag of chips already counted,
    scan(qtbot, win, CHIPS)                                                 # two cans from the uncounted rest
    scan(qtbot, win, f"2*{COLA}")
    pay_cash(qtbot, win, "20")
    win.logout()

    logged_in(qtbot, win, "ken", "4444")
    screen = open_screen(qtbot, win, "count", "countScreen")
    click(qtbot, screen, "countContinueButton")
    click(qtbot, screen, "countCounterButton")                              # kai takes over on this PC
    sign_in = visible_dialog(qtbot, win, "signInDialog")
    type_into(qtbot, find(sign_in, QLineEdit, "signInUser"), "kai")
    type_into(qtbot, find(sign_in, QLineEdit, "signInPin"), "5555")
    closed(qtbot, sign_in)
    assert find(screen, QLabel, "countCounter").text() == "Counting: kai"
    assert counted(screen)["COLA"] == ("", "12", "counted")                 # kai's own tally is empty
    wedge_scan(qtbot, screen, "countScanInput", f"5*{COLA}")                # the 5 cans left on the shelf
    assert counted(screen)["COLA"] == ("5", "17", "counted")

    click(qtbot, screen, "countFinishButton")
    report = {r["SKU"]: r for r in rows(screen, "countLines")}
    assert "Expected" not in report["COLA"] and report["COLA"]["Counted"] == "17"
    assert "expected quantities are for the manager" in find(screen, QLabel, "countTotalLabel").text()

    click(qtbot, screen, "countApproveButton")                              # kai may not: a manager steps in
    closed(qtbot, approve(qtbot, win, "mia", "9999"))
    report = {r["SKU"]: r for r in rows(screen, "countLines")}              # mia sees what was expected
    assert (report["COLA"]["Expected"], report["COLA"]["Variance"]) == ("18", "-1")    # at kai's scan: after the sale
    assert (report["CHIPS"]["Expected"], report["CHIPS"]["Variance"]) == ("10", "-7")  # at ken's: before it
    assert query(till_dir, "SELECT status FROM stock_counts") == [("finished",)]
    click(qtbot, screen, "countApproveButton")                              # she approves
    qtbot.waitUntil(lambda: query(till_dir, "SELECT status FROM stock_counts") == [("approved",)], timeout=WAIT_MS)
    assert "posted: 2 of 2 lines changed" in find(screen, QLabel, "countMessage").text()

    assert on_hand(till_dir, "COLA") == 17000                               # what is on the shelf now
    assert on_hand(till_dir, "CHIPS") == 2000                               # 3 counted, 1 sold since
    [entry] = journal(till_dir, "stock_count")
    assert entry["user"] == "kai" and entry["approver"] == "mia"


@pytest.fixture
def count_scanner_window(stocked, scanner_window):
    return scanner_window


def test_a_manager_asks_for_a_recount_of_one_line_then_approves(qtbot, count_scanner_window, pty_scanner, till_dir):
    win = count_scanner_window
    logged_in(qtbot, win, "mia", "9999")                                    # a manager counts: no one steps in
    screen = open_screen(qtbot, win, "count", "countScreen")
    click(qtbot, screen, "countStartButton")
    wedge_scan(qtbot, screen, "countScanInput", f"15*{COLA}")
    pty_scanner.scan(CHIPS)                                                 # the serial scanner counts too
    qtbot.waitUntil(lambda: counted(screen)["CHIPS"][0] == "1", timeout=WAIT_MS)
    wedge_scan(qtbot, screen, "countScanInput", f"9*{CHIPS}")
    assert "2 of 2 lines counted" in find(screen, QLabel, "countTotalLabel").text()
    click(qtbot, screen, "countFinishButton")
    report = {r["SKU"]: r for r in rows(screen, "countLines")}
    assert (report["COLA"]["Expected"], report["COLA"]["Variance"], report["COLA"]["Value"]) == ("20", "-5", "-10.50")
    assert report["CHIPS"]["Variance"] == "0"

    screen.view.selectRow(list(report).index("COLA"))                       # the cola looks wrong: count it again
    click(qtbot, screen, "countRecountButton")
    assert counted(screen)["COLA"][-1] == "to recount"
    wedge_scan(qtbot, screen, "countScanInput", CHIPS)                      # only the line asked for is counted
    assert "only the lines asked for" in find(screen, QLabel, "countMessage").text()
    wedge_scan(qtbot, screen, "countScanInput", f"19*{COLA}")
    click(qtbot, screen, "countFinishButton")
    click(qtbot, screen, "countApproveButton")
    qtbot.waitUntil(lambda: query(till_dir, "SELECT status FROM stock_counts") == [("approved",)], timeout=WAIT_MS)
    assert on_hand(till_dir, "COLA") == 19000 and on_hand(till_dir, "CHIPS") == 10000


@pytest.fixture
def threaded_window(qtbot, stocked, till_dir, clock):
    """The count on the till's own worker threads, as in the shop."""
    win = create_main_window(till_dir, clock=clock)
    qtbot.addWidget(win)
    return win


def test_quick_scans_on_worker_threads_are_all_recorded_in_order(qtbot, threaded_window, till_dir):
    win = threaded_window
    logged_in(qtbot, win, "ken", "4444")
    screen = open_screen(qtbot, win, "count", "countScreen")
    qtbot.waitUntil(lambda: find(screen, QComboBox, "countLocation").count() > 0, timeout=WAIT_MS)
    click(qtbot, screen, "countStartButton")
    field = find(screen, QLineEdit, "countScanInput")
    qtbot.waitUntil(field.isEnabled, timeout=WAIT_MS)
    codes = [COLA, COLA, f"3*{CHIPS}", COLA, CHIPS, f"2*{COLA}", COLA, CHIPS]
    for code in codes:                                                      # faster than each one is written
        wedge_scan(qtbot, screen, "countScanInput", code)
    qtbot.waitUntil(lambda: counted(screen).get("COLA", ("",))[0] == "6"
                    and counted(screen).get("CHIPS", ("",))[0] == "5", timeout=WAIT_MS)
    assert [q for (q,) in query(till_dir, "SELECT qty_milli FROM count_entries ORDER BY seq")] == [
        1000, 1000, 3000, 1000, 1000, 2000, 1000, 1000]
