"""Suppliers (terms, contacts, packs, contract prices by date) and purchase orders (states, permissions)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from pos_desktop.core.errors import InvalidInput, NotFound, PermissionDenied
from pos_desktop.services import purchasing, suppliers
from pos_desktop.services.purchasing import BadTransition, PoLineInput
from pos_desktop.services.suppliers import Contact, SupplierInput

from .conftest import events, journal_kinds, rows


def test_a_supplier_made_by_the_catalog_import_gets_its_terms_and_contacts(ctx, manager, sup01):
    # SUP01 came with the catalog (code only); saving it again fills it in
    [listed] = [s for s in suppliers.list_suppliers(ctx) if s["code"] == "SUP01"]
    assert listed == {"code": "SUP01", "name": "太古可口可乐 Swire Coca-Cola", "lead_time_days": 3,
                      "min_order": "100.00", "payment_days": 30, "products": 1,
                      "contacts": [{"name": "王经理 Wang", "phone": "13900000000", "email": "wang@swire.cn"}]}
    details = suppliers.supplier_details(ctx, "SUP01")
    assert [(i["sku"], i["pack_qty"], i["price"]) for i in details["items"]] == [("COLA", "6.000", "2.00"),
                                                                                 ("MILK", "1.000", "1.80")]
    saved = events(ctx, "supplier.saved")[-1]
    assert saved["min_order_minor"] == 10000 and saved["contacts"][0]["email"] == "wang@swire.cn"
    assert {"supplier_saved", "supplier_item_set"} <= set(journal_kinds(ctx))

    again = suppliers.save_supplier(ctx, manager, SupplierInput("NEW1", "新供应商 New", 5))
    assert again["created"] is True and again["contacts"] == [] and again["min_order"] == "0.00"


def test_the_contract_price_is_the_one_valid_on_the_day(ctx, manager, sup01):
    set_price = lambda price, start, end=None: suppliers.set_item(
        ctx, manager, supplier="SUP01", sku="COLA", price=D(price), valid_from=start, valid_to=end)
    set_price("2.20", date(2026, 12, 1))                          # from December on
    set_price("1.50", date(2026, 12, 24), date(2026, 12, 26))     # a Christmas deal
    on = lambda day: suppliers.supplier_details(ctx, "SUP01", day)["items"][0]["price"]
    assert on(date(2026, 11, 20)) == "2.00"
    assert on(date(2026, 12, 1)) == "2.20"
    assert on(date(2026, 12, 25)) == "1.50"
    assert on(date(2026, 12, 27)) == "2.20"
    assert on(date(2026, 11, 19)) is None                        # before any price
    assert len(suppliers.supplier_details(ctx, "SUP01")["items"][0]["prices"]) == 3


@pytest.mark.parametrize("data, code", [
    (SupplierInput("bad code!", "X"), "bad_supplier_code"),
    (SupplierInput("S2", " "), "missing_field"),
    (SupplierInput("S2", "X", lead_time_days=-1), "bad_days"),
    (SupplierInput("S2", "X", min_order=D(-1)), "bad_amount"),
    (SupplierInput("S2", "X", contacts=(Contact("Li", email="not-an-address"),)), "bad_email"),
])
def test_bad_supplier_data_is_refused(ctx, manager, data, code):
    with pytest.raises(InvalidInput) as refused:
        suppliers.save_supplier(ctx, manager, data)
    assert refused.value.code == code


def test_bad_items_are_refused(ctx, manager, sup01):
    with pytest.raises(InvalidInput, match="whole units") as whole:
        suppliers.set_item(ctx, manager, supplier="SUP01", sku="COLA", pack_qty=D("1.5"))
    assert whole.value.code == "bad_qty"
    with pytest.raises(InvalidInput, match="cannot end"):
        suppliers.set_item(ctx, manager, supplier="SUP01", sku="COLA", price=D(2), valid_from=date(2026, 12, 2),
                           valid_to=date(2026, 12, 1))
    with pytest.raises(NotFound) as unknown:
        suppliers.set_item(ctx, manager, supplier="NOPE", sku="COLA", price=D(2))
    assert unknown.value.code == "unknown_supplier"
    with pytest.raises(NotFound) as unknown_sku:
        suppliers.set_item(ctx, manager, supplier="SUP01", sku="NOPE", price=D(2))
    assert unknown_sku.value.code == "unknown_product"
    # weighed goods may come in packs of 2.5 kg
    assert suppliers.set_item(ctx, manager, supplier="SUP01", sku="APPLE-KG", pack_qty=D("2.5"))["pack_qty"] == "2.500"


def test_only_a_manager_keeps_suppliers(ctx, clerk, cashier):
    for who in (clerk, cashier):
        with pytest.raises(PermissionDenied, match="a manager must approve"):
            suppliers.save_supplier(ctx, who, SupplierInput("S9", "X"))


def test_an_order_goes_draft_sent_and_cancelled_and_says_when_it_cannot(ctx, manager, sup01):
    po = purchasing.create_po(ctx, manager, supplier="SUP01",
                              lines=[PoLineInput("COLA", D(24)), PoLineInput("CHIPS", D(10)),
                                     PoLineInput("MILK", D(12), D("1.75"))])
    assert po["status"] == "draft" and po["po"] == "PO-S01-T01-000001"
    # prices: the contract price of the day, else the product's cost, else as given
    assert [(ln["sku"], ln["price"], ln["pack_qty"]) for ln in po["lines"]] == [
        ("COLA", "2.00", "6.000"), ("CHIPS", "5.00", "1.000"), ("MILK", "1.75", "1.000")]
    assert po["total"] == "119.00"

    sent = purchasing.send_po(ctx, manager, po["po"])
    assert (sent["status"], sent["expected_date"]) == ("sent", "2026-11-23")      # lead time 3 days
    with pytest.raises(BadTransition, match="is sent; only a draft can be sent"):
        purchasing.send_po(ctx, manager, po["po"])
    with pytest.raises(BadTransition, match="only a partly received order can be closed"):
        purchasing.close_po(ctx, manager, po["po"], "rest not coming")
    with pytest.raises(InvalidInput, match="reason"):
        purchasing.cancel_po(ctx, manager, po["po"], " ")
    cancelled = purchasing.cancel_po(ctx, manager, po["po"], "supplier out of stock")
    assert (cancelled["status"], cancelled["close_reason"]) == ("cancelled", "supplier out of stock")
    with pytest.raises(BadTransition, match="is cancelled") as again:
        purchasing.cancel_po(ctx, manager, po["po"], "twice")
    assert again.value.code == "bad_transition" and again.value.exit_code == 3

    kinds = [e["to"] for e in events(ctx, "purchase_order.sent") + events(ctx, "purchase_order.cancelled")]
    assert kinds == ["sent", "cancelled"]
    assert {"po_created", "po_sent", "po_cancelled"} <= set(journal_kinds(ctx))
    assert [p["po"] for p in purchasing.list_pos(ctx)] == ["PO-S01-T01-000001"]
    assert purchasing.list_pos(ctx, status="draft") == []


def test_a_stock_clerk_cannot_cancel_an_order_but_a_manager_may_approve_it(ctx, manager, clerk, sup01):
    po = purchasing.create_po(ctx, manager, supplier="SUP01", lines=[PoLineInput("COLA", D(6))])["po"]
    before = rows(ctx, "SELECT status FROM purchase_orders")
    with pytest.raises(PermissionDenied) as refused:
        purchasing.cancel_po(ctx, clerk, po, "not needed")
    assert refused.value.exit_code == 4 and "a manager must approve" in refused.value.message
    assert rows(ctx, "SELECT status FROM purchase_orders") == before
    assert purchasing.cancel_po(ctx, clerk, po, "not needed", approver=manager)["status"] == "cancelled"
    entry = rows(ctx, "SELECT entry FROM journal WHERE kind = 'po_cancelled'")[0][0]
    assert '"approver":"mia"' in entry and '"user":"ken"' in entry


@pytest.mark.parametrize("lines, code", [
    ([], "no_lines"),
    ([PoLineInput("COLA", D(0))], "bad_qty"),
    ([PoLineInput("COLA", D(-6))], "bad_qty"),
    ([PoLineInput("COLA", D("1.5"))], "bad_qty"),
    ([PoLineInput("COLA", D(6)), PoLineInput("COLA", D(6))], "duplicate_line"),
    ([PoLineInput("NOPE", D(6))], "unknown_product"),
    ([PoLineInput("COLA", D(6), D(-1))], "bad_amount"),
])
def test_bad_orders_are_refused_and_nothing_is_written(ctx, manager, sup01, lines, code):
    with pytest.raises(InvalidInput) as refused:
        purchasing.create_po(ctx, manager, supplier="SUP01", lines=lines)
    assert refused.value.code == code
    assert rows(ctx, "SELECT count(*) FROM purchase_orders") == [(0,)]


def test_unknown_supplier_location_and_order(ctx, manager):
    with pytest.raises(NotFound) as supplier:
        purchasing.create_po(ctx, manager, supplier="NOPE", lines=[PoLineInput("COLA", D(1))])
    assert supplier.value.code == "unknown_supplier"
    with pytest.raises(NotFound) as location:
        purchasing.create_po(ctx, manager, supplier="SUP01", lines=[PoLineInput("COLA", D(1))], location="ROOF")
    assert location.value.code == "unknown_location"
    with pytest.raises(NotFound) as order:
        purchasing.po_details(ctx, "PO-S01-T01-999999")
    assert order.value.code == "unknown_po"
