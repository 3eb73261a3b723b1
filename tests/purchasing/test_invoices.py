"""Supplier invoices matched three ways (order, receipt, invoice), and the accounts-payable list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from pos_desktop.core.errors import InvalidInput, NotFound, PermissionDenied
from pos_desktop.services import purchasing, receiving
from pos_desktop.services.purchasing import BadTransition, InvoiceInput, PoLineInput
from pos_desktop.services.purchasing import InvoiceLineInput as Bill
from pos_desktop.services.receiving import ReceiptInput, ReceiptLineInput
from pos_desktop.services.suppliers import SupplierInput, save_supplier

from .conftest import events, journal_kinds


@pytest.fixture
def delivered(ctx, manager, clerk, sup01):
    """PO for 24 COLA at 2.00 and 12 MILK at 1.80; 18 COLA and 12 MILK (one rejected) delivered."""
    po = purchasing.create_po(ctx, manager, supplier="SUP01",
                              lines=[PoLineInput("COLA", D(24)), PoLineInput("MILK", D(12))])["po"]
    purchasing.send_po(ctx, manager, po)
    receipt = receiving.receive_goods(ctx, clerk, ReceiptInput((
        ReceiptLineInput(sku="COLA", qty=D(18)),
        ReceiptLineInput(sku="MILK", qty=D(12), rejected_qty=D(1), reject_reason="leaking", lot="L1",
                         expiry=date(2026, 12, 31))), po=po))
    return po, receipt["receipt_no"]


def test_an_invoice_that_matches(ctx, manager, delivered):
    po, receipt = delivered
    doc = purchasing.record_invoice(ctx, manager, InvoiceInput(
        "SUP01", "FP-001", date(2026, 11, 21), (Bill("COLA", D(18), D("2.00")), Bill("MILK", D(11), D("1.80"))),
        receipts=(receipt,), total=D("55.80")))
    assert (doc["match_status"], doc["po"], doc["receipts"], doc["total"], doc["due_date"]) == (
        "matched", po, [receipt], "55.80", "2026-12-21")                 # 30 days of payment terms
    assert [(r["sku"], r["ordered_qty"], r["received_qty"], r["invoiced_qty"], r["status"]) for r in doc["lines"]] == [
        ("COLA", "24.000", "18.000", "18.000", "ok"), ("MILK", "12.000", "11.000", "11.000", "ok")]
    assert events(ctx, "supplier_invoice.recorded")[0]["total_minor"] == 5580
    assert "supplier_invoice" in journal_kinds(ctx)


def test_quantity_and_price_differences_are_listed(ctx, manager, delivered):
    po, _receipt = delivered       # the receipts default to every unbilled receipt of the order
    doc = purchasing.record_invoice(ctx, manager, InvoiceInput(
        "SUP01", "FP-002", date(2026, 11, 21),
        (Bill("COLA", D(24), D("2.00")), Bill("MILK", D(11), D("1.95")), Bill("SOAP", D(2), D("3.00"))),
        po=po, total=D("90.00")))
    assert doc["match_status"] == "differences" and doc["total"] == "75.45" and doc["total_difference"] == "14.55"
    got = {r["sku"]: r for r in doc["lines"]}
    assert (got["COLA"]["status"], got["COLA"]["qty_difference"], got["COLA"]["amount_difference"]) == (
        "qty", "6.000", "12.00")                         # billed 24, received 18
    assert (got["MILK"]["status"], got["MILK"]["price_difference"], got["MILK"]["amount_difference"]) == (
        "price", "0.15", "1.65")                         # 1.95 billed, 1.80 ordered
    assert got["SOAP"]["status"] == "qty+not_ordered" and got["SOAP"]["ordered_qty"] is None
    assert purchasing.invoice_details(ctx, supplier="SUP01", invoice_no="FP-002")["lines"] == doc["lines"]


def test_accounts_payable_by_due_date_and_paying(ctx, manager, delivered):
    _po, receipt = delivered
    save_supplier(ctx, manager, SupplierInput("SUP02", "蒙牛 Mengniu", payment_days=7))
    purchasing.record_invoice(ctx, manager, InvoiceInput("SUP01", "FP-1", date(2026, 11, 1),
                                                         (Bill("COLA", D(18), D(2)),), receipts=(receipt,)))
    purchasing.record_invoice(ctx, manager, InvoiceInput("SUP02", "MN-9", date(2026, 11, 5),
                                                         (Bill("MILK", D(10), D("1.70")),)))
    ap = purchasing.accounts_payable(ctx, as_of=date(2026, 12, 5))
    assert [(r["supplier"], r["invoice_no"], r["due_date"], r["amount"], r["days_overdue"], r["overdue"])
            for r in ap] == [("SUP02", "MN-9", "2026-11-12", "17.00", 23, True),
                             ("SUP01", "FP-1", "2026-12-01", "36.00", 4, True)]
    assert ap[1]["match_status"] == "differences"        # MILK received but not billed
    paid = purchasing.pay_invoice(ctx, manager, supplier="SUP02", invoice_no="MN-9")
    assert paid["status"] == "paid" and paid["paid_at"]
    with pytest.raises(BadTransition, match="already paid"):
        purchasing.pay_invoice(ctx, manager, supplier="SUP02", invoice_no="MN-9")
    assert [r["invoice_no"] for r in purchasing.accounts_payable(ctx)] == ["FP-1"]
    assert [r["status"] for r in purchasing.accounts_payable(ctx, include_paid=True)] == ["paid", "open"]


def test_bad_invoices_are_refused(ctx, manager, clerk, delivered):
    _po, receipt = delivered
    one = (Bill("COLA", D(18), D(2)),)
    purchasing.record_invoice(ctx, manager, InvoiceInput("SUP01", "FP-1", date(2026, 11, 21), one,
                                                         receipts=(receipt,)))
    cases = [
        (InvoiceInput("SUP01", "FP-1", date(2026, 11, 21), one), "duplicate_invoice"),
        (InvoiceInput("SUP01", "FP-2", date(2026, 11, 21), one, receipts=(receipt,)), "already_invoiced"),
        (InvoiceInput("SUP01", "FP-3", date(2026, 11, 21), one, receipts=("GR-S01-T01-000009",)), "unknown_receipt"),
        (InvoiceInput("SUP01", "FP-4", date(2026, 11, 21), ()), "no_lines"),
        (InvoiceInput("SUP01", "FP-5", date(2026, 11, 21), (Bill("COLA", D(-1), D(2)),)), "bad_qty"),
        (InvoiceInput("SUP01", "FP-6", date(2026, 11, 21), (Bill("COLA", D(1), D(-2)),)), "bad_amount"),
        (InvoiceInput("NOPE", "FP-7", date(2026, 11, 21), one), "unknown_supplier"),
    ]
    for data, code in cases:
        with pytest.raises(InvalidInput) as refused:
            purchasing.record_invoice(ctx, manager, data)
        assert refused.value.code == code, (data.invoice_no, refused.value)
    save_supplier(ctx, manager, SupplierInput("SUP02", "Other"))
    with pytest.raises(InvalidInput, match="is not a delivery of SUP02"):
        purchasing.record_invoice(ctx, manager, InvoiceInput("SUP02", "X", date(2026, 11, 21), one,
                                                             receipts=(receipt,)))
    with pytest.raises(PermissionDenied):
        purchasing.record_invoice(ctx, clerk, InvoiceInput("SUP01", "FP-8", date(2026, 11, 21), one))
    with pytest.raises(NotFound):
        purchasing.invoice_details(ctx, supplier="SUP01", invoice_no="nope")
