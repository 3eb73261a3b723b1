"""Starting a stock count and recording what was counted.

``start_count`` opens a count of a location and snapshots its scope's lines (all of it, one category, or the
products not counted for N days). ``record_count`` / ``record_counts`` keep each counter's entries and, in
the same transaction, measure the line's expected quantity against the ledger at that moment.
``resolve_item`` finds the product and quantity of a scan or SKU (transfers use it too).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from ...core.barcodes import parse_scan
from ...core.clock import iso
from ...core.errors import InvalidInput, NotFound
from ...core.i18n import _
from ...core.ids import new_id
from ...core.money import format_qty, milli_to_qty, qty_to_milli
from ...core.permissions import Action
from ...store import sql
from ..auth import Operator, require
from ..catalog import layouts, lookup_scan
from ..context import Context
from ..stock import location_id
from ..unit import Unit, write
from .reading import LEVELS_BY_PRODUCT, _count_row, _not_open, fold_tallies, get_count
from .results import CountInfo, CountInput, Recorded


# ----------------------------------------------------------------------------------------------- starting


def start_count(ctx: Context, operator: Operator, *, location: str, blind: bool = False,
                category: str | None = None, stale_days: int | None = None, note: str | None = None) -> CountInfo:
    """Open a count of ``location`` (``stock.count``): all of it, one category, and/or the products not counted
    for ``stale_days``. Snapshots the scope's lines in one transaction. Refuses a second count of a location
    that has one open or finished."""
    require(operator, Action.STOCK_COUNT)
    if stale_days is not None and stale_days < 1:
        raise InvalidInput(_("The number of days must be 1 or more"), code="bad_days")
    with write(ctx) as unit:
        loc = location_id(unit, location)
        busy = sql.scalar(unit.conn, "SELECT number FROM stock_counts WHERE location_id = ? AND status IN "
                                     "('open', 'finished')", loc)
        if busy:
            raise InvalidInput(_("Count {number} of {location} is not approved or cancelled yet").format(
                number=busy, location=location.upper()), code="count_in_progress")
        category_id = _category_id(unit, category) if category else None
        count_id = new_id()
        number = f"{ctx.till.store_code}-{ctx.till.till_code}-C{unit.next_counter('count'):06d}"
        kind = "category" if category else "stale" if stale_days else "full"
        unit.insert("stock_counts", {
            "id": count_id, "number": number, "location_id": loc, "kind": kind, "category_id": category_id,
            "stale_days": stale_days, "blind": blind, "status": "open", "note": note, "created_by": operator.id,
            "created_at": unit.at, "finished_by": None, "finished_at": None, "approved_by": None,
            "approved_at": None})
        where, params = _scope_filter(unit, category_id, stale_days, loc)
        unit.conn.execute(f"""
            INSERT INTO count_lines (count_id, product_id, in_scope, status, round, expected_milli,
                                     expected_batches, expected_at, counted_milli, unit_cost_minor, posted_milli)
            SELECT ?, s.product_id, 1, 'pending', 1, s.qty, s.batches, NULL, 0, p.cost_minor, NULL
            FROM ({LEVELS_BY_PRODUCT}) s JOIN products p ON p.id = s.product_id
            WHERE s.qty != 0 {where}""", (count_id, loc, *params))
    return get_count(ctx, count_id)


def _scope_filter(unit: Unit, category_id: str | None, stale_days: int | None,
                  loc: str) -> tuple[str, tuple[Any, ...]]:
    where, params = "", []
    if category_id:
        where += " AND p.category_id = ?"
        params.append(category_id)
    if stale_days:
        where += f" AND p.id NOT IN ({RECENTLY_COUNTED})"
        params += [loc, iso(unit.now - timedelta(days=stale_days))]
    return where, tuple(params)


RECENTLY_COUNTED = """SELECT cl.product_id FROM count_lines cl JOIN stock_counts sc ON sc.id = cl.count_id
    WHERE sc.location_id = ? AND sc.status = 'approved' AND sc.approved_at >= ?"""


def _category_id(unit: Unit, name: str) -> str:
    found = sql.scalar(unit.conn, "SELECT id FROM categories WHERE name = ?", name)
    if found is None:
        found = sql.scalar(unit.conn, "SELECT id FROM categories WHERE name LIKE ? ESCAPE '\\'",
                           name.replace("%", "\\%").replace("_", "\\_") + " %")
    if found is None:
        raise NotFound(_("Unknown category {name}").format(name=name), code="unknown_category")
    return found


# ---------------------------------------------------------------------------------------------- recording


def record_count(ctx: Context, operator: Operator, count_id: str, *, barcode: str | None = None,
                 sku: str | None = None, qty: Decimal = Decimal(1), lot: str | None = None,
                 replace: bool = False) -> Recorded:
    """Record what ``operator`` counted of one product (``stock.count``); one transaction. A barcode counts
    its pack quantity per unit of ``qty``; a GS1-128 scan carries its lot (AI 10) and expiry (AI 17)."""
    return record_counts(ctx, operator, count_id, [CountInput(barcode, sku, qty, lot, replace)])[0]


def record_counts(ctx: Context, operator: Operator, count_id: str,
                  entries: Iterable[CountInput]) -> list[Recorded]:
    """Several entries in one transaction (a handheld scanner's upload): all are recorded, or none."""
    require(operator, Action.STOCK_COUNT)
    with write(ctx) as unit:
        count = _count_row(unit.conn, count_id)
        if count["status"] != "open":
            raise _not_open(count)
        seq = sql.scalar(unit.conn, "SELECT coalesce(max(seq), 0) FROM count_entries WHERE count_id = ?",
                         count["id"])
        done = []
        for entry in entries:
            seq += 1
            done.append(_record_one(unit, operator, count, entry, seq))
    return done


def _record_one(unit: Unit, operator: Operator, count: dict[str, Any], entry: CountInput, seq: int) -> Recorded:
    item = resolve_item(unit, barcode=entry.barcode, sku=entry.sku, qty=entry.qty, lot=entry.lot)
    line = _line_for(unit, count, item)
    batch_id = _batch_id(unit, item) if item.lot else None
    tally = _tally(unit, count["id"], item.product_id, operator.id, line["round"], batch_id)
    new_tally = item.qty_milli if entry.replace else tally + item.qty_milli
    if new_tally < 0:
        raise InvalidInput(_("That would take your count of {sku} below zero (you counted {qty})").format(
            sku=item.sku, qty=format_qty(milli_to_qty(tally))), code="negative_count")
    unit.insert("count_entries", {
        "count_id": count["id"], "seq": seq, "product_id": item.product_id, "batch_id": batch_id,
        "user_id": operator.id, "round": line["round"], "mode": "set" if entry.replace else "add",
        "qty_milli": item.qty_milli, "scanned": entry.barcode, "recorded_at": unit.at})
    counted = line["counted_milli"] + new_tally - tally
    qty, batches = _on_hand(unit, item.product_id, count["location_id"])
    unit.conn.execute("UPDATE count_lines SET counted_milli = ?, status = 'counted', expected_milli = ?, "
                      "expected_batches = ?, expected_at = ? WHERE count_id = ? AND product_id = ?",
                      (counted, qty, batches, unit.at, count["id"], item.product_id))
    your = sum(_tallies(unit, count["id"], item.product_id, line["round"], operator.id).values())
    return Recorded(count["id"], item.sku, item.name, item.lot, milli_to_qty(item.qty_milli),
                    milli_to_qty(your), milli_to_qty(counted), line["round"])


@dataclass(frozen=True)
class Item:
    """A product as a count or a transfer names it: by scan or SKU, with the quantity in its units."""

    product_id: str
    sku: str
    name: str
    qty_milli: int
    lot: str | None = None
    expiry: str | None = None
    track_batches: bool = False
    cost_minor: int | None = None


def resolve_item(unit: Unit, *, barcode: str | None = None, sku: str | None = None,
                 qty: Decimal = Decimal(1), lot: str | None = None) -> Item:
    """Find the product of a scan or SKU (inactive products too: they may still be on a shelf). A barcode's
    pack quantity multiplies ``qty``; an in-store scale label gives its weight; GS1-128 gives lot and expiry."""
    if (barcode is None) == (sku is None):
        raise InvalidInput(_("Give a barcode or a SKU"), code="usage")
    expiry = None
    if barcode is not None:
        scan = parse_scan(barcode, layouts(unit.ctx))
        if scan.kind == "instore":
            found = lookup_scan(unit.ctx, barcode)
            product_id, pack = found.product.id, qty_to_milli(found.qty)
        else:
            row = sql.one(unit.conn, "SELECT product_id, pack_qty_milli FROM barcodes WHERE code = ?", scan.code)
            if row is None:
                raise NotFound(_("Unknown barcode {code}").format(code=scan.code), code="unknown_barcode")
            product_id, pack = row
            if scan.count:
                pack *= scan.count
        if scan.gs1 is not None:
            lot = lot or scan.gs1.lot
            expiry = scan.gs1.expiry.isoformat() if scan.gs1.expiry else None
        row = sql.one(unit.conn, PRODUCT_BY_ID, product_id)
    else:
        row = sql.one(unit.conn, PRODUCT_BY_SKU, sku)
        pack = 1000
        if row is None:
            raise NotFound(_("Unknown SKU {sku}").format(sku=sku), code="unknown_product")
    product_id, sku_, name, weighed, track, cost = row
    milli = pack * qty_to_milli(qty) // 1000 if barcode is not None else qty_to_milli(qty)
    if not weighed and milli % 1000:
        raise InvalidInput(_("{name} is counted in whole units").format(name=name), code="whole_units")
    if lot and not track:
        raise InvalidInput(_("{name} ({sku}) is not tracked by lot").format(name=name, sku=sku_), code="no_lots")
    return Item(product_id, sku_, name, milli, lot or None, expiry, bool(track), cost)


PRODUCT_BY_ID = "SELECT id, sku, name, is_weighed, track_batches, cost_minor FROM products WHERE id = ?"
PRODUCT_BY_SKU = "SELECT id, sku, name, is_weighed, track_batches, cost_minor FROM products WHERE sku = ?"


def _line_for(unit: Unit, count: dict[str, Any], item: Item) -> dict[str, Any]:
    row = sql.one(unit.conn, "SELECT round, counted_milli, status FROM count_lines WHERE count_id = ? AND "
                             "product_id = ?", count["id"], item.product_id)
    if count["finished_at"] is not None and (row is None or row[0] == 1):
        raise InvalidInput(_("Count {number} is being recounted: only the lines asked for may be counted, "
                             "not {sku}").format(number=count["number"], sku=item.sku), code="not_for_recount")
    if row is not None:
        return {"round": row[0], "counted_milli": row[1]}
    if not _fits_scope(unit, count, item.product_id):
        raise InvalidInput(_("{name} ({sku}) is not part of count {number}").format(
            name=item.name, sku=item.sku, number=count["number"]), code="not_in_count")
    unit.insert("count_lines", {
        "count_id": count["id"], "product_id": item.product_id, "in_scope": False, "status": "pending",
        "round": 1, "expected_milli": 0, "expected_batches": None, "expected_at": None, "counted_milli": 0,
        "unit_cost_minor": item.cost_minor, "posted_milli": None})
    return {"round": 1, "counted_milli": 0}


def _fits_scope(unit: Unit, count: dict[str, Any], product_id: str) -> bool:
    if count["category_id"] and sql.scalar(unit.conn, "SELECT category_id FROM products WHERE id = ?",
                                           product_id) != count["category_id"]:
        return False
    if count["stale_days"]:
        since = iso(unit.now - timedelta(days=count["stale_days"]))
        recent = sql.one(unit.conn, RECENTLY_COUNTED + " AND cl.product_id = ?", count["location_id"], since,
                         product_id)
        return recent is None
    return True


def _batch_id(unit: Unit, item: Item) -> str:
    found = sql.one(unit.conn, "SELECT id, expiry FROM batches WHERE product_id = ? AND lot = ?",
                    item.product_id, item.lot)
    if found is not None:
        return found[0]
    batch = new_id()
    unit.insert("batches", {"id": batch, "product_id": item.product_id, "lot": item.lot, "expiry": item.expiry})
    return batch


def _tallies(unit: Unit, count_id: str, product_id: str, round_: int,
             user_id: str | None = None) -> dict[tuple[str, str | None], int]:
    """Each counter's tally per lot in a round: ``add`` entries add up, a ``set`` entry starts again."""
    # INDEXED BY: ordered by seq, SQLite would otherwise walk the whole count by its primary key (count_id, seq)
    query = ("SELECT user_id, batch_id, mode, qty_milli FROM count_entries INDEXED BY ix_count_entries_line "
             "WHERE count_id = ? AND product_id = ? AND round = ?")
    params: list[Any] = [count_id, product_id, round_]
    if user_id is not None:
        query += " AND user_id = ?"
        params.append(user_id)
    return fold_tallies(sql.rows(unit.conn, query + " ORDER BY seq", *params))


def _tally(unit: Unit, count_id: str, product_id: str, user_id: str, round_: int, batch_id: str | None) -> int:
    return _tallies(unit, count_id, product_id, round_, user_id).get((user_id, batch_id), 0)


def _on_hand(unit: Unit, product_id: str, loc: str) -> tuple[int, str]:
    rows = sql.rows(unit.conn, "SELECT batch_key, qty_milli FROM stock_levels WHERE product_id = ? AND "
                               "location_id = ? AND qty_milli != 0", product_id, loc)
    return sum(q for _b, q in rows), json.dumps(dict(rows), separators=(",", ":"))
