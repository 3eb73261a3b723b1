"""The three-way match of a supplier invoice, per product: what was ordered, what was received, what
is invoiced; and the stored invoice as a document with its match (``_invoice_doc``).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from ...store import sql
from ..context import Context
from ..suppliers import contract_price
from .figures import _line_amount, _money, _qty


def _match(conn: sqlite3.Connection, ctx: Context, supplier_id: str, po_id: str | None, receipt_ids: list[str],
           lines: list[tuple[str, str, int, int]], on: date) -> list[dict[str, Any]]:
    """One row per product on the order, the receipts or the invoice: ordered, received, invoiced."""
    ordered: dict[str, tuple[int, int | None]] = {}
    if po_id:
        for pid, qty, price in sql.rows(conn, "SELECT product_id, qty_milli, price_minor FROM purchase_order_lines "
                                              "WHERE po_id = ?", po_id):
            ordered[pid] = (qty, price)
    received: dict[str, tuple[int, int | None]] = {}
    for rid in receipt_ids:
        for pid, qty, cost in sql.rows(conn, "SELECT product_id, accepted_milli, unit_cost_minor "
                                             "FROM goods_receipt_lines WHERE receipt_id = ?", rid):
            before = received.get(pid, (0, cost))
            received[pid] = (before[0] + qty, cost if cost is not None else before[1])
    invoiced = {pid: (q, p) for pid, _sku, q, p in lines}
    products = {pid: sql.one(conn, "SELECT sku, name FROM products WHERE id = ?", pid)
                for pid in ordered.keys() | received.keys() | invoiced.keys()}
    rows = []
    for pid, (sku, name) in sorted(products.items(), key=lambda item: item[1][0]):
        o_qty, o_price = ordered.get(pid, (None, None))
        r_qty, r_cost = received.get(pid, (None, None))
        i_qty, i_price = invoiced.get(pid, (None, None))
        expected = o_price if o_price is not None else contract_price(conn, supplier_id, pid, on)
        expected = expected if expected is not None else r_cost
        problems = []
        if i_qty is None:
            problems.append("not_invoiced")
        else:
            if (r_qty or 0) != i_qty:
                problems.append("qty")
            if expected is not None and i_price != expected:
                problems.append("price")
        if po_id and o_qty is None:
            problems.append("not_ordered")
        rows.append({
            "sku": sku, "name": name, "ordered_qty": _qty(o_qty), "received_qty": _qty(r_qty or 0),
            "invoiced_qty": _qty(i_qty), "po_price": _money(o_price, ctx.places),
            "expected_price": _money(expected, ctx.places), "invoice_price": _money(i_price, ctx.places),
            "qty_difference": _qty((i_qty or 0) - (r_qty or 0)),
            "price_difference": _money(i_price - expected, ctx.places)
            if i_price is not None and expected is not None else None,
            "amount_difference": _money(_line_amount((i_qty or 0) * (i_price or 0))
                                        - _line_amount((r_qty or 0) * (expected or i_price or 0)), ctx.places),
            "status": "ok" if not problems else "+".join(problems)})
    return rows


def _invoice_doc(conn: sqlite3.Connection, ctx: Context, invoice_id: str) -> dict[str, Any]:
    (supplier_id, code, invoice_no, po_id, inv_date, due, total, status, match_status,
     paid_at) = sql.one(conn, """SELECT i.supplier_id, s.code, i.invoice_no, i.po_id, i.invoice_date, i.due_date,
                                 i.total_minor, i.status, i.match_status, i.paid_at FROM supplier_invoices i
                                 JOIN suppliers s ON s.id = i.supplier_id WHERE i.id = ?""", invoice_id)
    receipts = sql.rows(conn, "SELECT g.id, g.receipt_no FROM supplier_invoice_receipts r JOIN goods_receipts g "
                              "ON g.id = r.receipt_id WHERE r.invoice_id = ? ORDER BY g.receipt_no", invoice_id)
    lines = [(pid, sku, q, p) for pid, sku, q, p in sql.rows(
        conn, "SELECT l.product_id, p.sku, l.qty_milli, l.price_minor FROM supplier_invoice_lines l "
              "JOIN products p ON p.id = l.product_id WHERE l.invoice_id = ? ORDER BY l.line_no", invoice_id)]
    po_no = sql.scalar(conn, "SELECT po_no FROM purchase_orders WHERE id = ?", po_id) if po_id else None
    return {"invoice_id": invoice_id, "supplier": code, "invoice_no": invoice_no, "po": po_no,
            "receipts": [no for _id, no in receipts], "invoice_date": inv_date, "due_date": due,
            "total": _money(total, ctx.places), "status": status, "paid_at": paid_at, "match_status": match_status,
            "lines": _match(conn, ctx, supplier_id, po_id, [rid for rid, _no in receipts], lines,
                            date.fromisoformat(inv_date))}
