"""Recording a supplier invoice (``purchase.manage``): its input, the purchase order and goods
receipts it bills, its lines, and one transaction with a journal entry ``supplier_invoice`` and an
outbox event ``supplier_invoice.recorded``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ...core.errors import InvalidInput, NotFound
from ...core.i18n import _
from ...core.ids import new_id
from ...core.money import qty_to_milli, to_minor
from ...core.permissions import Action
from ...store import sql
from ..auth import Operator, require
from ..context import Context
from ..suppliers import product_row, supplier_row
from ..unit import write
from .figures import _at, _check_qty, _line_amount, _money
from .matching import _invoice_doc, _match
from .order_details import po_row


@dataclass(frozen=True)
class InvoiceLineInput:
    sku: str
    qty: Decimal
    price: Decimal          # per product unit, as invoiced


@dataclass(frozen=True)
class InvoiceInput:
    """A supplier's invoice. ``receipts`` are the goods-receipt numbers it bills (default: every receipt of
    ``po``); ``po`` defaults to the one order those receipts share; ``due_date`` to the invoice date plus the
    supplier's payment days; ``total`` (as printed) is compared with the sum of the lines."""

    supplier: str
    invoice_no: str
    invoice_date: date
    lines: tuple[InvoiceLineInput, ...]
    receipts: tuple[str, ...] = ()
    po: str | None = None
    due_date: date | None = None
    total: Decimal | None = None


def record_invoice(ctx: Context, operator: Operator, data: InvoiceInput,
                   approver: Operator | None = None) -> dict[str, Any]:
    """Record a supplier invoice and match it three ways (``purchase.manage``). One transaction with a
    journal entry ``supplier_invoice`` and an outbox event ``supplier_invoice.recorded``. A receipt already
    billed by another invoice, or one of another supplier, is refused; quantity and price differences are
    listed in the answer (``lines[].status``) and the invoice is marked ``differences``."""
    approved = require(operator, Action.PURCHASE, approver)
    if not data.invoice_no.strip():
        raise InvalidInput(_("The invoice needs its number"), code="missing_field")
    if not data.lines:
        raise InvalidInput(_("An invoice needs at least one line"), code="no_lines")
    with write(ctx) as unit:
        conn = unit.conn
        supplier_id, code, _name, _lead = supplier_row(conn, data.supplier)
        if sql.scalar(conn, "SELECT 1 FROM supplier_invoices WHERE supplier_id = ? AND invoice_no = ?",
                      supplier_id, data.invoice_no.strip()):
            raise InvalidInput(_("Invoice {no} of {supplier} is already recorded").format(
                no=data.invoice_no, supplier=code), code="duplicate_invoice")
        po_id, receipt_ids = _invoice_sources(conn, supplier_id, code, data)
        lines = _invoice_lines(conn, ctx, data)
        total = sum(_line_amount(q * p) for _pid, _sku, q, p in lines)
        invoice_id = new_id()
        days = sql.scalar(conn, "SELECT payment_days FROM supplier_terms WHERE supplier_id = ?", supplier_id)
        due = data.due_date or data.invoice_date + timedelta(days=30 if days is None else days)
        match = _match(conn, ctx, supplier_id, po_id, receipt_ids, lines, data.invoice_date)
        printed = to_minor(data.total, ctx.places) if data.total is not None else None
        status = "matched" if all(m["status"] == "ok" for m in match) and printed in (None, total) else "differences"
        unit.insert("supplier_invoices", {
            "id": invoice_id, "supplier_id": supplier_id, "invoice_no": data.invoice_no.strip(), "po_id": po_id,
            "invoice_date": data.invoice_date.isoformat(), "due_date": due.isoformat(), "total_minor": total,
            "status": "open", "match_status": status, "created_by": operator.id, "created_at": unit.at,
            "paid_at": None})
        unit.insert("supplier_invoice_lines", [{"invoice_id": invoice_id, "line_no": n, "product_id": pid,
                                                "qty_milli": q, "price_minor": p}
                                               for n, (pid, _sku, q, p) in enumerate(lines, start=1)])
        unit.insert("supplier_invoice_receipts", [{"invoice_id": invoice_id, "receipt_id": r} for r in receipt_ids])
        payload = {"invoice_id": invoice_id, "supplier": code, "invoice_no": data.invoice_no.strip(),
                   "invoice_date": data.invoice_date.isoformat(), "due_date": due.isoformat(), "total_minor": total,
                   "po_id": po_id, "receipt_ids": receipt_ids, "match_status": status,
                   "lines": [{"sku": s, "qty_milli": q, "price_minor": p} for _pid, s, q, p in lines]}
        digest = unit.journal("supplier_invoice", invoice_id, payload, user=operator.username,
                              approver=approved.username if approved else None)
        unit.outbox("supplier_invoice.recorded", payload, digest)
        doc = _invoice_doc(conn, ctx, invoice_id)
    if printed is not None and printed != total:
        doc["total_difference"] = _money(printed - total, ctx.places)
    return doc


