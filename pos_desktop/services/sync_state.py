"""The till's sync state: the outbox as the agent sees it, what the server acknowledged, how the last attempt
went, the clock skew, and the per-day figures of the sanity check.

The agent (``pos_desktop.sync``) reads and writes only through these functions (and ``sync_apply``); each
writing function is one transaction. The state lives in the one-row table ``sync_state``.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from ..core.clock import iso
from ..core.i18n import _
from ..core.ids import new_id
from ..store import sql
from .context import Context
from .unit import write

log = logging.getLogger(__name__)

SKEW_LIMIT_SECONDS = 300
STATE_COLUMNS = ("cursor", "acked_through", "last_attempt", "last_sync", "last_error", "online", "push_acked",
                 "needs_reenrol", "server_time", "clock_skew_seconds", "clock_skew_since", "sanity")
ENSURE_ROW = ("INSERT INTO sync_state (id, cursor, online, push_acked, needs_reenrol) VALUES (1, '', 0, 0, 0) "
              "ON CONFLICT (id) DO NOTHING")


@dataclass(frozen=True)
class SyncState:
    cursor: str = ""
    acked_through: int | None = None
    last_attempt: str | None = None
    last_sync: str | None = None
    last_error: dict[str, Any] | None = None
    online: bool = False
    push_acked: bool = False
    needs_reenrol: bool = False
    server_time: str | None = None
    clock_skew_seconds: int | None = None
    clock_skew_since: str | None = None
    sanity: dict[str, Any] | None = None


def _from_row(row: tuple | None) -> SyncState:
    if row is None:
        return SyncState()
    values = dict(zip(STATE_COLUMNS, row))
    for key in ("last_error", "sanity"):
        values[key] = json.loads(values[key]) if values[key] else None
    for key in ("online", "push_acked", "needs_reenrol"):
        values[key] = bool(values[key])
    return SyncState(**values)


def load(ctx: Context) -> SyncState:
    """The stored state (read on the caller's thread through the per-thread read connection)."""
    rows = ctx.products.query(f"SELECT {', '.join(STATE_COLUMNS)} FROM sync_state WHERE id = 1")
    return _from_row(rows[0] if rows else None)


def _update(conn, **values: Any) -> None:  # type: ignore[no-untyped-def]
    sql.execute(conn, ENSURE_ROW)
    for key in ("last_error", "sanity"):
        if key in values and values[key] is not None:
            values[key] = json.dumps(values[key], ensure_ascii=False, sort_keys=True)
    assignments = ", ".join(f"{key} = ?" for key in values)
    conn.execute(f"UPDATE sync_state SET {assignments} WHERE id = 1", tuple(values.values()))


def store_cursor(conn, cursor: str) -> None:  # type: ignore[no-untyped-def]
    """Inside ``sync_apply``'s page transaction: the pull has applied everything up to ``cursor``."""
    _update(conn, cursor=cursor)


def reset_cursor(ctx: Context) -> None:
    """Pull everything again from the start of the feed (applying is idempotent; the outbox is not touched)."""
    with write(ctx) as unit:
        _update(unit.conn, cursor="")


# -- the outbox -------------------------------------------------------------------------------------------------------

def pending(ctx: Context) -> int:
    return ctx.products.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL")[0][0]


def next_seq(ctx: Context) -> int:
    """What enrolment sends as ``next_seq``: the oldest unsent event's ``till_seq``, else the highest + 1."""
    oldest, highest = ctx.products.query(
        "SELECT (SELECT min(till_seq) FROM outbox WHERE sent_at IS NULL), (SELECT max(till_seq) FROM outbox)")[0]
    return oldest if oldest is not None else (highest or 0) + 1


UNSENT_SQL = """
SELECT till_seq, json_object('till_seq', till_seq, 'event_id', event_id, 'kind', kind, 'payload', json(payload),
                             'journal_hash', journal_hash, 'created_at', created_at)
FROM outbox WHERE sent_at IS NULL ORDER BY till_seq LIMIT ?"""


def unsent(ctx: Context, limit: int) -> list[tuple[int, str]]:
    """The oldest unsent outbox events in ``till_seq`` order: (till_seq, the event as the push request
    carries it, as JSON text; SQLite writes it, the payload is never parsed on the way)."""
    return [(seq, text) for seq, text in ctx.products.query(UNSENT_SQL, limit)]


def mark_sent(ctx: Context, acked_through: int, sent_through: int, server_time: str | None) -> int:
    """One transaction: every unsent event up to ``acked_through`` is marked sent, and the acknowledgement is
    recorded (``push_acked`` when it covers everything the request carried, up to ``sent_through``).
    Returns how many events were marked."""
    with write(ctx) as unit:
        marked = unit.conn.execute("UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND till_seq <= ?",
                                   (unit.at, acked_through)).rowcount
        _update(unit.conn, acked_through=acked_through, push_acked=acked_through >= sent_through, online=True,
                server_time=server_time)
    return marked


def requeue_after(ctx: Context, acked_through: int, before_seq: int) -> int:
    """The server acknowledges less than the till marked sent (its database was restored): mark the events
    between them unsent again so they are pushed once more (pushes are idempotent). One transaction."""
    with write(ctx) as unit:
        count = unit.conn.execute("UPDATE outbox SET sent_at = NULL WHERE sent_at IS NOT NULL AND till_seq > ? "
                                  "AND till_seq < ?", (acked_through, before_seq)).rowcount
    if count:
        log.warning("server acknowledged only through %s: %s sent events queued again", acked_through, count)
    return count


# -- attempts, enrolment, clock ------------------------------------------------------------------------------------

def record_attempt(ctx: Context, *, ok: bool, error: dict[str, Any] | None = None, online: bool | None = None,
                   needs_reenrol: bool | None = None, push_failed: bool = False,
                   push_acked: bool | None = None) -> None:
    """One transaction: how this sync attempt ended (``last_sync`` moves only on success; ``push_acked`` says
    everything pushed so far was acknowledged, which with an empty outbox is what "synced" means)."""
    with write(ctx) as unit:
        values: dict[str, Any] = {"last_attempt": unit.at, "online": ok if online is None else online}
        if ok:
            values.update(last_sync=unit.at, last_error=None)
        else:
            values["last_error"] = {**(error or {}), "at": unit.at}
        if needs_reenrol is not None:
            values["needs_reenrol"] = needs_reenrol
        if push_failed:
            values["push_acked"] = False
        elif push_acked is not None:
            values["push_acked"] = push_acked
        _update(unit.conn, **values)


def record_enrolment(ctx: Context, next_seq: int) -> None:
    """A new enrolment starts clean: not refused, nothing acknowledged beyond ``next_seq`` − 1."""
    with write(ctx) as unit:
        _update(unit.conn, needs_reenrol=False, last_error=None, acked_through=next_seq - 1, push_acked=False,
                online=True)


def record_clock(ctx: Context, skew_seconds: int, server_time: str) -> bool:
    """Record how far the till's clock is from the server's (server − till, seconds). Beyond five minutes the
    skew is flagged from now on (``clock_skew_since``: sales from then on are made with a wrong clock) and an
    alert is raised for the manager, once; within five minutes the flag is cleared. Returns whether the clock
    is off. Selling is never stopped."""
    off = abs(skew_seconds) > SKEW_LIMIT_SECONDS
    with write(ctx) as unit:
        since = sql.scalar(unit.conn, "SELECT clock_skew_since FROM sync_state WHERE id = 1")
        values: dict[str, Any] = {"clock_skew_seconds": skew_seconds, "server_time": server_time}
        if off and since is None:
            values["clock_skew_since"] = unit.at
            message = _("The till's clock is {minutes} minutes off the server's; set the clock right "
                        "(sales go on and are flagged meanwhile)").format(minutes=round(skew_seconds / 60))
            unit.insert("alerts", {"id": new_id(), "kind": "clock_skew", "product_id": None, "location_id": None,
                                   "doc_id": None, "message": message, "created_at": unit.at,
                                   "resolved_at": None})
            log.warning("clock skew of %s s against the server (server time %s)", skew_seconds, server_time)
        elif not off and since is not None:
            values["clock_skew_since"] = None
            unit.conn.execute("UPDATE alerts SET resolved_at = ? WHERE kind = 'clock_skew' AND resolved_at IS NULL",
                              (unit.at,))
            log.info("clock back within %s s of the server", SKEW_LIMIT_SECONDS)
        _update(unit.conn, **values)
    return off


def skew_seconds(server_time: str, till_now: datetime) -> int:
    return round((datetime.fromisoformat(server_time) - till_now).total_seconds())


# -- the sanity check --------------------------------------------------------------------------------------------------

DAY_SQL = """
SELECT (SELECT count(*) FROM sales WHERE business_date = ? AND id NOT IN (SELECT sale_id FROM sale_voids)),
       (SELECT count(*) FROM returns WHERE business_date = ?),
       (SELECT count(*) FROM sale_voids v JOIN sales s ON s.id = v.sale_id WHERE s.business_date = ?),
       (SELECT coalesce(sum(total_minor), 0) FROM sales WHERE business_date = ?
          AND id NOT IN (SELECT sale_id FROM sale_voids)),
       (SELECT coalesce(sum(total_minor), 0) FROM returns WHERE business_date = ?)"""


def recent_business_dates(ctx: Context, count: int = 7) -> list[str]:
    """The last ``count`` business dates on which this till sold or took a return, newest first."""
    rows = ctx.products.query("SELECT d FROM (SELECT business_date AS d FROM sales UNION "
                              "SELECT business_date FROM returns) ORDER BY d DESC LIMIT ?", count)
    return [row[0] for row in rows]


def day_figures(ctx: Context, day: str) -> dict[str, int]:
    """This till's own figures for one business date, as the server's ``/summary`` counts them: the day's
    sales that were not voided, its returns, the voids of its sales (a void counts on its sale's day), and
    net sales = Σ total of the sales not voided − Σ total of the returns."""
    sales, returns, voids, sold, returned = ctx.products.query(DAY_SQL, *([day] * 5))[0]
    return {"sales_count": sales, "returns_count": returns, "voids_count": voids,
            "net_sales_minor": sold - returned}


REQUEUE_SQL = """
UPDATE outbox SET sent_at = NULL WHERE sent_at IS NOT NULL AND created_at >= :d AND (
    json_extract(payload, '$.sale.business_date') = :d
 OR json_extract(payload, '$.return.business_date') = :d
 OR (kind = 'sale.voided' AND json_extract(payload, '$.sale_id') IN (SELECT id FROM sales WHERE business_date = :d)))"""


def requeue_day(ctx: Context, day: str, mismatch: dict[str, Any]) -> int:
    """Mark the sales, returns and voids of one business date unsent (the server acknowledges them again and
    stores what it lacks), and remember the mismatch; one transaction. Returns how many events. (Documents
    of a business date are written on that date or later, never before: the JSON is only read from there.)"""
    with write(ctx) as unit:
        count = unit.conn.execute(REQUEUE_SQL.replace(":d", "?"), (day, day, day, day)).rowcount
        sanity = json.loads(sql.scalar(unit.conn, "SELECT sanity FROM sync_state WHERE id = 1") or "{}")
        sanity.setdefault("requeued", {})[day] = mismatch
        _update(unit.conn, sanity=sanity)
    log.warning("sanity check: %s differs from the server (%s); %s events queued again", day, mismatch, count)
    return count


def record_sanity(ctx: Context, checked: list[str], mismatches: dict[str, Any]) -> None:
    with write(ctx) as unit:
        sanity = json.loads(sql.scalar(unit.conn, "SELECT sanity FROM sync_state WHERE id = 1") or "{}")
        sanity.update(checked_at=unit.at, dates=checked, mismatches=mismatches)
        _update(unit.conn, sanity=sanity)


def as_json(state: SyncState) -> dict[str, Any]:
    return asdict(state)


def now_text(ctx: Context) -> str:
    return iso(ctx.clock.now())
