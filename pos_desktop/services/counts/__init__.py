"""Stock counts: full and cycle counts, blind counts, several counters, recounts, the variance report, and the
manager's approval that posts the differences to the ledger.

How a count measures (the rule that keeps sales made during a count):
- A line's *expected* quantity is the ledger's on-hand of that product at the count's location **at the moment
  the line was counted** — recorded in the same transaction as each entry (``count_lines.expected_milli``, per
  batch in ``expected_batches``, the moment in ``expected_at``). A line nobody counted is measured at the
  finish. Approval posts ``counted − expected`` as movements (reason ``count``): whatever was sold, received
  or moved after that moment stays in the ledger, untouched.
- Counters: every entry is kept (``count_entries``) with its counter. Each counter has a *tally* per product
  (and lot): an ``add`` entry (a scan, ``--qty N``) adds to it, a ``set`` entry (``replace=True``) replaces it.
  A line's count is the sum of its counters' tallies in the current round.
- A recount (``request_recount``) opens a new round for the lines asked for: their earlier entries are kept for
  the record but no longer count, whoever made them; the recount is the whole line again.
- Scope: a full count covers every product with stock at the location when it starts, plus anything found
  while counting; a category count the category's products; a stale count the products not in an approved
  count of this location for N days. A product in scope that nobody counted is counted as zero.
- One count at a time per location (open or finished, not yet approved or cancelled).

Permissions: ``stock.count`` to start, record and finish; ``stock.count_approve`` (manager) to ask for a
recount, approve or cancel. In a blind count the expected quantity is shown only to people who may approve.
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
from ...core.money import ZERO, format_money, format_qty, from_minor, milli_to_qty, qty_to_milli, round_half_up
from ...core.permissions import Action, allowed
from ...store import sql
from ..auth import Operator, require
from ..catalog import layouts, lookup_scan
from ..context import Context
from ..stock import fefo_moves, location_id, negative_stock_alerts
from ..unit import Movement, Unit, write

EVENT_LINES = 500   # lines (and their movements) per ``stock.counted`` outbox event


# ------------------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class CountInfo:
    id: str
    number: str
    location: str
    kind: str
    category: str | None
    stale_days: int | None
    blind: bool
    status: str
    created_at: str
    lines: int
    counted_lines: int

    def to_json(self) -> dict[str, Any]:
        return {"count_id": self.id, "number": self.number, "location": self.location, "kind": self.kind,
                "category": self.category, "stale_days": self.stale_days, "blind": self.blind,
                "status": self.status, "created_at": self.created_at, "line_count": self.lines,
                "counted_lines": self.counted_lines}


@dataclass(frozen=True)
class Recorded:
    """One entry as the counter sees it: their own tally and the line's total, never the expected quantity."""

    count_id: str
    sku: str
    name: str
    lot: str | None
    qty: Decimal
    your_count: Decimal
    line_count: Decimal
    round: int

    def to_json(self) -> dict[str, Any]:
        return {"count_id": self.count_id, "sku": self.sku, "name": self.name, "lot": self.lot,
                "qty": format_qty(self.qty), "your_count": format_qty(self.your_count),
                "counted": format_qty(self.line_count), "round": self.round}


@dataclass(frozen=True)
class VarianceLine:
    sku: str
    name: str
    category: str | None
    status: str
    round: int
    counted: Decimal
    expected: Decimal | None          # None when hidden (blind count, viewer may not approve)
    variance: Decimal | None
    unit_cost: Decimal | None
    variance_value: Decimal | None
    expected_at: str | None
    counters: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class VarianceReport:
    count: CountInfo
    lines: tuple[VarianceLine, ...]
    shown: bool                       # expected quantities and values are shown
    total_variance_value: Decimal | None
    total_shrinkage_value: Decimal | None
    by_category: tuple[tuple[str | None, Decimal, Decimal], ...]   # (category, variance value, shrinkage value)
    places: int = 2

    def to_json(self) -> dict[str, Any]:
        q = lambda v: format_qty(v) if v is not None else None
        m = lambda v: format_money(v, self.places) if v is not None else None
        return {
            **self.count.to_json(), "expected_shown": self.shown,
            "lines": [{"sku": ln.sku, "name": ln.name, "category": ln.category, "status": ln.status,
                       "round": ln.round, "expected": q(ln.expected), "counted": q(ln.counted),
                       "variance": q(ln.variance), "unit_cost": m(ln.unit_cost),
                       "variance_value": m(ln.variance_value), "counted_at": ln.expected_at,
                       "counters": [{"user": user, "qty": q(qty)} for user, qty in ln.counters]}
                      for ln in self.lines],
            "total_variance_value": m(self.total_variance_value),
            "total_shrinkage_value": m(self.total_shrinkage_value),
            "by_category": [{"category": c, "variance_value": m(v), "shrinkage_value": m(s)}
                            for c, v, s in self.by_category] if self.shown else [],
        }


