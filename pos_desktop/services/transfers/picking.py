"""First-expiry-first-out picking: which batches a line takes when it is shipped, and the read-only
suggestion (``fefo_pick``) for taking some quantity of a SKU from a location."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ...core.errors import NotFound
from ...core.i18n import _
from ...core.money import milli_to_qty, qty_to_milli
from ...store import sql
from ..context import Context
from ..stock import location_id
from .model import Pick


def _pick(conn, line: dict[str, Any], source: str, today: date,  # type: ignore[no-untyped-def]
          expired_first: bool) -> tuple[list[tuple[str | None, str | None, str | None, int]], int]:
    """Which batches a line takes: (batch, lot, expiry, qty) and how much is missing."""
    want = line["qty_milli"]
    if line["lot"]:
        row = sql.one(conn, "SELECT b.id, b.expiry, coalesce(sl.qty_milli, 0) FROM batches b LEFT JOIN stock_levels sl "
                            "ON sl.batch_key = b.id AND sl.location_id = ? AND sl.product_id = b.product_id "
                            "WHERE b.product_id = ? AND b.lot = ?", source, line["product_id"], line["lot"])
        batch, expiry, have = row if row else (None, None, 0)
        return [(batch, line["lot"], expiry, want)], max(want - max(have, 0), 0)
    if not line["track_batches"]:
        have = sql.scalar(conn, "SELECT coalesce(sum(qty_milli), 0) FROM stock_levels WHERE product_id = ? AND "
                                "location_id = ? AND batch_key = ''", line["product_id"], source)
        return [(None, None, None, want)], max(want - max(have, 0), 0)
    picks = []
    for batch, lot, expiry, have in _fefo(conn, line["product_id"], source, today, expired_first):
        take = min(have, want)
        picks.append((batch, lot, expiry, take))
        want -= take
        if want == 0:
            break
    return picks, want


def _fefo(conn, product_id: str, loc: str, today: date,  # type: ignore[no-untyped-def]
          expired_first: bool) -> list[tuple[str, str, str | None, int]]:
    """Batches on hand, earliest expiry first; expired batches only when ``expired_first`` (then first)."""
    rows = sql.rows(conn, "SELECT b.id, b.lot, b.expiry, sl.qty_milli FROM stock_levels sl JOIN batches b "
                          "ON b.id = sl.batch_key WHERE sl.product_id = ? AND sl.location_id = ? AND sl.qty_milli > 0 "
                          "ORDER BY b.expiry IS NULL, b.expiry, b.lot", product_id, loc)
    expired = [r for r in rows if r[2] is not None and r[2] < today.isoformat()]
    fresh = [r for r in rows if r not in expired]
    return expired + fresh if expired_first else fresh


def fefo_pick(ctx: Context, *, sku: str, location: str, qty: Decimal) -> tuple[list[Pick], Decimal]:
    """First-expiry-first-out suggestion for taking ``qty`` of ``sku`` from ``location``: which lots, how many
    of each (expired lots are never suggested; they are listed with ``expired=True`` and qty on hand), and how
    much the location cannot cover. Reads only."""
    today = ctx.clock.now().date()
    with ctx.db.read() as session:
        conn = sql.dbapi(session.connection())
        row = sql.one(conn, "SELECT id FROM products WHERE sku = ?", sku)
        if row is None:
            raise NotFound(_("Unknown SKU {sku}").format(sku=sku), code="unknown_product")
        loc = location_id(session, location)
        want = qty_to_milli(qty)
        picks = []
        for _batch, lot, expiry, have in _fefo(conn, row[0], loc, today, False):
            if want <= 0:
                break
            take = min(have, want)
            picks.append(Pick(lot, expiry, milli_to_qty(take)))
            want -= take
        stale = [Pick(lot, expiry, milli_to_qty(have), True)
                 for _b, lot, expiry, have in _fefo(conn, row[0], loc, today, True) if expiry and expiry < today.isoformat()]
    return picks + stale, milli_to_qty(max(want, 0))
