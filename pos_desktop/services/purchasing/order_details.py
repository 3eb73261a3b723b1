"""Reading purchase orders: find one (``po_row``), what was received against each line, the
order in detail (``po_details``) and the list of orders (``list_pos``). Readers need nothing.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ...core.errors import InvalidInput, NotFound
from ...core.i18n import _
from ...store import sql
from ..context import Context
from ..suppliers import supplier_row
from .figures import _line_amount, _money, _qty
from .states import STATUSES


def po_row(conn: sqlite3.Connection, po_no: str) -> tuple[str, str, str, str, str]:
    """(id, po_no, status, supplier_id, location_id) of an order; NotFound (exit 3) otherwise."""
    row = sql.one(conn, "SELECT id, po_no, status, supplier_id, location_id FROM purchase_orders WHERE po_no = ?",
                  po_no.strip().upper())
    if row is None:
        raise NotFound(_("Unknown purchase order {po}").format(po=po_no), code="unknown_po")
    return row


def received_by_line(conn: sqlite3.Connection, po_id: str) -> dict[int, int]:
    """Accepted quantity (thousandths) received so far against each line of an order."""
    return dict(sql.rows(conn, """SELECT l.po_line_no, sum(l.accepted_milli) FROM goods_receipt_lines l
                                  JOIN goods_receipts r ON r.id = l.receipt_id
                                  WHERE r.po_id = ? AND l.po_line_no IS NOT NULL GROUP BY l.po_line_no""", po_id))


def po_details(ctx: Context, po_no: str) -> dict[str, Any]:
    """``pos po show PO --json``: the order, each line's ordered, received and outstanding quantity, the
    receipts against it."""
    with ctx.db.raw() as conn:
        return _details(conn, ctx, po_no)


def list_pos(ctx: Context, *, status: str | None = None, supplier: str | None = None) -> list[dict[str, Any]]:
    """``pos po list --json``: orders, newest first, optionally of one state or one supplier."""
    if status is not None and status not in STATUSES:
        raise InvalidInput(_("Unknown state {status}; choose one of {choices}").format(
            status=status, choices=", ".join(STATUSES)), code="bad_status")
    with ctx.db.raw() as conn:
        query = ("SELECT o.po_no, s.code, o.status, o.created_at, o.expected_date, "
                 "(SELECT sum(qty_milli * coalesce(price_minor, 0)) FROM purchase_order_lines WHERE po_id = o.id) "
                 "FROM purchase_orders o JOIN suppliers s ON s.id = o.supplier_id WHERE 1 = 1")
        params: list[Any] = []
        if status:
            query += " AND o.status = ?"
            params.append(status)
        if supplier:
            query += " AND s.id = ?"
            params.append(supplier_row(conn, supplier)[0])
        rows = sql.rows(conn, query + " ORDER BY o.created_at DESC, o.po_no DESC", *params)
    return [{"po": po, "supplier": code, "status": st, "created_at": at, "expected_date": expected,
             "total": _money(_line_amount(total or 0, 1000), ctx.places)}
            for po, code, st, at, expected, total in rows]


def _details(conn: sqlite3.Connection, ctx: Context, po_no: str) -> dict[str, Any]:
    po_id, po_no, status, _supplier_id, _loc = po_row(conn, po_no)
    head = sql.one(conn, """SELECT s.code, s.name, l.code, o.source, o.note, o.created_at, o.sent_at,
                                   o.expected_date, o.closed_at, o.close_reason, u.username
                            FROM purchase_orders o JOIN suppliers s ON s.id = o.supplier_id
                            JOIN locations l ON l.id = o.location_id JOIN users u ON u.id = o.created_by
                            WHERE o.id = ?""", po_id)
    received = received_by_line(conn, po_id)
    lines, total = [], 0
    for line_no, sku, name, qty, price, pack in sql.rows(
            conn, """SELECT l.line_no, p.sku, p.name, l.qty_milli, l.price_minor, l.pack_qty_milli
                     FROM purchase_order_lines l JOIN products p ON p.id = l.product_id
                     WHERE l.po_id = ? ORDER BY l.line_no""", po_id):
        got = received.get(line_no, 0)
        amount = _line_amount(qty * price) if price is not None else None
        total += amount or 0
        lines.append({"line_no": line_no, "sku": sku, "name": name, "qty": _qty(qty), "received_qty": _qty(got),
                      "outstanding_qty": _qty(max(qty - got, 0)), "price": _money(price, ctx.places),
                      "pack_qty": _qty(pack), "amount": _money(amount, ctx.places)})
    receipts = [r[0] for r in sql.rows(conn, "SELECT receipt_no FROM goods_receipts WHERE po_id = ? "
                                             "ORDER BY created_at, rowid", po_id)]
    code, name, location, source, note, created, sent, expected, closed, reason, user = head
    return {"po": po_no, "po_id": po_id, "supplier": code, "supplier_name": name, "status": status,
            "location": location, "source": source, "note": note, "created_at": created, "created_by": user,
            "sent_at": sent, "expected_date": expected, "closed_at": closed, "close_reason": reason,
            "total": _money(total, ctx.places), "lines": lines, "receipts": receipts}
