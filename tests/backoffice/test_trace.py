"""Lot traceability: a lot's whole life — delivery, transfer, count, sales to members, a return — in one report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from pos_desktop.core.errors import NotFound
from pos_desktop.services import auth, counts, receiving, returns, trace, transfers
from pos_desktop.services.returns import ReturnRequest
from pos_desktop.services.transfers import LineInput
from tests.backoffice.helpers import sell, stock_in


def test_a_recall_sees_every_document_that_touched_the_lot(ctx, cashier, manager, clock):
    ken = auth.login(ctx, "ken", "4444")
    stock_in(ctx, "MILK", "FLOOR", 2, lot="OTHER", expiry="2027-01-31")     # a later lot: sold after L7
    delivery = receiving.receive_goods(ctx, manager, receiving.ReceiptInput(
        lines=(receiving.ReceiptLineInput(sku="MILK", qty=D(10), lot="L7", expiry=date(2026, 12, 1),
                                          unit_cost=D("2.00")),), location="BACK", supplier="SUP01"))
    clock.advance(minutes=10)
    move = transfers.create_transfer(ctx, ken, from_location="BACK", to="FLOOR", lines=[LineInput(D(8), sku="MILK")])
    transfers.ship_transfer(ctx, ken, move.id)
    transfers.receive_transfer(ctx, ken, move.id)
    clock.advance(minutes=10)
    member_sale = sell(ctx, cashier, ("MILK", 3), customer="M0001")
    other_sale = sell(ctx, cashier, ("MILK", 1))
    returns.return_items(ctx, cashier, receipt_no=member_sale.receipt_no, lines=[ReturnRequest(1, D(1))])
    clock.advance(minutes=10)
    count = counts.start_count(ctx, ken, location="FLOOR")
    counts.record_count(ctx, ken, count.id, sku="MILK", lot="L7", qty=D(4))
    counts.record_count(ctx, ken, count.id, sku="MILK", lot="OTHER", qty=D(2))
    counts.finish_count(ctx, ken, count.id)
    counts.approve_count(ctx, manager, count.id)

    doc = trace.trace_lot(ctx, "L7").to_json()
    assert doc["batches"] == [{"sku": "MILK", "name": "伊利纯牛奶 Yili milk 250ml", "lot": "L7", "expiry": "2026-12-01",
                               "on_hand": [{"location": "BACK", "qty": "2.000"}, {"location": "FLOOR", "qty": "4.000"}]}]
    events = [(e["kind"], e["reference"], e["location"], e["qty"]) for e in doc["events"]]
    assert events == [
        ("receipt", delivery["receipt_no"], "BACK", "10.000"),
        ("transfer", move.number, "BACK", "-8.000"), ("transfer", move.number, "TRANSIT", "8.000"),
        ("transfer", move.number, "TRANSIT", "-8.000"), ("transfer", move.number, "FLOOR", "8.000"),
        ("sale", member_sale.receipt_no, "FLOOR", "-3.000"), ("sale", other_sale.receipt_no, "FLOOR", "-1.000"),
        ("return", events[7][1], "FLOOR", "1.000"),
        ("count", count.number, "FLOOR", "-1.000")]
    assert doc["events"][0]["supplier"] == "SUP01"
    assert doc["events"][5]["member"] == {"code": "M0001", "name": "王芳"}
    assert doc["events"][6]["member"] is None
    assert doc["events"][7]["original_receipt"] == member_sale.receipt_no
    assert doc["events"][1]["to"] == "S01:FLOOR" and doc["events"][1]["user"] == "ken"
    assert (doc["sold"], doc["returned"]) == ("4.000", "1.000")
    assert doc["members"] == [{"code": "M0001", "name": "王芳", "receipts": [member_sale.receipt_no]}]


def test_a_lot_nobody_has_is_said_so(ctx):
    with pytest.raises(NotFound) as missing:
        trace.trace_lot(ctx, "NOPE")
    assert missing.value.code == "unknown_lot" and "NOPE" in missing.value.message


def test_the_same_lot_code_of_two_products_and_the_sku_filter(ctx):
    stock_in(ctx, "MILK", "FLOOR", 1, lot="X1", expiry="2027-01-01")
    stock_in(ctx, "CHIPS", "FLOOR", 0, lot="X1")
    assert [b["sku"] for b in trace.trace_lot(ctx, "X1").to_json()["batches"]] == ["CHIPS", "MILK"]
    only = trace.trace_lot(ctx, "X1", "MILK").to_json()
    assert [b["sku"] for b in only["batches"]] == ["MILK"]
    assert [(e["kind"], e["qty"]) for e in only["events"]] == [("opening", "1.000")]