@dataclass(frozen=True)
class Posting:
    count_id: str
    number: str
    lines: int
    changed_lines: int
    movements: int
    total_variance_value: Decimal
    places: int = 2

    def to_json(self) -> dict[str, Any]:
        return {"count_id": self.count_id, "number": self.number, "status": "approved", "lines": self.lines,
                "changed_lines": self.changed_lines, "movements": self.movements,
                "total_variance_value": format_money(self.total_variance_value, self.places)}


@dataclass(frozen=True)
class CountInput:
    """One entry to record: a scan (``barcode``, GS1-128 carries its lot) or a SKU, and how many."""

    barcode: str | None = None
    sku: str | None = None
    qty: Decimal = Decimal(1)
    lot: str | None = None
    replace: bool = False


# ---------------------------------------------------------------------------------------------- starting


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


# on-hand per product at one location (and per batch, as JSON) from the cached levels
LEVELS_BY_PRODUCT = """SELECT product_id, sum(qty_milli) AS qty, json_group_object(batch_key, qty_milli) AS batches
    FROM stock_levels WHERE location_id = ? GROUP BY product_id"""


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


# --------------------------------------------------------------------------------------------- recording


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


def fold_tallies(rows: Iterable[tuple]) -> dict[tuple[str, str | None], int]:
    tallies: dict[tuple[str, str | None], int] = {}
    for user, batch, mode, qty in rows:
        key = (user, batch)
        tallies[key] = qty if mode == "set" else tallies.get(key, 0) + qty
    return tallies


def _tally(unit: Unit, count_id: str, product_id: str, user_id: str, round_: int, batch_id: str | None) -> int:
    return _tallies(unit, count_id, product_id, round_, user_id).get((user_id, batch_id), 0)


def _on_hand(unit: Unit, product_id: str, loc: str) -> tuple[int, str]:
    rows = sql.rows(unit.conn, "SELECT batch_key, qty_milli FROM stock_levels WHERE product_id = ? AND "
                               "location_id = ? AND qty_milli != 0", product_id, loc)
    return sum(q for _b, q in rows), json.dumps(dict(rows), separators=(",", ":"))


# ------------------------------------------------------------------------------------- finishing, recounts


def finish_count(ctx: Context, operator: Operator, count_id: str) -> VarianceReport:
    """Close counting (``stock.count``): lines nobody counted are measured now (and count as zero); costs are
    fixed for the report. Returns the variance report (expected hidden in a blind count from a counter)."""
    require(operator, Action.STOCK_COUNT)
    with write(ctx) as unit:
        count = _count_row(unit.conn, count_id)
        if count["status"] != "open":
            raise _not_open(count)
        unit.conn.execute(f"""
            UPDATE count_lines SET expected_milli = coalesce(s.qty, 0), expected_batches = s.batches,
                                   expected_at = ?
            FROM (SELECT cl.product_id AS pid, lv.qty, lv.batches FROM count_lines cl LEFT JOIN (
                      {LEVELS_BY_PRODUCT}) lv ON lv.product_id = cl.product_id
                  WHERE cl.count_id = ? AND cl.status IN ('pending', 'recount')) s
            WHERE count_lines.count_id = ? AND count_lines.product_id = s.pid""",
                          (unit.at, count["location_id"], count["id"], count["id"]))
        unit.conn.execute("UPDATE count_lines SET unit_cost_minor = (SELECT cost_minor FROM products p "
                          "WHERE p.id = count_lines.product_id) WHERE count_id = ?", (count["id"],))
        unit.conn.execute("UPDATE stock_counts SET status = 'finished', finished_by = ?, finished_at = ? "
                          "WHERE id = ?", (operator.id, unit.at, count["id"]))
    return variance_report(ctx, count["id"], operator)


