"""The close of the day in the window, end to end on a real till folder: a cashier opens a shift with a float
counted by denomination, sells (through the services), pays out cash with a manager's approval, counts the
drawer blind, sees expected against counted with the variance (and must explain it), previews the X report and
closes the day: the Z report is on screen, on the simulated receipt printer and in a PDF, and the next sale
belongs to the next business day."""

from __future__ import annotations

import subprocess
from decimal import Decimal as D

from drivers.sim.escpos_decoder import decode_escpos
from pos_desktop.devices.spool import ReceiptSpool, spool_dir
from pos_desktop.services import checkout
from pos_desktop.services.checkout import Tender
from pos_desktop.ui.qt import QComboBox, QLineEdit, QPushButton, Qt, QTableView
from tests.shifts.helpers import cart_of
from tests.ui.conftest import PRINTER_ENCODING, find
from tests.ui.flows import WAIT_MS, approve, has_keyboard, logged_in, query, visible_dialog
from tests.ui_backoffice.steps import click, rows, type_into
from tests.ui_close.steps import all_text, count_pieces, open_day_screen, show_tab, text_of

FLOAT = {("note", "100"): 2, ("note", "50"): 1, ("note", "10"): 3, ("coin", "1"): 5}   # 285.00
FLOAT_TOTAL = D("285.00")


def sell(ctx, operator, sku: str, qty: int, method: str, tendered: str | None = None):
    cart = cart_of(ctx, (sku, qty))
    total = cart.price(at=ctx.clock.now(), promotions=ctx.promotions(), tax_inclusive=True, places=2).cart.total
    return checkout.complete_sale(ctx, cart, [Tender(method, D(tendered) if tendered else total)], operator)


