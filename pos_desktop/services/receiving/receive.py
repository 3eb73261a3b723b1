"""``receive_goods``: one delivery in one transaction (``stock.receive``), the purchase order moved
on to partly received or received, and the answer (lines matched to the order, short lines, cost
updates, warnings) with a journal entry ``goods_received`` and an outbox event ``stock.received``.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ...core.errors import InvalidInput, PosError
from ...core.i18n import _
from ...core.ids import new_id
from ...core.money import format_money, format_qty, from_minor, milli_to_qty
from ...core.permissions import Action
from ...store import sql
from ..auth import Operator, require
from ..context import Context
from ..purchasing import PARTLY, RECEIVED, next_status, po_row, received_by_line
from ..stock import location_id
from ..suppliers import supplier_row
from ..unit import write
from .inputs import ReceiptInput
from .lines import _receive_line
from .state import _Order, _Receiving


def receive_goods(ctx: Context, operator: Operator, receipt: ReceiptInput,
                  approver: Operator | None = None) -> dict[str, Any]:
    """Take one delivery in (see the module docstring); returns the ``pos receive --json`` document:
    ``{"receipt_id", "receipt_no", "created_at", "supplier", "po", "po_status", "location", "lines": [...],
    "short": [...], "cost_updates": [...], "warnings": [...]}``."""
    approved = require(operator, Action.STOCK_RECEIVE, approver)
    if not receipt.lines:
        raise InvalidInput(_("A delivery needs at least one line"), code="no_lines")
    with write(ctx) as unit:
        conn = unit.conn
        order, supplier_id, loc_code = _order_and_supplier(conn, receipt)
        state = _Receiving(unit, new_id(), location_id(unit, loc_code), supplier_id, order, operator)
        receipt_no = f"GR-{ctx.till.store_code}-{ctx.till.till_code}-{unit.next_counter('goods_receipt'):06d}"
        unit.insert("goods_receipts", {"id": state.receipt_id, "receipt_no": receipt_no, "supplier_id": supplier_id,
                                       "po_id": order.id if order else None, "location_id": state.location_id,
                                       "user_id": operator.id, "note": receipt.note, "created_at": unit.at})
        lines = []
        for n, line in enumerate(receipt.lines, start=1):
            try:
                lines.append(_receive_line(state, n, line))
            except PosError as exc:
                if "line" not in exc.details:
                    exc.details["line"] = n
                    exc.message = _("Line {n}: {message}").format(n=n, message=exc.message)
                    exc.args = (exc.message,)
                raise
        moves = unit.flush_moves()
        po_status = _advance_order(conn, order, unit.at)
        doc = _answer(ctx, state, receipt_no, loc_code, po_status, lines)
        payload = {"receipt_id": state.receipt_id, "receipt_no": receipt_no, "supplier": doc["supplier"],
                   "po": doc["po"], "po_status": po_status, "location": loc_code, "note": receipt.note,
                   "lines": [{"sku": r["sku"], "lot": r["lot"], "expiry": r["expiry"],
                              "accepted_milli": r["_accepted"], "rejected_milli": r["_rejected"],
                              "reject_reason": r["reject_reason"], "unit_cost_minor": r["_cost"]} for r in lines],
                   "cost_updates": [{"sku": c["sku"], "old_cost_minor": c["_old"], "new_cost_minor": c["_new"]}
                                    for c in doc["cost_updates"]]}
        digest = unit.journal("goods_received", state.receipt_id, payload, user=operator.username,
                              approver=approved.username if approved else None)
        unit.outbox("stock.received", {**payload, "created_at": unit.at, "movements": moves}, digest)
    return _public(doc)


def _order_and_supplier(conn: sqlite3.Connection, receipt: ReceiptInput) -> tuple[_Order | None, str | None, str]:
    supplier_id = supplier_row(conn, receipt.supplier)[0] if receipt.supplier else None
    if not receipt.po:
        return None, supplier_id, (receipt.location or "BACK").strip().upper()
    po_id, po_no, status, po_supplier, po_location = po_row(conn, receipt.po)
    next_status(po_no, status, "receive")
    if supplier_id is not None and supplier_id != po_supplier:
        raise InvalidInput(_("Purchase order {po} is an order to {supplier}, not to {given}").format(
            po=po_no, supplier=sql.scalar(conn, "SELECT code FROM suppliers WHERE id = ?", po_supplier),
            given=receipt.supplier), code="supplier_mismatch")
    lines = {pid: (n, qty, price) for n, pid, qty, price in sql.rows(
        conn, "SELECT line_no, product_id, qty_milli, price_minor FROM purchase_order_lines WHERE po_id = ?", po_id)}
    location = receipt.location or sql.scalar(conn, "SELECT code FROM locations WHERE id = ?", po_location)
    return _Order(po_id, po_no, lines, received_by_line(conn, po_id)), po_supplier, location.strip().upper()


def _advance_order(conn: sqlite3.Connection, order: _Order | None, at: str) -> str | None:
    if order is None:
        return None
    got = {n: order.before.get(n, 0) + order.now.get(n, 0) for n, _q, _p in order.lines.values()}
    if not any(got.values()):
        return sql.scalar(conn, "SELECT status FROM purchase_orders WHERE id = ?", order.id)
    complete = all(got[n] >= qty for n, qty, _p in order.lines.values())
    status = RECEIVED if complete else PARTLY
    sql.execute(conn, "UPDATE purchase_orders SET status = ?, closed_at = CASE WHEN ? THEN ? ELSE closed_at END "
                      "WHERE id = ?", status, complete, at, order.id)
    return status


def _answer(ctx: Context, state: _Receiving, receipt_no: str, loc_code: str, po_status: str | None,
            lines: list[dict[str, Any]]) -> dict[str, Any]:
    conn, places, order = state.unit.conn, ctx.places, state.order
    money = lambda minor: None if minor is None else format_money(from_minor(minor, places), places)
    qty = lambda milli: None if milli is None else format_qty(milli_to_qty(milli))
    for row in lines:
        row.update({"qty": qty(row["_delivered"]), "accepted_qty": qty(row["_accepted"]),
                    "rejected_qty": qty(row["_rejected"]), "unit_cost": money(row["_cost"]),
                    "ordered_qty": None, "received_before_qty": None, "outstanding_qty": None, "delivery": None})
        if order is None:
            continue
        if row["_po_line"] is None:
            row["delivery"] = "not_ordered"
            state.warnings.append(_("{sku} is not on purchase order {po}").format(sku=row["sku"], po=order.po_no))
            continue
        n, ordered, _price = order.lines[row["_product"]]
        total = order.before.get(n, 0) + order.now.get(n, 0)
        row.update({"ordered_qty": qty(ordered), "received_before_qty": qty(order.before.get(n, 0)),
                    "outstanding_qty": qty(max(ordered - total, 0)),
                    "delivery": "exact" if total == ordered else "over" if total > ordered else "under"})
    short = []
    if order is not None:
        for pid, (n, ordered, _price) in sorted(order.lines.items(), key=lambda item: item[1][0]):
            total = order.before.get(n, 0) + order.now.get(n, 0)
            if n not in order.now and total < ordered:
                sku, name = sql.one(conn, "SELECT sku, name FROM products WHERE id = ?", pid)
                short.append({"line_no": n, "sku": sku, "name": name, "ordered_qty": qty(ordered),
                              "received_qty": qty(total), "outstanding_qty": qty(ordered - total)})
    updates = []
    for pid, (old, new) in state.costs.items():
        if new != old:
            sku = sql.scalar(conn, "SELECT sku FROM products WHERE id = ?", pid)
            updates.append({"sku": sku, "old_cost": money(old), "new_cost": money(new), "_old": old, "_new": new})
    supplier = sql.scalar(conn, "SELECT code FROM suppliers WHERE id = ?", state.supplier_id) \
        if state.supplier_id else None
    return {"receipt_id": state.receipt_id, "receipt_no": receipt_no, "created_at": state.unit.at,
            "supplier": supplier, "po": order.po_no if order else None, "po_status": po_status, "location": loc_code,
            "lines": lines, "short": short, "cost_updates": updates, "warnings": state.warnings}


def _public(doc: dict[str, Any]) -> dict[str, Any]:
    """The answer without the internal (underscored) figures."""
    strip = lambda row: {k: v for k, v in row.items() if not k.startswith("_")}
    return {**doc, "lines": [strip(r) for r in doc["lines"]], "cost_updates": [strip(c) for c in doc["cost_updates"]]}