def request_recount(ctx: Context, operator: Operator, count_id: str, *, skus: Iterable[str] = (),
                    over_qty: Decimal | None = None, over_value: Decimal | None = None,
                    approver: Operator | None = None) -> list[str]:
    """Ask for a recount (``stock.count_approve``) of the named lines and of every line whose variance is at
    least ``over_qty`` units or ``over_value`` in cost (either sign). Reopens the finished count for those
    lines only; returns their SKUs (none: the count stays finished)."""
    require(operator, Action.COUNT_APPROVE, approver)
    wanted = set(skus)
    with write(ctx) as unit:
        count = _count_row(unit.conn, count_id)
        if count["status"] != "finished":
            raise InvalidInput(_("Count {number} is {status}: a recount is asked for after it is finished").format(
                number=count["number"], status=count["status"]), code="count_not_finished")
        rows = sql.rows(unit.conn, "SELECT p.sku, cl.product_id, cl.counted_milli - cl.expected_milli, "
                                   "cl.unit_cost_minor FROM count_lines cl JOIN products p ON p.id = cl.product_id "
                                   "WHERE cl.count_id = ?", count["id"])
        unknown = wanted - {r[0] for r in rows}
        if unknown:
            raise NotFound(_("Not in count {number}: {skus}").format(number=count["number"],
                                                                    skus=", ".join(sorted(unknown))),
                           code="not_in_count")
        chosen = [(sku, pid) for sku, pid, diff, cost in rows
                  if sku in wanted or _over(diff, cost, over_qty, over_value, ctx.places)]
        unit.conn.executemany("UPDATE count_lines SET round = round + 1, status = 'recount', counted_milli = 0 "
                              "WHERE count_id = ? AND product_id = ?", [(count["id"], pid) for _s, pid in chosen])
        if chosen:
            unit.conn.execute("UPDATE stock_counts SET status = 'open' WHERE id = ?", (count["id"],))
    return sorted(sku for sku, _pid in chosen)


def _over(diff: int, cost: int | None, over_qty: Decimal | None, over_value: Decimal | None, places: int) -> bool:
    if diff == 0:
        return False
    if over_qty is not None and abs(diff) >= qty_to_milli(over_qty):
        return True
    if over_value is not None and cost is not None:
        return abs(_value(diff, cost, places)) >= over_value
    return False


def _value(diff_milli: int, cost_minor: int, places: int) -> Decimal:
    return from_minor(int(round_half_up(Decimal(diff_milli) * cost_minor / 1000, 0)), places)


def cancel_count(ctx: Context, operator: Operator, count_id: str, approver: Operator | None = None) -> CountInfo:
    """Abandon a count that is not approved (``stock.count_approve``); nothing is posted; journaled."""
    approved = require(operator, Action.COUNT_APPROVE, approver)
    with write(ctx) as unit:
        count = _count_row(unit.conn, count_id)
        if count["status"] not in ("open", "finished"):
            raise _not_open(count)
        unit.conn.execute("UPDATE stock_counts SET status = 'cancelled' WHERE id = ?", (count["id"],))
        unit.journal("count_cancelled", count["id"], {"number": count["number"]}, user=operator.username,
                     approver=approved.username if approved else None)
    return get_count(ctx, count["id"])


# ------------------------------------------------------------------------------------------------ reports


def get_count(ctx: Context, count_id: str) -> CountInfo:
    with ctx.db.read() as session:
        conn = sql.dbapi(session.connection())
        return _info(conn, _count_row(conn, count_id))