def test_a_day_closed_in_the_window(qtbot, day_window, till_dir, sim_printer, clock):
    win = day_window
    logged_in(qtbot, win, "amy", "1111")
    screen = open_day_screen(qtbot, win, "close_day", "closeDayScreen")
    assert "No shift is open" in text_of(screen, "closeDayStatus")

    # -- open the shift with a float counted note by note
    count_pieces(qtbot, screen, "closeDayFloat", FLOAT)
    assert text_of(screen, "closeDayFloatTotal") == "Counted: 285.00"
    with qtbot.waitSignal(screen.shift_changed, timeout=WAIT_MS):
        click(qtbot, screen, "closeDayOpenShift")
    assert "float 285.00" in text_of(screen, "closeDayStatus")
    [(float_minor, source)] = query(till_dir, "SELECT opening_float_minor, float_source FROM shifts")
    assert (float_minor, source) == (28500, "counted")
    assert sorted(query(till_dir, "SELECT kind, value_minor, quantity FROM cash_count_lines")) == \
        [("coin", 100, 5), ("note", 1000, 3), ("note", 5000, 1), ("note", 10000, 2)]

    # -- the day's sales, through the services on the window's own till
    amy = win.session.operator
    cash_sales = [sell(win.ctx, amy, "COLA", 2, "cash", "10.00"), sell(win.ctx, amy, "MILK", 3, "cash")]
    card_sale = sell(win.ctx, amy, "CHIPS", 1, "card")
    assert cash_sales[0].change == D("3.00")

    # -- a pay-out: amy may not move cash, so the manager approves
    find(screen, QComboBox, "closeDayMoveKind").setCurrentIndex(1)          # Pay-out
    type_into(qtbot, find(screen, QLineEdit, "closeDayMoveAmount"), "20.00", enter=False)
    type_into(qtbot, find(screen, QLineEdit, "closeDayMoveReason"), "milk delivery paid in cash", enter=False)
    click(qtbot, screen, "closeDayMoveButton")
    with qtbot.waitSignal(screen.shift_changed, timeout=WAIT_MS):
        approve(qtbot, win, "mia", "9999")
    assert query(till_dir, "SELECT kind, amount_minor, reason FROM cash_movements") == \
        [("out", 2000, "milk delivery paid in cash")]
    assert "Pay-out  20.00  milk delivery paid in cash" in find(screen, type(screen.shift.moves),
                                                               "closeDayMoves").item(0).text()

    # -- the blind count: nothing on screen says what the drawer should hold
    expected_cash = FLOAT_TOTAL + sum(r.total for r in cash_sales) - D("20.00")           # 285 + 7 + 8.40 − 20
    assert expected_cash == D("280.40")
    show_tab(qtbot, screen, "closeDayTabs", "closeDayCountPanel")
    assert str(expected_cash) not in all_text(screen)
    counted = {("note", "100"): 2, ("note", "50"): 1, ("note", "10"): 1, ("note", "0.2"): 2}   # 260.40
    count_pieces(qtbot, screen, "closeDayCount", counted)
    assert str(expected_cash) not in all_text(screen)
    click(qtbot, screen, "closeDayCountButton")                 # 20.00 short: above the limit of 10.00
    message = text_of(screen, "closeDayMessage")
    assert "give an explanation" in message and str(expected_cash) not in message
    assert query(till_dir, "SELECT closed_at FROM shifts") == [(None,)]      # nothing stored
    assert has_keyboard(qtbot, find(screen, QLineEdit, "closeDayExplanation"))   # where to type why
    type_into(qtbot, find(screen, QLineEdit, "closeDayExplanation"), "twenty short, manager told", enter=False)
    type_into(qtbot, find(screen, QLineEdit, "closeDayCounted_card"), "7.00", enter=False)   # the terminal's total
    with qtbot.waitSignal(screen.shift_changed, timeout=WAIT_MS):
        click(qtbot, screen, "closeDayCountButton")
    counted_total = D("260.40")
    shown = {row["Tender"]: row for row in rows(screen, "closeDayVariance")}
    assert shown["Cash"] == {"Tender": "Cash", "Expected": "280.40", "Counted": "260.40",
                             "Variance": str(counted_total - expected_cash)}
    assert shown["Card"] == {"Tender": "Card", "Expected": str(card_sale.total), "Counted": "7.00",
                             "Variance": str(D("7.00") - card_sale.total)}
    assert "variance -20.00" in text_of(screen, "closeDayVarianceTotal")
    assert query(till_dir, "SELECT variance_minor, variance_note FROM shifts") == [(-2000, "twenty short, manager told")]

    # -- the X report changes nothing
    show_tab(qtbot, screen, "closeDayTabs", "closeDayDayPanel")
    click(qtbot, screen, "closeDayXReport")
    net = sum(r.total for r in cash_sales) + card_sale.total
    x_text = text_of(screen, "closeDayXText")
    assert "X report" in x_text and _line(x_text, "Net sales").endswith(str(net))
    assert query(till_dir, "SELECT count(*) FROM z_reports") == [(0,)]

    # -- close the day: confirm, the manager approves, the Z is shown, printed and saved
    click(qtbot, screen, "closeDayCloseButton")
    box = visible_dialog(qtbot, win, "confirmDialog")
    qtbot.mouseClick(find(box, QPushButton, "yesButton"), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(screen.z_output, timeout=WAIT_MS) as output:
        approve(qtbot, win, "mia", "9999")
    out = output.args[0]
    z_text = text_of(screen, "closeDayZText")
    assert z_text.startswith("Z report 1 · business day 2026-11-20")
    assert _line(z_text, "Net sales").endswith(str(net)) and _line(z_text, "Sales").endswith("3")
    assert out.printed and out.print_error is None
    assert sim_printer.wait_for(lambda data: len(data) >= out.bytes_sent)
    paper = decode_escpos(sim_printer.received, PRINTER_ENCODING)
    assert "日结报表" in paper.text and "Z REPORT" in paper.text
    assert _line("\n".join(paper.lines), "NET SALES").endswith(str(net))
    assert ReceiptSpool(spool_dir(till_dir)).pending() == []            # printed: nothing left in the queue
    assert "printed" in text_of(screen, "closeDayPrintStatus")
    pdf = till_dir / "reports" / "z-2026-11-20-0001.pdf"
    assert out.pdf == pdf and str(pdf) in text_of(screen, "closeDayPdf")
    pdf_text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
    assert str(net) in pdf_text and "2026-11-20" in pdf_text
    assert text_of(screen, "closeDayStatus").startswith("Business day 2026-11-21")   # the next one

    # -- the day is closed: a later sale the same evening belongs to the next business day
    clock.advance(hours=3)
    later = sell(win.ctx, amy, "SOAP", 1, "cash")
    assert query(till_dir, "SELECT business_date FROM sales WHERE receipt_no = ?", later.receipt_no) == \
        [("2026-11-21",)]
    [(z_number, stored_net)] = query(till_dir, "SELECT z_number, net_sales_minor FROM z_reports")
    assert (z_number, stored_net) == (1, int(net * 100))


def _line(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(label)).rstrip()


def test_a_cashier_cannot_pay_out_without_a_manager(qtbot, day_window, till_dir):
    """Amy asks for a pay-out; the approval dialog comes up. Another cashier's PIN does not lift it and
    cancelling leaves the drawer as it was: no cash movement is stored and the screen says why."""
    win = day_window
    logged_in(qtbot, win, "amy", "1111")
    screen = open_day_screen(qtbot, win, "close_day", "closeDayScreen")
    with qtbot.waitSignal(screen.shift_changed, timeout=WAIT_MS):
        click(qtbot, screen, "closeDayOpenShift")                           # an empty float
    find(screen, QComboBox, "closeDayMoveKind").setCurrentIndex(1)
    type_into(qtbot, find(screen, QLineEdit, "closeDayMoveAmount"), "5.00", enter=False)
    type_into(qtbot, find(screen, QLineEdit, "closeDayMoveReason"), "coffee", enter=False)
    click(qtbot, screen, "closeDayMoveButton")
    dialog = approve(qtbot, win, "amy", "1111")                              # a cashier cannot approve herself
    qtbot.waitUntil(lambda: "may not" in text_of(screen, "closeDayMessage"), timeout=WAIT_MS)
    assert not dialog.isVisible()
    assert query(till_dir, "SELECT count(*) FROM cash_movements") == [(0,)]
    click(qtbot, screen, "closeDayMoveButton")
    dialog = visible_dialog(qtbot, win, "approverDialog")
    qtbot.mouseClick(find(dialog, QPushButton, "cancelButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert query(till_dir, "SELECT count(*) FROM cash_movements") == [(0,)]
    assert find(screen, QTableView, "closeDayVariance").model().rowCount() == 0
