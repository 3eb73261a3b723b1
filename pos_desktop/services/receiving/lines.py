"""One line of a delivery: its lot and expiry, its delivered and rejected quantities, its batch, the
ledger movements (accepted to the location, rejected to quarantine), its unit cost and the product's
new moving-average cost.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ...core.errors import InvalidInput
from ...core.i18n import _
from ...core.ids import new_id
from ...core.money import qty_to_milli
from ...store import sql
from ..stock import ensure_location
from ..suppliers import contract_price
from ..unit import Movement, Unit
from .inputs import Identified, ReceiptLineInput, _identify
from .state import _Receiving


def _receive_line(state: _Receiving, n: int, line: ReceiptLineInput) -> dict[str, Any]:
    unit, conn = state.unit, state.unit.conn
    item = _identify(conn, line.sku, line.barcode, line.gs1)
    lot, expiry = _lot_and_expiry(item, line)
    delivered, rejected = _quantities(item, line)
    accepted = delivered - rejected
    if expiry is not None and expiry < unit.now.date() and accepted > 0:
        raise InvalidInput(_("lot {lot} of {name} expired on {expiry}; reject it (rejected_qty) instead").format(
            lot=lot or "-", name=item.name, expiry=expiry.isoformat()), code="expired")
    batch_id = _batch(unit, item, lot, expiry)
    order_line = state.order.lines.get(item.product_id) if state.order else None
    cost = _unit_cost(state, item, line, order_line)
    old, new = _average_cost(state, item.product_id, accepted, cost)
    if accepted:
        unit.move(Movement(item.product_id, state.location_id, accepted, "receipt", batch_id, cost),
                  doc_type="receipt", doc_id=state.receipt_id, user_id=state.operator.id)
    if rejected:
        unit.move(Movement(item.product_id, ensure_location(unit, "QUAR"), rejected, "rejected", batch_id, cost),
                  doc_type="receipt", doc_id=state.receipt_id, user_id=state.operator.id)
    if order_line is not None:
        state.order.now[order_line[0]] = state.order.now.get(order_line[0], 0) + accepted
    unit.insert("goods_receipt_lines", {
        "receipt_id": state.receipt_id, "line_no": n, "product_id": item.product_id,
        "po_line_no": order_line[0] if order_line else None, "batch_id": batch_id, "accepted_milli": accepted,
        "rejected_milli": rejected, "reject_reason": (line.reject_reason or "").strip() or None,
        "unit_cost_minor": cost, "code": item.code})
    return {"line_no": n, "sku": item.sku, "name": item.name, "code": item.code, "lot": lot,
            "expiry": expiry.isoformat() if expiry else None, "_delivered": delivered, "_accepted": accepted,
            "_rejected": rejected, "reject_reason": (line.reject_reason or "").strip() or None, "_cost": cost,
            "_old_cost": old, "_new_cost": new, "_product": item.product_id,
            "_po_line": order_line[0] if order_line else None}


def _lot_and_expiry(item: Identified, line: ReceiptLineInput) -> tuple[str | None, date | None]:
    lot = (line.lot or "").strip() or None
    if item.lot is not None and lot is not None and lot != item.lot:
        raise InvalidInput(_("the lot {lot} differs from the lot {barcode_lot} in the GS1 barcode").format(
            lot=lot, barcode_lot=item.lot), code="lot_mismatch")
    if item.expiry is not None and line.expiry is not None and line.expiry != item.expiry:
        raise InvalidInput(_("the expiry {expiry} differs from {barcode_expiry} in the GS1 barcode").format(
            expiry=line.expiry.isoformat(), barcode_expiry=item.expiry.isoformat()), code="expiry_mismatch")
    lot, expiry = lot or item.lot, line.expiry or item.expiry
    if item.track_batches and lot is None:
        raise InvalidInput(_("{name} is tracked by lot: give its lot").format(name=item.name), code="lot_required")
    if item.track_expiry and expiry is None:
        raise InvalidInput(_("{name} is tracked by expiry: give its expiry date").format(name=item.name),
                           code="expiry_required")
    if lot is not None and len(lot) > 40:
        raise InvalidInput(_("a lot number is at most 40 characters"), code="bad_lot")
    return lot, expiry


def _quantities(item: Identified, line: ReceiptLineInput) -> tuple[int, int]:
    if line.qty <= 0:
        raise InvalidInput(_("the delivered quantity must be more than 0, not {qty}").format(qty=line.qty),
                           code="bad_qty")
    if line.rejected_qty < 0:
        raise InvalidInput(_("the rejected quantity cannot be negative ({qty})").format(qty=line.rejected_qty),
                           code="bad_qty")
    if line.rejected_qty > line.qty:
        raise InvalidInput(_("{rejected} rejected is more than the {qty} delivered").format(
            rejected=line.rejected_qty, qty=line.qty), code="bad_qty")
    if line.rejected_qty > 0 and not (line.reject_reason or "").strip():
        raise InvalidInput(_("say why goods are rejected (reject_reason)"), code="reason_required")
    delivered = qty_to_milli(line.qty) * item.pack_milli // 1000
    rejected = qty_to_milli(line.rejected_qty) * item.pack_milli // 1000
    if not item.is_weighed and (delivered % 1000 or rejected % 1000):
        raise InvalidInput(_("{name} is counted in whole units").format(name=item.name), code="bad_qty")
    return delivered, rejected


def _batch(unit: Unit, item: Identified, lot: str | None, expiry: date | None) -> str | None:
    if lot is None:
        return None
    found = sql.one(unit.conn, "SELECT id, expiry FROM batches WHERE product_id = ? AND lot = ?", item.product_id, lot)
    day = expiry.isoformat() if expiry else None
    if found is None:
        batch_id = new_id()
        unit.insert("batches", {"id": batch_id, "product_id": item.product_id, "lot": lot, "expiry": day})
        return batch_id
    batch_id, known = found
    if day and known and known != day:
        raise InvalidInput(_("lot {lot} of {name} is already recorded with the expiry {known}, not {expiry}").format(
            lot=lot, name=item.name, known=known, expiry=day), code="expiry_conflict")
    if day and not known:
        sql.execute(unit.conn, "UPDATE batches SET expiry = ? WHERE id = ?", day, batch_id)
    return batch_id


def _unit_cost(state: _Receiving, item: Identified, line: ReceiptLineInput,
               order_line: tuple[int, int, int | None] | None) -> int | None:
    """Cost per product unit in minor units: the line's (per pack when a pack was scanned; rounded half-up to
    the minor unit per product unit), else the order's price, else the contract price of the day."""
    if line.unit_cost is not None:
        if line.unit_cost < 0:
            raise InvalidInput(_("a unit cost cannot be negative"), code="bad_amount")
        per_pack = line.unit_cost.scaleb(state.unit.ctx.places)
        return int((per_pack * 1000 / item.pack_milli).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if order_line is not None and order_line[2] is not None:
        return order_line[2]
    if state.supplier_id is not None:
        return contract_price(state.unit.conn, state.supplier_id, item.product_id, state.unit.now.date())
    return None


ON_HAND_SQL = """SELECT coalesce(sum(sl.qty_milli), 0) FROM stock_levels sl JOIN locations l ON l.id = sl.location_id
WHERE sl.product_id = ? AND l.kind != 'quarantine'"""


def _average_cost(state: _Receiving, product_id: str, accepted: int,
                  cost: int | None) -> tuple[int | None, int | None]:
    """(old cost, new cost) after ``accepted`` more units at ``cost``; written to the product."""
    conn = state.unit.conn
    if product_id not in state.on_hand:
        state.on_hand[product_id] = sql.scalar(conn, ON_HAND_SQL, product_id)
        state.costs[product_id] = (sql.scalar(conn, "SELECT cost_minor FROM products WHERE id = ?", product_id),) * 2
    first, current = state.costs[product_id]
    on_hand = state.on_hand[product_id]
    state.on_hand[product_id] = on_hand + accepted
    if cost is None or accepted <= 0:
        return first, current
    if current is None or on_hand <= 0:
        new = cost
    else:
        total = Decimal(on_hand) * current + Decimal(accepted) * cost
        new = int((total / (on_hand + accepted)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    state.costs[product_id] = (first, new)
    if new != current:
        sql.execute(conn, "UPDATE products SET cost_minor = ? WHERE id = ?", new, product_id)
    return first, new
