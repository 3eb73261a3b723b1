"""Reading a stock count: ``get_count``, ``list_counts`` and ``variance_report`` (per line expected, counted,
variance and its cost value, and who counted how many; totals and shrinkage by category).

Also the small pieces the other count modules share: a count's row by id or number (``_count_row``), the
refusal for a count that is not open (``_not_open``), folding entries into each counter's tally
(``fold_tallies``), the cost value of a variance (``_value``) and the on-hand query (``LEVELS_BY_PRODUCT``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ...core.errors import InvalidInput, NotFound
from ...core.i18n import _
from ...core.money import ZERO, from_minor, milli_to_qty, round_half_up
from ...core.permissions import Action, allowed
from ...store import sql
from ..auth import Operator
from ..context import Context
from .results import CountInfo, VarianceLine, VarianceReport


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


# ---------------------------------------------------------------------------- shared by the count modules


def fold_tallies(rows: Iterable[tuple]) -> dict[tuple[str, str | None], int]:
    tallies: dict[tuple[str, str | None], int] = {}
    for user, batch, mode, qty in rows:
        key = (user, batch)
        tallies[key] = qty if mode == "set" else tallies.get(key, 0) + qty
    return tallies


def _value(diff_milli: int, cost_minor: int, places: int) -> Decimal:
    return from_minor(int(round_half_up(Decimal(diff_milli) * cost_minor / 1000, 0)), places)


# on-hand per product at one location (and per batch, as JSON) from the cached levels
LEVELS_BY_PRODUCT = """SELECT product_id, sum(qty_milli) AS qty, json_group_object(batch_key, qty_milli) AS batches
    FROM stock_levels WHERE location_id = ? GROUP BY product_id"""
