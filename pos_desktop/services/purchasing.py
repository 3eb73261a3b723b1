"""Purchase orders and supplier invoices.

A purchase order moves draft → sent → partly_received → received, or draft/sent → cancelled; a partly
received order whose rest will not come is closed (→ received, short). ``receiving.receive_goods`` moves
sent/partly_received forward; everything else here. A move that the order's state does not allow is a
``BadTransition`` (exit 3) naming the state. Writers need ``purchase.manage`` (manager) and are each one
transaction with a journal entry and an outbox event (``purchase_order.created|sent|cancelled|closed``,
``supplier_invoice.recorded|paid``). Readers need nothing.

A supplier invoice is matched three ways, per product: what was ordered (the PO's quantity and price), what
was received (accepted quantity of the receipts it bills), what is invoiced (quantity and price). Differences
are listed, not refused: the invoice is recorded with ``match_status`` ``matched`` or ``differences`` and
appears in the accounts-payable list with its due date (invoice date + the supplier's payment days).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..core.errors import InvalidInput, NotFound
from ..core.i18n import _
from ..core.ids import new_id
from ..core.money import format_money, format_qty, from_minor, milli_to_qty, qty_to_milli, to_minor
from ..core.permissions import Action
from ..store import sql
from .auth import Operator, require
from .context import Context
from .stock import location_id
from .suppliers import contract_price, pack_qty_milli, product_row, supplier_row
from .unit import Unit, write

DRAFT, SENT, PARTLY, RECEIVED, CANCELLED = "draft", "sent", "partly_received", "received", "cancelled"
STATUSES = (DRAFT, SENT, PARTLY, RECEIVED, CANCELLED)
RECEIVABLE = (SENT, PARTLY)
# action → {state it may start from: state it leads to}
TRANSITIONS: dict[str, dict[str, str]] = {
    "send": {DRAFT: SENT},
    "cancel": {DRAFT: CANCELLED, SENT: CANCELLED},
    "close": {PARTLY: RECEIVED},
    "receive": {SENT: PARTLY, PARTLY: PARTLY},   # receiving then decides partly_received or received
}


class BadTransition(InvalidInput):
    """An order asked to do what its state does not allow (send a cancelled order, receive a draft, …)."""

    code = "bad_transition"


def status_name(status: str) -> str:
    names = {DRAFT: _("draft"), SENT: _("sent"), PARTLY: _("partly received"), RECEIVED: _("received"),
             CANCELLED: _("cancelled")}
    return names.get(status, status)


def next_status(po_no: str, status: str, action: str) -> str:
    """The state ``action`` leads to from ``status``, or BadTransition with a message for people."""
    target = TRANSITIONS[action].get(status)
    if target is not None:
        return target
    messages = {
        "send": _("Purchase order {po} is {status}; only a draft can be sent"),
        "cancel": _("Purchase order {po} is {status}; only a draft or sent order can be cancelled"),
        "close": _("Purchase order {po} is {status}; only a partly received order can be closed"),
        "receive": _("Purchase order {po} is {status}; goods can only be received against a sent order"),
    }
    codes = {DRAFT: "po_not_sent", CANCELLED: "po_cancelled", RECEIVED: "po_closed"}
    raise BadTransition(messages[action].format(po=po_no, status=status_name(status)),
                        code=codes.get(status, "bad_transition") if action == "receive" else "bad_transition",
                        status=status)


# ---------------------------------------------------------------------------------------------- orders


@dataclass(frozen=True)
class PoLineInput:
    """One line of a new order: ``qty`` in product units; ``price`` per unit (default: the contract price
    valid today, else the product's cost)."""

    sku: str
    qty: Decimal
    price: Decimal | None = None


def po_row(conn: sqlite3.Connection, po_no: str) -> tuple[str, str, str, str, str]:
    """(id, po_no, status, supplier_id, location_id) of an order; NotFound (exit 3) otherwise."""
    row = sql.one(conn, "SELECT id, po_no, status, supplier_id, location_id FROM purchase_orders WHERE po_no = ?",
                  po_no.strip().upper())
    if row is None:
        raise NotFound(_("Unknown purchase order {po}").format(po=po_no), code="unknown_po")
    return row


def create_po(ctx: Context, operator: Operator, *, supplier: str, lines: list[PoLineInput],
              location: str = "BACK", note: str | None = None, approver: Operator | None = None) -> dict[str, Any]:
    """A new draft order (``purchase.manage``). One transaction: the order, its lines, a journal entry
    ``po_created`` and an outbox event ``purchase_order.created``. Returns ``po_details``."""
    approved = require(operator, Action.PURCHASE, approver)
    with write(ctx) as unit:
        po_no = add_draft(unit, operator, supplier=supplier, lines=lines, location=location, note=note,
                          approver=approved)
        return _details(unit.conn, ctx, po_no)


def add_draft(unit: Unit, operator: Operator, *, supplier: str, lines: list[PoLineInput], location: str = "BACK",
              note: str | None = None, source: str = "manual", approver: Operator | None = None) -> str:
    """Write a draft order inside the caller's transaction (also used for replenishment drafts); its number."""
    if not lines:
        raise InvalidInput(_("A purchase order needs at least one line"), code="no_lines")
    conn = unit.conn
    supplier_id, code, _name, _lead = supplier_row(conn, supplier)
    loc = location_id(unit, location)
    today = unit.now.date()
    rows, seen = [], set()
    for n, line in enumerate(lines, start=1):
        product_id, sku, name, is_weighed, cost = product_row(conn, line.sku)
        if product_id in seen:
            raise InvalidInput(_at(n, _("{sku} is already on this order").format(sku=sku)), code="duplicate_line",
                               line=n)
        seen.add(product_id)
        _check_qty(line.qty, is_weighed, name, n)
        if line.price is not None and line.price < 0:
            raise InvalidInput(_at(n, _("a price cannot be negative")), code="bad_amount", line=n)
        price = (to_minor(line.price, unit.ctx.places) if line.price is not None
                 else contract_price(conn, supplier_id, product_id, today) or cost)
        rows.append({"line_no": n, "product_id": product_id, "qty_milli": qty_to_milli(line.qty),
                     "price_minor": price, "pack_qty_milli": pack_qty_milli(conn, supplier_id, product_id),
                     "sku": sku})
    po_id = new_id()
    store, till = unit.ctx.till.store_code, unit.ctx.till.till_code
    po_no = f"PO-{store}-{till}-{unit.next_counter('purchase_order'):06d}"
    unit.insert("purchase_orders", {"id": po_id, "po_no": po_no, "supplier_id": supplier_id, "location_id": loc,
                                    "status": DRAFT, "source": source, "note": note, "created_by": operator.id,
                                    "created_at": unit.at, "sent_at": None, "expected_date": None,
                                    "closed_at": None, "close_reason": None})
    unit.insert("purchase_order_lines", [{k: v for k, v in r.items() if k != "sku"} | {"po_id": po_id}
                                         for r in rows])
    payload = {"po_id": po_id, "po_no": po_no, "supplier": code, "location": location.upper(), "source": source,
               "note": note, "lines": [{"line_no": r["line_no"], "sku": r["sku"], "qty_milli": r["qty_milli"],
                                        "price_minor": r["price_minor"]} for r in rows]}
    digest = unit.journal("po_created", po_id, payload, user=operator.username,
                          approver=approver.username if approver else None)
    unit.outbox("purchase_order.created", payload, digest)
    return po_no


def _at(n: int, message: str) -> str:
    """A message about line ``n`` of a document."""
    return _("Line {n}: {message}").format(n=n, message=message)


def _check_qty(qty: Decimal, is_weighed: bool, name: str, n: int) -> None:
    if qty <= 0:
        raise InvalidInput(_at(n, _("the quantity must be more than 0, not {qty}").format(qty=qty)),
                           code="bad_qty", line=n)
    if not is_weighed and qty != qty.to_integral_value():
        raise InvalidInput(_at(n, _("{name} is counted in whole units").format(name=name)), code="bad_qty", line=n)


def send_po(ctx: Context, operator: Operator, po_no: str, approver: Operator | None = None) -> dict[str, Any]:
    """Mark a draft as sent to the supplier; its expected date is today + the supplier's lead time."""
    return _move(ctx, operator, po_no, "send", None, approver)


def cancel_po(ctx: Context, operator: Operator, po_no: str, reason: str,
              approver: Operator | None = None) -> dict[str, Any]:
    """Cancel a draft or sent order (nothing was received against it)."""
    return _move(ctx, operator, po_no, "cancel", reason, approver)


def close_po(ctx: Context, operator: Operator, po_no: str, reason: str,
             approver: Operator | None = None) -> dict[str, Any]:
    """Close a partly received order whose rest will not come (→ received; the shortfall stays listed)."""
    return _move(ctx, operator, po_no, "close", reason, approver)


def _move(ctx: Context, operator: Operator, po_no: str, action: str, reason: str | None,
          approver: Operator | None) -> dict[str, Any]:
    approved = require(operator, Action.PURCHASE, approver)
    if action in ("cancel", "close") and not (reason or "").strip():
        raise InvalidInput(_("Say why (a reason is needed)"), code="reason_required")
    with write(ctx) as unit:
        po_id, po_no, status, supplier_id, _loc = po_row(unit.conn, po_no)
        target = next_status(po_no, status, action)
        if action == "send":
            lead = sql.scalar(unit.conn, "SELECT lead_time_days FROM suppliers WHERE id = ?", supplier_id) or 0
            expected = (unit.now.date() + timedelta(days=lead)).isoformat()
            sql.execute(unit.conn, "UPDATE purchase_orders SET status = ?, sent_at = ?, expected_date = ? "
                                   "WHERE id = ?", target, unit.at, expected, po_id)
        else:
            sql.execute(unit.conn, "UPDATE purchase_orders SET status = ?, closed_at = ?, close_reason = ? "
                                   "WHERE id = ?", target, unit.at, reason.strip() if reason else None, po_id)
        payload = {"po_id": po_id, "po_no": po_no, "from": status, "to": target, "reason": reason}
        kind = {"send": "sent", "cancel": "cancelled", "close": "closed"}[action]
        digest = unit.journal(f"po_{kind}", po_id, payload, user=operator.username,
                              approver=approved.username if approved else None)
        unit.outbox(f"purchase_order.{kind}", payload, digest)
        return _details(unit.conn, ctx, po_no)


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


def _line_amount(qty_milli_times_price: int, divisor: int = 1000) -> int:
    """qty (thousandths) × price (minor) → minor units, half-up."""
    return int((Decimal(qty_milli_times_price) / divisor).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _money(minor: int | None, places: int) -> str | None:
    return None if minor is None else format_money(from_minor(minor, places), places)


def _qty(milli: int | None) -> str | None:
    return None if milli is None else format_qty(milli_to_qty(milli))


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


# ---------------------------------------------------------------------------------------------- invoices


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
