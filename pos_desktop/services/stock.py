"""Stock: the ledger's read side, first-expiry-first-out, negative-stock alerts and adjustments.

On-hand is the sum of ``stock_movements``; ``stock_levels`` caches that sum per (product, location, batch)
and is updated in the same transaction as every movement (``unit.flush_moves``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterator

from sqlalchemy import delete, func, insert, select

from ..core.errors import InvalidInput, NotFound
from ..core.i18n import _
from ..core.ids import new_id
from ..core.money import format_qty, milli_to_qty, qty_to_milli
from ..core.permissions import Action
from ..store import sql
from ..store.models import Batch, Location, Product, StockDocument, StockLevel, StockMovement
from .auth import Operator, require
from .context import Context
from .unit import Movement, Unit, apply_to_levels, write

ADJUST_REASONS = ("damaged", "lost", "found", "correction")

FEFO_SQL = """
SELECT b.id, sl.qty_milli FROM stock_levels sl JOIN batches b ON b.id = sl.batch_key
WHERE sl.product_id = ? AND sl.location_id = ?
ORDER BY b.expiry IS NULL, b.expiry, b.lot"""


def fefo_moves(unit: Unit, product_id: str, location_id: str, qty_milli: int,
               taken: dict[tuple[str, str], int]) -> Iterator[tuple[str | None, int]]:
    """Split ``qty_milli`` over the batches on hand, earliest expiry first.

    ``taken`` carries what earlier lines of the same document already drew from each batch. What the batches
    cannot cover is taken from the earliest batch anyway (stock goes negative; a sale is a fact), or without
    a batch when the product has none here.
    """
    batches = sql.rows(unit.conn, FEFO_SQL, product_id, location_id)
    left = qty_milli
    for batch_id, on_hand in batches:
        available = on_hand - taken.get((product_id, batch_id), 0)
        if left <= 0:
            break
        if available <= 0:
            continue
        take = min(available, left)
        taken[(product_id, batch_id)] = taken.get((product_id, batch_id), 0) + take
        left -= take
        yield batch_id, take
    if left > 0:
        batch_id = batches[0][0] if batches else None
        if batch_id:
            taken[(product_id, batch_id)] = taken.get((product_id, batch_id), 0) + left
        yield batch_id, left


def negative_stock_alerts(unit: Unit, moves: list[dict[str, Any]], doc_id: str) -> list[str]:
    """Raise an alert for each product a document took below zero at a location; returns the messages."""
    pairs = {(m["product_id"], m["location_id"]) for m in moves if m["qty_milli"] < 0}
    if not pairs:
        return []
    products = sorted({p for p, _loc in pairs})
    below = sql.rows(unit.conn, "SELECT product_id, location_id, sum(qty_milli) FROM stock_levels "
                                f"WHERE product_id IN ({', '.join('?' * len(products))}) "
                                "GROUP BY product_id, location_id HAVING sum(qty_milli) < 0", *products)
    messages = []
    for product_id, location_id, qty in sorted(below):
        if (product_id, location_id) not in pairs:
            continue
        sku, name = sql.one(unit.conn, "SELECT sku, name FROM products WHERE id = ?", product_id)
        code = sql.scalar(unit.conn, "SELECT code FROM locations WHERE id = ?", location_id)
        message = _("Stock of {name} ({sku}) at {location} is now {qty}").format(
            name=name, sku=sku, location=code, qty=format_qty(milli_to_qty(qty)))
        unit.insert("alerts", {"id": new_id(), "kind": "negative_stock", "product_id": product_id,
                               "location_id": location_id, "doc_id": doc_id, "message": message,
                               "created_at": unit.at, "resolved_at": None})
        messages.append(message)
    return messages


def location_id(unit_or_session, code: str) -> str:  # type: ignore[no-untyped-def]
    session = getattr(unit_or_session, "session", unit_or_session)
    found = session.scalar(select(Location.id).where(Location.code == code.upper()))
    if found is None:
        raise NotFound(_("Unknown location {code}").format(code=code), code="unknown_location")
    return found


STANDARD_LOCATIONS = {
    "FLOOR": ("卖场 Sales floor", "floor"), "BACK": ("仓库 Back room", "storage"),
    "QUAR": ("隔离区 Quarantine", "quarantine"), "TRANSIT": ("在途 In transit", "transit"),
}


def ensure_location(unit: Unit, code: str) -> str:
    """The id of one of the store's standard locations (QUAR for rejected goods, TRANSIT for goods on the
    way), created in this transaction the first time it is needed."""
    found = sql.scalar(unit.conn, "SELECT id FROM locations WHERE code = ?", code)
    if found is not None:
        return found
    name, kind = STANDARD_LOCATIONS[code]
    location = new_id()
    unit.insert("locations", {"id": location, "store_id": unit.ctx.till.store_id, "code": code, "name": name,
                              "kind": kind})
    return location


@dataclass(frozen=True)
class Adjustment:
    document_id: str
    sku: str
    location: str
    qty_delta: Decimal
    on_hand: Decimal


def adjust_stock(ctx: Context, operator: Operator, *, sku: str, location: str, qty_delta: Decimal, reason: str,
                 lot: str | None = None, note: str | None = None,
                 approver: Operator | None = None) -> Adjustment:
    """Post a signed stock correction (``stock.adjust``, manager); one transaction, journaled, outboxed."""
    approved = require(operator, Action.STOCK_ADJUST, approver)
    if reason not in ADJUST_REASONS:
        raise InvalidInput(_("The reason must be one of {reasons}").format(reasons=", ".join(ADJUST_REASONS)))
    if qty_delta == 0:
        raise InvalidInput(_("An adjustment of 0 changes nothing"))
    with write(ctx) as unit:
        product = unit.session.scalar(select(Product).where(Product.sku == sku))
        if product is None:
            raise NotFound(_("Unknown SKU {sku}").format(sku=sku), code="unknown_product")
        if not product.is_weighed and qty_delta != qty_delta.to_integral_value():
            raise InvalidInput(_("{name} is counted in whole units").format(name=product.name))
        loc = location_id(unit, location)
        batch_id = _batch_for(unit, product, lot)
        doc_id = new_id()
        unit.session.execute(insert(StockDocument).values(
            id=doc_id, kind="adjustment", reason=reason, location_id=loc, user_id=operator.id,
            approver_id=approved.id if approved else None, note=note, created_at=unit.at))
        unit.move(Movement(product.id, loc, qty_to_milli(qty_delta), reason, batch_id, product.cost_minor),
                  doc_type="adjustment", doc_id=doc_id, user_id=operator.id)
        moves = unit.flush_moves()
        negative_stock_alerts(unit, moves, doc_id)
        on_hand = unit.session.scalar(select(func.sum(StockLevel.qty_milli)).where(
            StockLevel.product_id == product.id, StockLevel.location_id == loc)) or 0
        payload = {"document_id": doc_id, "sku": sku, "location": location.upper(), "lot": lot,
                   "qty_delta_milli": qty_to_milli(qty_delta), "reason": reason}
        digest = unit.journal("stock_adjustment", doc_id, payload, user=operator.username,
                              approver=approved.username if approved else None)
        unit.outbox("stock.adjusted", {**payload, "movements": moves, "note": note}, digest)
    return Adjustment(doc_id, sku, location.upper(), qty_delta, milli_to_qty(on_hand))


def _batch_for(unit: Unit, product: Product, lot: str | None) -> str | None:
    if not lot:
        return None
    batch = unit.session.scalar(select(Batch.id).where(Batch.product_id == product.id, Batch.lot == lot))
    if batch is None:
        batch = new_id()
        unit.session.execute(insert(Batch).values(id=batch, product_id=product.id, lot=lot, expiry=None))
    return batch


def stock_list(ctx: Context, *, sku: str | None = None, location: str | None = None) -> list[dict[str, Any]]:
    """``pos stock --json``: on-hand per product, location and batch (rows at zero are left out)."""
    with ctx.db.read() as session:
        query = (select(Product.sku, Location.code, Batch.lot, Batch.expiry, StockLevel.qty_milli)
                 .join(Product, Product.id == StockLevel.product_id)
                 .join(Location, Location.id == StockLevel.location_id)
                 .outerjoin(Batch, Batch.id == StockLevel.batch_key)
                 .where(StockLevel.qty_milli != 0)
                 .order_by(Product.sku, Location.code, Batch.expiry, Batch.lot))
        if sku is not None:
            if session.scalar(select(Product.id).where(Product.sku == sku)) is None:
                raise NotFound(_("Unknown SKU {sku}").format(sku=sku), code="unknown_product")
            query = query.where(Product.sku == sku)
        if location is not None:
            location_id(session, location)
            query = query.where(Location.code == location.upper())
        return [{"sku": s, "location": loc, "batch": lot, "expiry": expiry, "qty": format_qty(milli_to_qty(q))}
                for s, loc, lot, expiry, q in session.execute(query)]


def on_hand(ctx: Context, product_id: str, location: str | None = None) -> Decimal:
    with ctx.db.read() as session:
        query = select(func.sum(StockLevel.qty_milli)).where(StockLevel.product_id == product_id)
        if location:
            query = query.where(StockLevel.location_id == location_id(session, location))
        return milli_to_qty(session.scalar(query) or 0)


def rebuild_levels(ctx: Context) -> int:
    """Recompute the cached stock levels from the ledger (after a restore, or to prove they agree)."""
    with write(ctx) as unit:
        unit.session.execute(delete(StockLevel))
        rows = unit.session.execute(
            select(StockMovement.product_id, StockMovement.location_id, StockMovement.batch_id,
                   func.sum(StockMovement.qty_milli))
            .group_by(StockMovement.product_id, StockMovement.location_id, StockMovement.batch_id)).all()
        apply_to_levels(unit.conn, [{"product_id": p, "location_id": loc, "batch_id": b, "qty_milli": q}
                                       for p, loc, b, q in rows])
        return len(rows)