def list_counts(ctx: Context, status: str | None = None) -> list[CountInfo]:
    """Counts, newest first (all, or those in one status: open, finished, approved, cancelled)."""
    with ctx.db.read() as session:
        conn = sql.dbapi(session.connection())
        ids = sql.rows(conn, "SELECT id FROM stock_counts WHERE ? IS NULL OR status = ? "
                             "ORDER BY created_at DESC, number DESC", status, status)
        return [_info(conn, _count_row(conn, i)) for (i,) in ids]


def variance_report(ctx: Context, count_id: str, viewer: Operator | None) -> VarianceReport:
    """Per line: expected (at the line's counting moment), counted, variance and its cost value, and who
    counted how many; totals and shrinkage (the losses) by category. ``viewer`` decides whether a blind count
    shows expected quantities."""
    with ctx.db.read() as session:
        conn = sql.dbapi(session.connection())
        count = _count_row(conn, count_id)
        info = _info(conn, count)
        shown = not count["blind"] or (viewer is not None and allowed(viewer.role, Action.COUNT_APPROVE))
        users = dict(sql.rows(conn, "SELECT id, username FROM users"))
        tallies = _all_tallies(conn, count["id"])
        rows = sql.rows(conn, REPORT_SQL, count["id"])
    lines, totals = [], {}
    for pid, sku, name, category, status, round_, expected, counted, cost, at in rows:
        diff = counted - expected
        value = _value(diff, cost, ctx.places) if cost is not None else None
        counters = tuple(sorted((users.get(u, u), milli_to_qty(q)) for u, q in tallies.get((pid, round_), {}).items()))
        if value is not None:
            var, shrink = totals.get(category, (ZERO, ZERO))
            totals[category] = (var + value, shrink + min(value, ZERO))
        lines.append(VarianceLine(
            sku, name, category, status, round_, milli_to_qty(counted), milli_to_qty(expected) if shown else None,
            milli_to_qty(diff) if shown else None, from_minor(cost, ctx.places) if cost is not None else None,
            value if shown else None, at, counters))
    by_category = tuple((c, v, s) for c, (v, s) in sorted(totals.items(), key=lambda kv: kv[0] or ""))
    total = sum((v for _c, v, _s in by_category), ZERO)
    shrinkage = sum((s for _c, _v, s in by_category), ZERO)
    return VarianceReport(info, tuple(lines), shown, total if shown else None, shrinkage if shown else None,
                          by_category, ctx.places)


REPORT_SQL = """SELECT cl.product_id, p.sku, p.name, c.name, cl.status, cl.round, cl.expected_milli, cl.counted_milli,
       cl.unit_cost_minor, cl.expected_at
FROM count_lines cl JOIN products p ON p.id = cl.product_id LEFT JOIN categories c ON c.id = p.category_id
WHERE cl.count_id = ? ORDER BY p.sku"""


def _all_tallies(conn, count_id: str) -> dict[tuple[str, int], dict[str, int]]:  # type: ignore[no-untyped-def]
    """(product, round) → counter → tally (all lots together)."""
    by_line: dict[tuple[str, int], list[tuple]] = {}
    for pid, round_, user, batch, mode, qty in conn.execute(
            "SELECT product_id, round, user_id, batch_id, mode, qty_milli FROM count_entries WHERE count_id = ? "
            "ORDER BY seq", (count_id,)):
        by_line.setdefault((pid, round_), []).append((user, batch, mode, qty))
    result: dict[tuple[str, int], dict[str, int]] = {}
    for key, entries in by_line.items():
        per_user: dict[str, int] = {}
        for (user, _batch), qty in fold_tallies(entries).items():
            per_user[user] = per_user.get(user, 0) + qty
        result[key] = per_user
    return result


