"""More of the close-day screen: a printer that is off when the Z is made (the day closes all the same, the
report waits in the print queue and the screen says so without a blocking dialog), a manager closing the day
with the shift still open (it is carried over), and a drawer handed over to the next cashier."""

from __future__ import annotations

from decimal import Decimal as D

from drivers.sim.escpos_decoder import decode_escpos
from pos_desktop.devices.spool import ReceiptSpool, spool_dir
from pos_desktop.ui.qt import QDialog, QLineEdit, QMessageBox, QPushButton, Qt
from tests.ui.conftest import PRINTER_ENCODING, find
from tests.ui.flows import WAIT_MS, logged_in, query, visible_dialog
from tests.ui_backoffice.steps import click, rows, type_into
from tests.ui_close.steps import count_pieces, open_day_screen, show_tab, text_of
from tests.ui_close.test_close_day import sell


def close_the_day(qtbot, win, screen):
    show_tab(qtbot, screen, "closeDayTabs", "closeDayDayPanel")
    click(qtbot, screen, "closeDayCloseButton")
    box = visible_dialog(qtbot, win, "confirmDialog")
    with qtbot.waitSignal(screen.z_output, timeout=WAIT_MS) as output:
        qtbot.mouseClick(find(box, QPushButton, "yesButton"), Qt.MouseButton.LeftButton)
    return output.args[0]


def test_a_printer_fault_does_not_stop_the_close(qtbot, day_window, till_dir, sim_printer):
    win = day_window
    logged_in(qtbot, win, "mia", "9999")                       # a manager: no approval needed
    screen = open_day_screen(qtbot, win, "close_day", "closeDayScreen")
    count_pieces(qtbot, screen, "closeDayFloat", {("note", "100"): 1})
    with qtbot.waitSignal(screen.shift_changed, timeout=WAIT_MS):
        click(qtbot, screen, "closeDayOpenShift")
    sale = sell(win.ctx, win.session.operator, "COLA", 1, "cash")
    sim_printer.go_offline("refuse")

    out = close_the_day(qtbot, win, screen)
    assert query(till_dir, "SELECT z_number FROM z_reports") == [(1,)]           # the day is closed anyway
    assert not out.printed and out.queued_job is not None
    status = text_of(screen, "closeDayPrintStatus")
    assert status.startswith("Z report not printed:") and "waits in the print queue" in status
    assert not [d for d in win.findChildren(QMessageBox) if d.isVisible()]         # said, not a blocking box
    [job] = ReceiptSpool(spool_dir(till_dir)).pending()
    assert (job.kind, job.receipt_no, job.job_id) == ("z_report", "Z0001-2026-11-20", out.queued_job)
    assert "NET SALES" in decode_escpos(job.data, PRINTER_ENCODING).text and str(sale.total) in \
        decode_escpos(job.data, PRINTER_ENCODING).text
    assert out.pdf is not None and out.pdf.exists()                              # the PDF does not need paper
    # the open shift held the closed day's sale: it ended at the close and the next one carries its cash
    [(kind,)] = query(till_dir, "SELECT close_kind FROM shifts WHERE closed_at IS NOT NULL")
    [(carried, source)] = query(till_dir, "SELECT opening_float_minor, float_source FROM shifts "
                                          "WHERE closed_at IS NULL")
    assert kind == "day_close" and (carried, source) == (10000 + int(sale.total * 100), "carried")
    assert "float 103.50" in text_of(screen, "closeDayStatus")


def test_the_drawer_handed_over_with_a_count(qtbot, day_window, till_dir):
    win = day_window
    logged_in(qtbot, win, "amy", "1111")
    screen = open_day_screen(qtbot, win, "close_day", "closeDayScreen")
    count_pieces(qtbot, screen, "closeDayFloat", {("note", "50"): 2})
    with qtbot.waitSignal(screen.shift_changed, timeout=WAIT_MS):
        click(qtbot, screen, "closeDayOpenShift")
    sale = sell(win.ctx, win.session.operator, "SOAP", 2, "cash")                    # 9.00
    show_tab(qtbot, screen, "closeDayTabs", "closeDayCountPanel")
    click(qtbot, screen, "closeDayHandOver")
    assert "Type the user name" in text_of(screen, "closeDayMessage")
    count_pieces(qtbot, screen, "closeDayCount", {("note", "100"): 1, ("note", "5"): 1, ("coin", "1"): 4})
    type_into(qtbot, find(screen, QLineEdit, "closeDayHandOverUser"), "sam", enter=False)
    with qtbot.waitSignal(screen.shift_changed, timeout=WAIT_MS):
        click(qtbot, screen, "closeDayHandOver")
    [cash] = [row for row in rows(screen, "closeDayVariance") if row["Tender"] == "Cash"]
    assert cash == {"Tender": "Cash", "Expected": str(D("100.00") + sale.total), "Counted": "109.00",
                    "Variance": "0.00"}
    assert "from amy to sam" in text_of(screen, "closeDayMessage")
    assert query(till_dir, "SELECT close_kind, counted_cash_minor FROM shifts WHERE closed_at IS NOT NULL") == \
        [("handover", 10900)]
    [(holder, float_minor, source)] = query(till_dir, "SELECT u.username, s.opening_float_minor, s.float_source "
                                                      "FROM shifts s JOIN users u ON u.id = s.opened_by "
                                                      "WHERE s.closed_at IS NULL")
    assert (holder, float_minor, source) == ("sam", 10900, "counted")
    assert "held by sam" in text_of(screen, "closeDayStatus")
    assert not [d for d in win.findChildren(QDialog, "approverDialog") if d.isVisible()]
