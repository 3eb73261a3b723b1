"""Paying a supplier invoice (``purchase.manage``, outbox ``supplier_invoice.paid``), showing one, and
the accounts-payable list with due dates and days overdue.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from ...core.errors import NotFound
from ...core.i18n import _
from ...core.permissions import Action
from ...store import sql
from ..auth import Operator, require
from ..context import Context
from ..suppliers import supplier_row
from ..unit import write
from .figures import _money
from .matching import _invoice_doc
from .states import BadTransition


def pay_invoice(ctx: Context, operator: Operator, *, supplier: str, invoice_no: str,
                approver: Operator | None = None) -> dict[str, Any]:
    """Mark an open invoice paid (``purchase.manage``); journal ``supplier_invoice_paid``, outbox
    ``supplier_invoice.paid``. Paying twice is a BadTransition."""
    approved = require(operator, Action.PURCHASE, approver)
    with write(ctx) as unit:
        invoice_id, status = _invoice_row(unit.conn, supplier, invoice_no)
        if status != "open":
            raise BadTransition(_("Invoice {no} is already paid").format(no=invoice_no), code="already_paid")
        sql.execute(unit.conn, "UPDATE supplier_invoices SET status = 'paid', paid_at = ? WHERE id = ?", unit.at,
                    invoice_id)
        payload = {"invoice_id": invoice_id, "supplier": supplier, "invoice_no": invoice_no, "paid_at": unit.at}
        digest = unit.journal("supplier_invoice_paid", invoice_id, payload, user=operator.username,
                              approver=approved.username if approved else None)
        unit.outbox("supplier_invoice.paid", payload, digest)
        return _invoice_doc(unit.conn, ctx, invoice_id)


def _invoice_row(conn: sqlite3.Connection, supplier: str, invoice_no: str) -> tuple[str, str]:
    supplier_id = supplier_row(conn, supplier)[0]
    row = sql.one(conn, "SELECT id, status FROM supplier_invoices WHERE supplier_id = ? AND invoice_no = ?",
                  supplier_id, invoice_no.strip())
    if row is None:
        raise NotFound(_("Unknown invoice {no} of {supplier}").format(no=invoice_no, supplier=supplier),
                       code="unknown_invoice")
    return row


def invoice_details(ctx: Context, *, supplier: str, invoice_no: str) -> dict[str, Any]:
    """``pos invoice show``: the invoice, its status, due date and its three-way match."""
    with ctx.db.raw() as conn:
        return _invoice_doc(conn, ctx, _invoice_row(conn, supplier, invoice_no)[0])


def accounts_payable(ctx: Context, *, as_of: date | None = None, include_paid: bool = False) -> list[dict[str, Any]]:
    """``pos ap --json``: invoices still to pay (or all with ``include_paid``), earliest due first, with the
    days they are overdue on ``as_of`` (default today; negative: days still to go)."""
    today = as_of or ctx.clock.now().date()
    with ctx.db.raw() as conn:
        rows = sql.rows(conn, """SELECT s.code, s.name, i.invoice_no, i.invoice_date, i.due_date, i.total_minor,
                                        i.status, i.match_status, o.po_no FROM supplier_invoices i
                                 JOIN suppliers s ON s.id = i.supplier_id
                                 LEFT JOIN purchase_orders o ON o.id = i.po_id
                                 WHERE i.status = 'open' OR ? ORDER BY i.due_date, s.code, i.invoice_no""",
                        1 if include_paid else 0)
    out = []
    for code, name, no, inv_date, due, total, status, match_status, po_no in rows:
        overdue = (today - date.fromisoformat(due)).days
        out.append({"supplier": code, "supplier_name": name, "invoice_no": no, "po": po_no,
                    "invoice_date": inv_date, "due_date": due, "amount": _money(total, ctx.places),
                    "status": status, "match_status": match_status, "days_overdue": overdue,
                    "overdue": status == "open" and overdue > 0})
    return out