def _count_row(conn, ref: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    cur = conn.execute("SELECT sc.*, l.code AS location, c.name AS category FROM stock_counts sc "
                       "JOIN locations l ON l.id = sc.location_id LEFT JOIN categories c ON c.id = sc.category_id "
                       "WHERE sc.id = ? OR sc.number = ?", (ref, (ref or "").strip().upper()))
    row = cur.fetchone()
    if row is None:
        raise NotFound(_("No stock count {ref}").format(ref=ref), code="unknown_count")
    return dict(zip([d[0] for d in cur.description], row))


def _info(conn, count: dict[str, Any]) -> CountInfo:  # type: ignore[no-untyped-def]
    lines, counted = sql.one(conn, "SELECT count(*), coalesce(sum(status = 'counted'), 0) FROM count_lines "
                                   "WHERE count_id = ?", count["id"])
    return CountInfo(count["id"], count["number"], count["location"], count["kind"], count["category"],
                     count["stale_days"], bool(count["blind"]), count["status"], count["created_at"], lines, counted)


def _not_open(count: dict[str, Any]) -> InvalidInput:
    if count["status"] == "approved":
        return InvalidInput(_("Count {number} is already approved and posted").format(number=count["number"]),
                            code="already_approved")
    if count["status"] == "cancelled":
        return InvalidInput(_("Count {number} was cancelled").format(number=count["number"]),
                            code="count_cancelled")
    return InvalidInput(_("Count {number} is finished: nothing more can be counted unless a recount is asked "
                          "for").format(number=count["number"]), code="count_not_open")


# ------------------------------------------------------------------------------------------------ posting


def approve_count(ctx: Context, operator: Operator, count_id: str, approver: Operator | None = None) -> Posting:
    """Post a finished count (``stock.count_approve``): per line ``counted − expected`` as ``count`` movements
    against the ledger at the line's counting moment (per lot when every entry named one; otherwise losses
    first-expiry-first-out and gains to the latest-expiring batch). One transaction with the ``stock_count``
    journal entry and ``stock.counted`` outbox events (≤ 500 lines each, with their movements)."""
    approved = require(operator, Action.COUNT_APPROVE, approver)
    with write(ctx) as unit:
        count = _count_row(unit.conn, count_id)
        if count["status"] != "finished":
            if count["status"] == "open":
                raise InvalidInput(_("Count {number} is not finished yet").format(number=count["number"]),
                                   code="count_not_finished")
            raise _not_open(count)
        plan = _posting_plan(unit, count)
        for line in plan:
            for batch_id, delta in line["deltas"]:
                unit.move(Movement(line["product_id"], count["location_id"], delta, "count", batch_id,
                                   line["cost"]), doc_type="count", doc_id=count["id"], user_id=operator.id)
        unit.conn.executemany("UPDATE count_lines SET posted_milli = ? WHERE count_id = ? AND product_id = ?",
                              [(ln["counted"] - ln["expected"], count["id"], ln["product_id"]) for ln in plan])
        unit.conn.execute("UPDATE stock_counts SET status = 'approved', approved_by = ?, approved_at = ? "
                          "WHERE id = ?", (operator.id, unit.at, count["id"]))
        moves = unit.flush_moves()
        negative_stock_alerts(unit, moves, count["id"])
        total = sum((_value(ln["counted"] - ln["expected"], ln["cost"], ctx.places)
                     for ln in plan if ln["cost"] is not None), ZERO)
        changed = [ln for ln in plan if ln["counted"] != ln["expected"]]
        digest = unit.journal("stock_count", count["id"], {
            "number": count["number"], "location": count["location"], "lines": len(plan),
            "changed": [[ln["sku"], ln["expected"], ln["counted"]] for ln in changed],
            "total_variance_minor": int(total.scaleb(ctx.places))},
            user=operator.username, approver=approved.username if approved else None)
        _outbox(unit, count, plan, moves, digest, operator, approved)
    return Posting(count["id"], count["number"], len(plan), len(changed), len(moves), total, ctx.places)


def _posting_plan(unit: Unit, count: dict[str, Any]) -> list[dict[str, Any]]:
    entries: dict[str, list[tuple]] = {}
    for pid, round_, user, batch, mode, qty in unit.conn.execute(
            "SELECT e.product_id, e.round, e.user_id, e.batch_id, e.mode, e.qty_milli FROM count_entries e "
            "JOIN count_lines cl ON cl.count_id = e.count_id AND cl.product_id = e.product_id AND cl.round = e.round "
            "WHERE e.count_id = ? ORDER BY e.seq", (count["id"],)):
        entries.setdefault(pid, []).append((user, batch, mode, qty))
    plan, taken = [], {}
    for pid, sku, track, expected, batches, counted, cost, at in sql.rows(unit.conn, """
            SELECT cl.product_id, p.sku, p.track_batches, cl.expected_milli, cl.expected_batches, cl.counted_milli,
                   cl.unit_cost_minor, cl.expected_at
            FROM count_lines cl JOIN products p ON p.id = cl.product_id WHERE cl.count_id = ?""", count["id"]):
        line = {"product_id": pid, "sku": sku, "expected": expected, "counted": counted, "cost": cost,
                "counted_at": at, "deltas": []}
        tallies = fold_tallies(entries.get(pid, []))
        if track and tallies and all(batch for _u, batch in tallies):
            line["deltas"] = _per_batch(tallies, json.loads(batches) if batches else {})
        elif counted != expected:
            line["deltas"] = _spread(unit, pid, count["location_id"], counted - expected, bool(track), taken)
        plan.append(line)
    return plan


def _per_batch(tallies: dict[tuple[str, str | None], int], expected: dict[str, int]) -> list[tuple[str | None, int]]:
    counted: dict[str, int] = {}
    for (_user, batch), qty in tallies.items():
        counted[batch or ""] = counted.get(batch or "", 0) + qty
    deltas = []
    for key in sorted(set(counted) | set(expected)):
        diff = counted.get(key, 0) - expected.get(key, 0)
        if diff:
            deltas.append((key or None, diff))
    return deltas


def _spread(unit: Unit, product_id: str, loc: str, delta: int, track: bool,
            taken: dict[tuple[str, str], int]) -> list[tuple[str | None, int]]:
    if not track:
        return [(None, delta)]
    if delta < 0:
        return [(batch, -qty) for batch, qty in fefo_moves(unit, product_id, loc, -delta, taken)]
    latest = sql.scalar(unit.conn, "SELECT b.id FROM batches b LEFT JOIN stock_levels sl ON sl.product_id = b.product_id "
                                   "AND sl.location_id = ? AND sl.batch_key = b.id WHERE b.product_id = ? "
                                   "ORDER BY sl.qty_milli > 0 DESC, b.expiry IS NULL, b.expiry DESC LIMIT 1",
                        loc, product_id)
    return [(latest, delta)]


def _outbox(unit: Unit, count: dict[str, Any], plan: list[dict[str, Any]], moves: list[dict[str, Any]],
            digest: str, operator: Operator, approved: Operator | None) -> None:
    by_product: dict[str, list[dict[str, Any]]] = {}
    for move in moves:
        by_product.setdefault(move["product_id"], []).append(move)
    parts = max(1, -(-len(plan) // EVENT_LINES))
    head = {"count_id": count["id"], "number": count["number"], "store": unit.ctx.till.store_code,
            "location": count["location"], "kind": count["kind"], "blind": bool(count["blind"]),
            "started_at": count["created_at"], "finished_at": count["finished_at"], "approved_at": unit.at,
            "approved_by": operator.username, "approver": approved.username if approved else None, "parts": parts}
    for part in range(parts):
        chunk = plan[part * EVENT_LINES:(part + 1) * EVENT_LINES]
        unit.outbox("stock.counted", {
            **head, "part": part + 1,
            "lines": [{"sku": ln["sku"], "expected_milli": ln["expected"], "counted_milli": ln["counted"],
                       "delta_milli": ln["counted"] - ln["expected"], "counted_at": ln["counted_at"]}
                      for ln in chunk],
            "movements": [m for ln in chunk for m in by_product.get(ln["product_id"], [])]}, digest)


__all__ = ["CountInfo", "CountInput", "Item", "Posting", "Recorded", "VarianceLine", "VarianceReport",
           "approve_count", "cancel_count", "finish_count", "get_count", "list_counts", "record_count",
           "record_counts", "request_recount", "resolve_item", "start_count", "variance_report"]
