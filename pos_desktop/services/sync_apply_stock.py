"""Applying pulled stock to the till (``sync_apply``'s appliers): the other tills' stock movements of this store,
into the ledger by movement id (only a movement not there yet moves ``stock_levels``), and the transfers
between stores the server forwards.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..core.ids import new_id
from ..store import sql
from .products import ProductRow, upsert_products
from .stock import STANDARD_LOCATIONS
from .sync_apply_catalog import BAD_DATA, PageReport, _chunks, _each, _marks
from .unit import Unit, apply_to_levels

log = logging.getLogger(__package__ + ".sync_apply")   # the pull's log, under the same name as before the split


# -- the other tills' stock movements ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Pulled:
    id: str
    sku: str
    location: str
    lot: str | None
    expiry: str | None
    qty_milli: int
    reason: str
    doc_type: str
    doc_id: str
    created_at: str
    unit_cost_minor: int | None
    till_id: str | None
    user_id: str | None


def _movement(data: dict[str, Any], at: str) -> _Pulled:
    qty = data["qty_milli"]
    cost = data.get("unit_cost_minor")
    if not isinstance(qty, int) or isinstance(qty, bool) or (cost is not None and not isinstance(cost, int)):
        raise ValueError("quantities and costs are integers")
    return _Pulled(str(data["id"]), str(data["sku"]), str(data["location"]).upper(), data.get("lot") or None,
                   data.get("expiry") or None, qty, str(data.get("reason") or "sync"),
                   str(data.get("doc_type") or "sync"), str(data.get("doc_id") or data["id"]),
                   str(data.get("created_at") or at), cost, data.get("till_id"),
                   data.get("user_id"))


def _apply_movements(unit: Unit, items: list[Any], report: PageReport) -> None:
    moves: list[_Pulled] = []
    for data in items:
        try:
            moves.append(_movement(data, unit.at))
        except BAD_DATA as exc:
            report.skip("movement", data, exc)
    if not moves:
        return
    products = _product_ids(unit, {m.sku for m in moves})
    locations = _location_ids(unit, {m.location for m in moves})
    batches = _batch_ids(unit, {(products[m.sku], m.lot): m.expiry for m in moves if m.lot})
    fresh = []
    for m in moves:
        row = {"id": m.id, "product_id": products[m.sku], "location_id": locations[m.location],
               "batch_id": batches[(products[m.sku], m.lot)] if m.lot else None, "qty_milli": m.qty_milli,
               "reason": m.reason, "doc_type": m.doc_type, "doc_id": m.doc_id, "till_id": m.till_id,
               "user_id": m.user_id, "unit_cost_minor": m.unit_cost_minor, "created_at": m.created_at}
        if unit.conn.execute(INSERT_MOVEMENT, tuple(row.values())).rowcount:
            fresh.append(row)
    apply_to_levels(unit.conn, fresh)
    report.add("movement", len(moves))


INSERT_MOVEMENT = ("INSERT OR IGNORE INTO stock_movements (id, product_id, location_id, batch_id, qty_milli, "
                   "reason, doc_type, doc_id, till_id, user_id, unit_cost_minor, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _product_ids(unit: Unit, skus: set[str]) -> dict[str, str]:
    """Products by SKU; one the till does not know yet (its master data is further on in the feed) is made
    as an inactive placeholder, so the movement is kept and the product filled in when it comes."""
    found: dict[str, str] = {}
    wanted = sorted(skus)
    for chunk in _chunks(wanted):
        found.update(sql.rows(unit.conn, f"SELECT sku, id FROM products WHERE sku IN ({_marks(chunk)})", *chunk))
    missing = [sku for sku in wanted if sku not in found]
    if missing:
        done = upsert_products(unit, [ProductRow(sku, sku, Decimal(0)) for sku in missing], unit.ctx.places)
        for chunk in _chunks(missing):
            unit.conn.execute(f"UPDATE products SET active = 0 WHERE sku IN ({_marks(chunk)})", chunk)
        found.update(done.product_ids)
        log.info("placeholders for %s products named by pulled movements", len(missing))
    return found


def _location_ids(unit: Unit, codes: set[str]) -> dict[str, str]:
    found = dict(sql.rows(unit.conn, "SELECT code, id FROM locations WHERE store_id = ?", unit.ctx.till.store_id))
    for code in sorted(codes - found.keys()):
        name, kind = STANDARD_LOCATIONS.get(code, (code, "storage"))
        found[code] = new_id()
        unit.insert("locations", {"id": found[code], "store_id": unit.ctx.till.store_id, "code": code,
                                  "name": name, "kind": kind})
    return found


def _batch_ids(unit: Unit, wanted: dict[tuple[str, str | None], str | None]) -> dict[tuple[str, str | None], str]:
    found: dict[tuple[str, str | None], str] = {}
    for (product_id, lot), expiry in wanted.items():
        batch = sql.scalar(unit.conn, "SELECT id FROM batches WHERE product_id = ? AND lot = ?", product_id, lot)
        if batch is None:
            batch = new_id()
            unit.insert("batches", {"id": batch, "product_id": product_id, "lot": lot, "expiry": expiry})
        found[(product_id, lot)] = batch
    return found


# -- transfers between stores ------------------------------------------------------------------------------------------

def _apply_shipments(unit: Unit, items: list[Any], report: PageReport) -> None:
    """Another store's ``transfer.shipped``, forwarded by the server: the incoming transfer (transfers.py)."""
    from .transfers import apply_remote_shipment
    _each(unit, "transfer.shipped", items, report, lambda data: apply_remote_shipment(unit, data))


def _apply_receipts(unit: Unit, items: list[Any], report: PageReport) -> None:
    """A ``transfer.received`` of either store: settles the sender's TRANSIT, or marks the copy received."""
    from .transfers import apply_remote_receipt
    _each(unit, "transfer.received", items, report, lambda data: apply_remote_receipt(unit, data))
