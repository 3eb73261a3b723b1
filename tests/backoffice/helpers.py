"""Setting a till up for back-office tests: stock in (through the ledger), sales (through the checkout)."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal as D
from typing import Any

from pos_desktop.core.cart import Cart
from pos_desktop.core.ids import new_id
from pos_desktop.core.money import qty_to_milli
from pos_desktop.services import catalog, checkout, stock
from pos_desktop.services.checkout import Tender
from pos_desktop.services.unit import Movement, write


def stock_in(ctx, sku: str, location: str, qty: str | int, lot: str | None = None,
             expiry: str | None = None) -> None:
    """An opening balance (doc_type ``opening``) of ``qty`` — the way the demo loads its stock."""
    with write(ctx) as unit:
        product_id, cost = unit.conn.execute("SELECT id, cost_minor FROM products WHERE sku = ?", (sku,)).fetchone()
        loc = stock.location_id(unit, location) if location not in ("QUAR", "TRANSIT") \
            else stock.ensure_location(unit, location)
        batch = None
        if lot:
            row = unit.conn.execute("SELECT id FROM batches WHERE product_id = ? AND lot = ?",
                                    (product_id, lot)).fetchone()
            batch = row[0] if row else new_id()
            if not row:
                unit.insert("batches", {"id": batch, "product_id": product_id, "lot": lot, "expiry": expiry})
        doc = new_id()
        unit.insert("stock_documents", {"id": doc, "kind": "opening", "reason": "opening", "location_id": loc,
                                        "user_id": None, "approver_id": None, "note": "test", "created_at": unit.at})
        unit.move(Movement(product_id, loc, qty_to_milli(D(str(qty))), "opening", batch, cost),
                  doc_type="opening", doc_id=doc, user_id=None)


def sell(ctx, cashier, *items: tuple[str, int], customer: str | None = None):
    """A cash sale of (sku, qty) items at the till (sales leave FLOOR, earliest expiry first)."""
    cart = Cart()
    if customer:
        cart.set_customer(None, customer)
    for sku, qty in items:
        cart.add(catalog.find_product(ctx, sku=sku), D(qty))
    return checkout.complete_sale(ctx, cart, [Tender("cash", D(1000))], cashier)


def on_hand(ctx, sku: str, location: str, lot: str | None = None) -> D:
    rows = stock.stock_list(ctx, sku=sku, location=location)
    return sum((D(r["qty"]) for r in rows if lot is None or r["batch"] == lot), D(0))


def rows(ctx, query: str, *params: Any) -> list[tuple]:
    conn = sqlite3.connect(ctx.db.path)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


def outbox(ctx, kind: str) -> list[dict[str, Any]]:
    return [json.loads(p) for (p,) in rows(ctx, "SELECT payload FROM outbox WHERE kind = ? ORDER BY till_seq", kind)]


def ledger_agrees(ctx) -> bool:
    levels = dict(((p, loc, b), q) for p, loc, b, q in rows(
        ctx, "SELECT product_id, location_id, batch_key, qty_milli FROM stock_levels WHERE qty_milli != 0"))
    moves = dict(((p, loc, b), q) for p, loc, b, q in rows(
        ctx, "SELECT product_id, location_id, coalesce(batch_id, ''), sum(qty_milli) FROM stock_movements "
             "GROUP BY 1, 2, 3 HAVING sum(qty_milli) != 0"))
    return levels == moves