def _invoice_sources(conn: sqlite3.Connection, supplier_id: str, code: str,
                     data: InvoiceInput) -> tuple[str | None, list[str]]:
    po_id = None
    if data.po:
        po_id, po_no, _status, po_supplier, _loc = po_row(conn, data.po)
        if po_supplier != supplier_id:
            raise InvalidInput(_("Purchase order {po} is not an order to {supplier}").format(po=po_no, supplier=code),
                               code="supplier_mismatch")
    receipt_ids, orders = [], set()
    for number in data.receipts:
        row = sql.one(conn, "SELECT id, supplier_id, po_id FROM goods_receipts WHERE receipt_no = ?",
                      number.strip().upper())
        if row is None:
            raise NotFound(_("Unknown goods receipt {no}").format(no=number), code="unknown_receipt")
        if row[1] != supplier_id:
            raise InvalidInput(_("Goods receipt {no} is not a delivery of {supplier}").format(no=number,
                                                                                            supplier=code),
                               code="supplier_mismatch")
        if po_id is not None and row[2] not in (None, po_id):
            raise InvalidInput(_("Goods receipt {no} was delivered against another purchase order").format(
                no=number), code="po_mismatch")
        billed = sql.scalar(conn, "SELECT i.invoice_no FROM supplier_invoice_receipts r JOIN supplier_invoices i "
                                  "ON i.id = r.invoice_id WHERE r.receipt_id = ?", row[0])
        if billed:
            raise InvalidInput(_("Goods receipt {no} is already billed by invoice {invoice}").format(
                no=number, invoice=billed), code="already_invoiced")
        receipt_ids.append(row[0])
        orders.add(row[2])
    if po_id is None and len(orders) == 1 and None not in orders:
        po_id = orders.pop()
    if not data.receipts and po_id is not None:
        receipt_ids = [r[0] for r in sql.rows(conn, """SELECT id FROM goods_receipts g WHERE po_id = ? AND NOT EXISTS
                                                       (SELECT 1 FROM supplier_invoice_receipts r
                                                        WHERE r.receipt_id = g.id)""", po_id)]
    return po_id, receipt_ids


def _invoice_lines(conn: sqlite3.Connection, ctx: Context, data: InvoiceInput) -> list[tuple[str, str, int, int]]:
    out, seen = [], set()
    for n, line in enumerate(data.lines, start=1):
        product_id, sku, name, is_weighed, _cost = product_row(conn, line.sku)
        if product_id in seen:
            raise InvalidInput(_at(n, _("{sku} is already on this invoice").format(sku=sku)),
                               code="duplicate_line", line=n)
        seen.add(product_id)
        _check_qty(line.qty, is_weighed, name, n)
        if line.price < 0:
            raise InvalidInput(_at(n, _("a price cannot be negative")), code="bad_amount", line=n)
        out.append((product_id, sku, qty_to_milli(line.qty), to_minor(line.price, ctx.places)))
    return out
