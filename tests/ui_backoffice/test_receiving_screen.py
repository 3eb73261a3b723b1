"""Receiving against a purchase order on the receiving screen: packs of cola scanned with the keyboard-wedge
scanner, milk from its GS1-128 label on the serial scanner (lot and expiry read from the label), a quantity
typed, two cartons rejected; the screen warns before, the database holds the stock, the batch and the order's
new state after, and the goods-received note is shown, printed and saved as PDF."""

from __future__ import annotations

from pathlib import Path

from drivers.sim.escpos_decoder import decode_escpos
from pos_desktop.ui.qt import QComboBox, QLabel, QLineEdit, QPlainTextEdit
from tests.conftest import CHIPS, COLA_6, MILK
from tests.ui.conftest import PRINTER_ENCODING, find
from tests.ui.flows import WAIT_MS, logged_in, query, visible_dialog
from tests.ui_backoffice.steps import click, closed, open_screen, rows, type_into, wedge_scan

MILK_LABEL = f"01{'0' + MILK}17271231" + "10L2701B"      # GS1-128 as the scanner sends it (lot last: no GS)


def choose(qtbot, combo: QComboBox, data: str) -> None:
    index = combo.findData(data)
    assert index >= 0, f"{data} is not offered"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def levels(till_dir: Path, sku: str) -> dict[tuple[str, str | None], int]:
    return {(loc, lot): q for loc, lot, q in query(
        till_dir, """SELECT l.code, b.lot, sl.qty_milli FROM stock_levels sl JOIN products p ON p.id = sl.product_id
                     JOIN locations l ON l.id = sl.location_id LEFT JOIN batches b ON b.id = sl.batch_key
                     WHERE p.sku = ? AND sl.qty_milli != 0""", sku)}


def test_receiving_against_an_order_by_scanning(qtbot, sent_order, device_window, pty_scanner, sim_printer, till_dir):
    win = device_window
    logged_in(qtbot, win, "ken", "4444")                                  # a stock clerk
    screen = open_screen(qtbot, win, "receiving", "receivingScreen")
    choose(qtbot, find(screen, QComboBox, "receivePo"), sent_order)
    assert [(r["SKU"], r["Ordered"], r["Received"], r["Outstanding"]) for r in rows(screen, "receivePoLines")] == [
        ("COLA", "24", "0", "24"), ("MILK", "12", "0", "12")]
    assert find(screen, QComboBox, "receiveSupplier").currentData() == "SUP01"
    assert find(screen, QComboBox, "receiveLocation").currentData() == "BACK"

    wedge_scan(qtbot, screen, "receiveScanInput", COLA_6)                 # a six-pack of cola
    wedge_scan(qtbot, screen, "receiveScanInput", f"3*{COLA_6}")          # three more: one line, 4 packs
    wedge_scan(qtbot, screen, "receiveScanInput", CHIPS)                  # not ordered: said, then removed
    assert rows(screen, "receiveLines")[-1]["Check"] == "not on the order"
    click(qtbot, screen, "receiveRemoveLine")
    pty_scanner.scan(MILK_LABEL, aim="]C1")                               # the serial scanner reads the label
    qtbot.waitUntil(lambda: len(rows(screen, "receiveLines")) == 2, timeout=WAIT_MS)
    cola, milk = rows(screen, "receiveLines")
    assert (cola["SKU"], cola["Qty"], cola["Units"], cola["Check"]) == ("COLA", "4", "24", "OK")
    assert (milk["SKU"], milk["Lot"], milk["Expiry"], milk["Qty"]) == ("MILK", "L2701B", "2027-12-31", "1")
    assert milk["Check"] == "under the order by 11"
    assert find(screen, QLineEdit, "receiveLot").isReadOnly()             # the label's lot is what the goods carry

    type_into(qtbot, find(screen, QLineEdit, "receiveQty"), "12")          # 12 cartons came …
    type_into(qtbot, find(screen, QLineEdit, "receiveRejected"), "2")      # … two of them leaking
    assert rows(screen, "receiveLines")[1]["Check"].startswith("say why goods are rejected")
    type_into(qtbot, find(screen, QLineEdit, "receiveReason"), "leaking")
    assert rows(screen, "receiveLines")[1]["Check"] == "under the order by 2"
    assert find(screen, QLineEdit, "receiveScanInput").hasFocus()          # Enter went back to scanning
    assert "Not in this delivery" not in find(screen, QLabel, "receiveSummary").text()

    with qtbot.waitSignal(screen.delivered, timeout=WAIT_MS) as done:
        click(qtbot, screen, "receiveButton")
    doc = done.args[0]
    assert [(ln["sku"], ln["accepted_qty"], ln["delivery"]) for ln in doc["lines"]] == [
        ("COLA", "24.000", "exact"), ("MILK", "10.000", "under")]
    assert levels(till_dir, "COLA") == {("BACK", None): 24000}
    assert levels(till_dir, "MILK") == {("BACK", "L2701B"): 10000, ("QUAR", "L2701B"): 2000}
    assert query(till_dir, "SELECT b.lot, b.expiry FROM batches b JOIN products p ON p.id = b.product_id "
                           "WHERE p.sku = 'MILK'") == [("L2701B", "2027-12-31")]
    assert query(till_dir, "SELECT status FROM purchase_orders WHERE po_no = ?", sent_order) == [("partly_received",)]
    assert query(till_dir, "SELECT count(*) FROM outbox WHERE kind = 'stock.received'") == [(1,)]
    assert rows(screen, "receiveLines") == []

    note = visible_dialog(qtbot, win, "grnDialog")
    text = find(note, QPlainTextEdit, "grnText").toPlainText()
    assert "GOODS RECEIVED NOTE" in text and doc["receipt_no"] in text and "L2701B" in text and "leaking" in text
    pdf = till_dir / "documents" / "goods-received" / f"{doc['receipt_no']}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and str(pdf) in find(note, QLabel, "grnPdfLabel").text()
    click(qtbot, note, "grnPrintButton")
    assert sim_printer.wait_for(lambda data: b"L2701B" in data)
    printed = "\n".join(line for page in decode_escpos(sim_printer.received, PRINTER_ENCODING).pages()
                        for line in page)
    assert "GOODS RECEIVED NOTE" in printed and doc["receipt_no"] in printed
    assert find(note, QLabel, "grnMessage").text() == "Printed"
    click(qtbot, note, "closeButton")
    closed(qtbot, note)
