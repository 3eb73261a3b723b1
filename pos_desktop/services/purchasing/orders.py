"""Writing purchase orders (``purchase.manage``): create a draft (``create_po``, ``add_draft`` for
replenishment too), send, cancel and close it. Each write is one transaction with a journal entry and
an outbox event ``purchase_order.created|sent|cancelled|closed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from ...core.errors import InvalidInput
from ...core.i18n import _
from ...core.ids import new_id
from ...core.money import qty_to_milli, to_minor
from ...core.permissions import Action
from ...store import sql
from ..auth import Operator, require
from ..context import Context
from ..stock import location_id
from ..suppliers import contract_price, pack_qty_milli, product_row, supplier_row
from ..unit import Unit, write
from .figures import _at, _check_qty
from .order_details import _details, po_row
from .states import DRAFT, next_status


@dataclass(frozen=True)
class PoLineInput:
    """One line of a new order: ``qty`` in product units; ``price`` per unit (default: the contract price
    valid today, else the product's cost)."""

    sku: str
    qty: Decimal
    price: Decimal | None = None


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
