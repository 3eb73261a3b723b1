"""Receiving goods: GS1 lots and expiries, quarantine, moving-average cost, deliveries against an order, the
events and the note; and every bad input refused with nothing written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from pos_desktop.core.barcodes import append_check_digit
from pos_desktop.core.errors import BarcodeError, InvalidInput, NotFound, PermissionDenied
from pos_desktop.core.gs1 import GS
from pos_desktop.core.receipt_text import width
from pos_desktop.services import journal, purchasing, receiving, stock
from pos_desktop.services.purchasing import BadTransition, PoLineInput
from pos_desktop.services.receiving import ReceiptInput
from pos_desktop.services.receiving import ReceiptLineInput as Line
from tests.conftest import COLA, COLA_6, MILK

from .conftest import cost, db_state, events, journal_kinds, levels, rows

MILK_GS1 = f"(01)0{MILK}(17)261231(10)L2612A"
MILK_RAW = f"]C1010{MILK}17270115{GS}10L2701B"   # as a scanner sends it: AIM id, AIs run together, GS
UNKNOWN = append_check_digit("690123456799")      # a valid EAN-13 in no catalog
BAD_GS1 = f"(01)0{MILK[:-1]}{(int(MILK[-1]) + 1) % 10}(17)261231(10)L1"


def receive(ctx, who, *lines: Line, **head) -> dict:
    return receiving.receive_goods(ctx, who, ReceiptInput(tuple(lines), **head))


def test_a_delivery_without_an_order_by_sku_barcode_and_gs1(ctx, clerk):
    done = receive(ctx, clerk,
                   Line(sku="SOAP", qty=D(10), unit_cost=D("3.00")),
                   Line(barcode=COLA_6, qty=D(4), unit_cost=D("12.00")),           # 4 six-packs
                   Line(gs1=MILK_GS1, qty=D(24), rejected_qty=D(2), reject_reason="leaking"),
                   Line(barcode=MILK_RAW, qty=D(6)),
                   location="BACK", supplier="SUP01")
    assert done["receipt_no"] == "GR-S01-T01-000001" and done["supplier"] == "SUP01" and done["po"] is None
    assert [(ln["sku"], ln["qty"], ln["accepted_qty"], ln["rejected_qty"], ln["lot"], ln["expiry"])
            for ln in done["lines"]] == [
        ("SOAP", "10.000", "10.000", "0.000", None, None),
        ("COLA", "24.000", "24.000", "0.000", None, None),
        ("MILK", "24.000", "22.000", "2.000", "L2612A", "2026-12-31"),
        ("MILK", "6.000", "6.000", "0.000", "L2701B", "2027-01-15")]
    assert done["lines"][1]["unit_cost"] == "2.00"              # 12.00 a six-pack
    assert levels(ctx, "MILK") == {("BACK", "L2612A", "2026-12-31"): "22", ("QUAR", "L2612A", "2026-12-31"): "2",
                                   ("BACK", "L2701B", "2027-01-15"): "6"}
    assert levels(ctx, "COLA") == {("BACK", None, None): "24"}
    reasons = rows(ctx, "SELECT reason, doc_type, count(*) FROM stock_movements GROUP BY 1, 2 ORDER BY 1")
    assert reasons == [("receipt", "receipt", 4), ("rejected", "receipt", 1)]
    assert rows(ctx, "SELECT reject_reason FROM goods_receipt_lines WHERE rejected_milli > 0") == [("leaking",)]


def test_the_receipt_is_journaled_and_outboxed_with_movements_for_the_wire(ctx, clerk):
    done = receive(ctx, clerk, Line(gs1=MILK_GS1, qty=D(5), rejected_qty=D(1), reject_reason="torn"))
    [event] = events(ctx, "stock.received")
    assert event["receipt_no"] == done["receipt_no"] and event["location"] == "BACK"
    assert event["lines"] == [{"sku": "MILK", "lot": "L2612A", "expiry": "2026-12-31", "accepted_milli": 4000,
                               "rejected_milli": 1000, "reject_reason": "torn", "unit_cost_minor": None}]
    assert sorted((m["sku"], m["location"], m["lot"], m["expiry"], m["qty_milli"], m["reason"])
                  for m in event["movements"]) == [("MILK", "BACK", "L2612A", "2026-12-31", 4000, "receipt"),
                                                   ("MILK", "QUAR", "L2612A", "2026-12-31", 1000, "rejected")]
    assert "goods_received" in journal_kinds(ctx)
    assert journal.verify(ctx).ok


def test_moving_average_cost_in_minor_units_half_up(ctx, clerk, manager):
    assert cost(ctx, "SOAP") == 300
    # no stock on hand: the new cost is the delivery's
    receive(ctx, clerk, Line(sku="SOAP", qty=D(1), unit_cost=D("3.01")))
    assert cost(ctx, "SOAP") == 301
    # 1 at 3.01 and 1 at 3.00: 3.005 → 3.01 (half-up)
    done = receive(ctx, clerk, Line(sku="SOAP", qty=D(1), unit_cost=D("3.00")))
    assert cost(ctx, "SOAP") == 301
    # 2 at 3.01 and 2 at 2.00: 2.505 → 2.51; quarantine stock does not count
    done = receive(ctx, clerk, Line(sku="SOAP", qty=D(4), rejected_qty=D(2), reject_reason="dented",
                                    unit_cost=D("2.00")))
    assert cost(ctx, "SOAP") == 251
    assert done["cost_updates"] == [{"sku": "SOAP", "old_cost": "3.01", "new_cost": "2.51"}]
    # negative stock on hand: the delivery's cost
    stock.adjust_stock(ctx, manager, sku="CHIPS", location="FLOOR", qty_delta=D(-5), reason="correction")
    receive(ctx, clerk, Line(sku="CHIPS", qty=D(10), unit_cost=D("4.40")))
    assert cost(ctx, "CHIPS") == 440
    # no unit cost, no order, no contract price: the cost stays
    assert receive(ctx, clerk, Line(sku="CHIPS", qty=D(1)))["cost_updates"] == []
    assert cost(ctx, "CHIPS") == 440


def test_against_an_order_under_over_and_not_ordered_and_the_state_follows(ctx, manager, clerk, sup01):
    po = purchasing.create_po(ctx, manager, supplier="SUP01",
                              lines=[PoLineInput("COLA", D(24)), PoLineInput("MILK", D(12))])["po"]
    purchasing.send_po(ctx, manager, po)
    first = receive(ctx, clerk, Line(sku="COLA", qty=D(18)), po=po)
    assert first["po_status"] == "partly_received" and first["location"] == "BACK"
    [cola] = first["lines"]
    assert (cola["ordered_qty"], cola["received_before_qty"], cola["outstanding_qty"], cola["delivery"],
            cola["unit_cost"]) == ("24.000", "0.000", "6.000", "under", "2.00")
    assert first["short"] == [{"line_no": 2, "sku": "MILK", "name": "伊利纯牛奶 Yili milk 250ml",
                               "ordered_qty": "12.000", "received_qty": "0.000", "outstanding_qty": "12.000"}]

    second = receive(ctx, clerk, Line(sku="COLA", qty=D(12)), Line(gs1=MILK_GS1, qty=D(12)),
                     Line(sku="SOAP", qty=D(3)), po=po, supplier="SUP01")
    assert second["po_status"] == "received" and second["short"] == []
    assert [(ln["sku"], ln["delivery"], ln["outstanding_qty"]) for ln in second["lines"]] == [
        ("COLA", "over", "0.000"), ("MILK", "exact", "0.000"), ("SOAP", "not_ordered", None)]
    assert second["warnings"] == ["SOAP is not on purchase order PO-S01-T01-000001"]
    shown = purchasing.po_details(ctx, po)
    assert shown["status"] == "received" and shown["receipts"] == [first["receipt_no"], second["receipt_no"]]
    assert [(ln["received_qty"], ln["outstanding_qty"]) for ln in shown["lines"]] == [("30.000", "0.000"),
                                                                                      ("12.000", "0.000")]
    with pytest.raises(BadTransition) as closed:
        receive(ctx, clerk, Line(sku="COLA", qty=D(1)), po=po)
    assert closed.value.code == "po_closed"


def test_rejected_goods_leave_the_order_outstanding_and_a_short_order_can_be_closed(ctx, manager, clerk, sup01):
    po = purchasing.create_po(ctx, manager, supplier="SUP01", lines=[PoLineInput("COLA", D(12))])["po"]
    purchasing.send_po(ctx, manager, po)
    done = receive(ctx, clerk, Line(sku="COLA", qty=D(12), rejected_qty=D(12), reject_reason="crushed"), po=po)
    assert done["po_status"] == "sent"                       # nothing accepted yet
    done = receive(ctx, clerk, Line(sku="COLA", qty=D(6)), po=po)
    assert done["po_status"] == "partly_received" and done["lines"][0]["outstanding_qty"] == "6.000"
    closed = purchasing.close_po(ctx, manager, po, "rest discontinued")
    assert closed["status"] == "received" and closed["lines"][0]["outstanding_qty"] == "6.000"


def test_the_goods_received_note_as_text_and_pdf(ctx, clerk, tmp_path):
    from pos_desktop.services import documents_pdf

    done = receive(ctx, clerk, Line(gs1=MILK_GS1, qty=D(24), rejected_qty=D(2), reject_reason="leaking",
                                    unit_cost=D("1.90")), supplier="SUP01")
    note = receiving.goods_received_note(ctx, done["receipt_no"])
    assert note.total_value == D("41.80") and note.supplier == "SUP01 SUP01"
    text = receiving.note_text(note, 32)
    assert "GOODS RECEIVED NOTE" in text[0] and any("伊利纯牛奶" in line for line in text)
    assert any("rejected 2.000: leaking" in line for line in text)
    assert all(width(line) <= 32 for line in text)
    pdf = documents_pdf.write_grn_pdf(note, tmp_path / "grn.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"STSong-Light" in pdf
    with pytest.raises(NotFound):
        receiving.goods_received_note(ctx, "GR-S01-T01-999999")


def test_identify_tells_the_screen_what_a_scan_means(ctx):
    found = receiving.identify(ctx, gs1=MILK_GS1)
    assert (found.sku, found.lot, found.expiry, found.pack_milli) == ("MILK", "L2612A", date(2026, 12, 31), 1000)
    assert receiving.identify(ctx, barcode=COLA_6).pack_milli == 6000
    assert receiving.identify(ctx, barcode=COLA).sku == "COLA"


BAD_LINES = [
    # (line, error code, words the user reads)
    (Line(sku="NOPE", qty=D(1)), "unknown_product", "Line 1: Unknown SKU NOPE"),
    (Line(barcode=UNKNOWN, qty=D(1)), "unknown_barcode", f"Line 1: Unknown barcode {UNKNOWN}"),
    (Line(barcode="6901234567893", qty=D(1)), "bad_barcode", "wrong check digit (expected 2)"),
    (Line(gs1=BAD_GS1, qty=D(1)), "bad_barcode", "in AI (01) has a wrong check digit"),
    (Line(gs1="(01)069012345679(17)261231", qty=D(1)), "bad_barcode", "AI (01)"),
    (Line(gs1=f"(01)0{MILK}(17)261332(10)L1", qty=D(1)), "bad_barcode", "is not a valid date"),
    (Line(gs1=MILK_GS1, lot="L9999", qty=D(1)), "lot_mismatch", "the lot L9999 differs from the lot L2612A"),
    (Line(gs1=MILK_GS1, expiry=date(2027, 1, 1), qty=D(1)), "expiry_mismatch", "differs from 2026-12-31"),
    (Line(sku="COLA", qty=D(-3)), "bad_qty", "must be more than 0"),
    (Line(sku="COLA", qty=D(0)), "bad_qty", "must be more than 0"),
    (Line(sku="COLA", qty=D("1.5")), "bad_qty", "whole units"),
    (Line(sku="COLA", qty=D(2), rejected_qty=D(3), reject_reason="x"), "bad_qty", "3 rejected is more than the 2"),
    (Line(sku="COLA", qty=D(2), rejected_qty=D(-1)), "bad_qty", "cannot be negative"),
    (Line(sku="COLA", qty=D(2), rejected_qty=D(1)), "reason_required", "say why"),
    (Line(sku="MILK", qty=D(2), expiry=date(2026, 12, 31)), "lot_required", "tracked by lot"),
    (Line(sku="MILK", qty=D(2), lot="L1"), "expiry_required", "give its expiry date"),
    (Line(gs1=f"(01)0{MILK}(17)261101(10)OLD", qty=D(2)), "expired", "expired on 2026-11-01"),
    (Line(sku="COLA", barcode=COLA, qty=D(1)), "product_key", "exactly one of sku, barcode or gs1"),
    (Line(qty=D(1)), "product_key", "exactly one of sku, barcode or gs1"),
    (Line(sku="COLA", qty=D(1), unit_cost=D(-2)), "bad_amount", "cannot be negative"),
]


@pytest.mark.parametrize("bad, code, words", BAD_LINES, ids=[c for _l, c, _w in BAD_LINES])
def test_a_bad_line_refuses_the_whole_delivery(ctx, clerk, bad, code, words):
    before = db_state(ctx.db.path)
    with pytest.raises(InvalidInput) as refused:
        receive(ctx, clerk, bad, Line(sku="SOAP", qty=D(1)))
    assert refused.value.code == code and words in refused.value.message, refused.value.message
    assert refused.value.exit_code == 3 and refused.value.to_json()["line"] == 1
    assert db_state(ctx.db.path) == before


def test_a_second_line_is_named_by_its_number(ctx, clerk):
    with pytest.raises(BarcodeError) as refused:
        receive(ctx, clerk, Line(sku="SOAP", qty=D(1)), Line(gs1=BAD_GS1, qty=D(1)))
    assert refused.value.message.startswith("Line 2: ") and refused.value.details["line"] == 2


def test_a_known_lot_with_another_expiry_is_refused(ctx, clerk):
    receive(ctx, clerk, Line(gs1=MILK_GS1, qty=D(1)))
    with pytest.raises(InvalidInput, match="already recorded with the expiry 2026-12-31") as refused:
        receive(ctx, clerk, Line(sku="MILK", lot="L2612A", expiry=date(2027, 3, 1), qty=D(1)))
    assert refused.value.code == "expiry_conflict"


def test_orders_that_cannot_be_received_against(ctx, manager, clerk, sup01):
    draft = purchasing.create_po(ctx, manager, supplier="SUP01", lines=[PoLineInput("COLA", D(6))])["po"]
    with pytest.raises(BadTransition, match="is draft; goods can only be received against a sent order") as e:
        receive(ctx, clerk, Line(sku="COLA", qty=D(6)), po=draft)
    assert e.value.code == "po_not_sent"
    purchasing.cancel_po(ctx, manager, draft, "wrong supplier")
    before = db_state(ctx.db.path)
    with pytest.raises(BadTransition, match="is cancelled") as cancelled:
        receive(ctx, clerk, Line(sku="COLA", qty=D(6)), po=draft)
    assert cancelled.value.code == "po_cancelled" and db_state(ctx.db.path) == before
    with pytest.raises(NotFound) as unknown:
        receive(ctx, clerk, Line(sku="COLA", qty=D(6)), po="PO-S01-T01-000099")
    assert unknown.value.code == "unknown_po"
    other = purchasing.create_po(ctx, manager, supplier="SUP01", lines=[PoLineInput("COLA", D(6))])["po"]
    purchasing.send_po(ctx, manager, other)
    purchasing.create_po(ctx, manager, supplier="SUP01", lines=[PoLineInput("COLA", D(6))])
    from pos_desktop.services.suppliers import SupplierInput, save_supplier
    save_supplier(ctx, manager, SupplierInput("SUP02", "Other"))
    with pytest.raises(InvalidInput, match="is an order to SUP01, not to SUP02") as mismatch:
        receive(ctx, clerk, Line(sku="COLA", qty=D(6)), po=other, supplier="SUP02")
    assert mismatch.value.code == "supplier_mismatch"


def test_who_may_receive(ctx, cashier, manager):
    with pytest.raises(PermissionDenied) as refused:
        receive(ctx, cashier, Line(sku="COLA", qty=D(1)))
    assert refused.value.exit_code == 4
    assert receive(ctx, manager, Line(sku="COLA", qty=D(1)))["lines"][0]["accepted_qty"] == "1.000"
    with pytest.raises(NotFound) as location:
        receive(ctx, manager, Line(sku="COLA", qty=D(1)), location="ROOF")
    assert location.value.code == "unknown_location"
    with pytest.raises(InvalidInput, match="at least one line"):
        receive(ctx, manager)
