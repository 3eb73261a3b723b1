"""Closing a stock count: ``finish_count`` (lines nobody counted are measured now), ``request_recount``
(a new round for the lines asked for), ``cancel_count``, and ``approve_count``, which posts
``counted − expected`` per line as ``count`` movements, with the ``stock_count`` journal entry and the
``stock.counted`` outbox events, in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ...core.errors import InvalidInput, NotFound
from ...core.i18n import _
from ...core.money import ZERO, qty_to_milli
from ...core.permissions import Action
from ...store import sql
from ..auth import Operator, require
from ..context import Context
from ..stock import fefo_moves, negative_stock_alerts
from ..unit import Movement, Unit, write
from .reading import LEVELS_BY_PRODUCT, _count_row, _not_open, _value, fold_tallies, get_count, variance_report
from .results import CountInfo, Posting, VarianceReport

EVENT_LINES = 500   # lines (and their movements) per ``stock.counted`` outbox event


# ------------------------------------------------------------------------------------ finishing, recounts


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
