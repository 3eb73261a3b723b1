"""Which business day a document belongs to, and which days of this till are closed.

The rule, in one place (``business_date``): a sale, return or other document belongs to the calendar date of
the moment it is made, unless this till has already closed that day (or a later one) with a Z report; then it
belongs to the day after the last closed day. So a closed day can never change: whatever happens after its Z
report lands on the next day. Checkout and returns call ``business_date`` for every document; it costs one
lookup in the unique index of ``z_reports``.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from ..store import sql
from .unit import Unit

LAST_CLOSED = "SELECT max(business_date) FROM z_reports WHERE till_id = ?"


def last_closed(conn: sqlite3.Connection, till_id: str) -> date | None:
    """The latest business day this till has closed with a Z report, if any."""
    text = sql.scalar(conn, LAST_CLOSED, till_id)
    return date.fromisoformat(text) if text else None


def date_for(now: datetime, closed: date | None) -> date:
    """The business date of a document made at ``now`` when ``closed`` is the last closed day."""
    today = now.date()
    if closed is None or closed < today:
        return today
    return closed + timedelta(days=1)


def business_date(unit: Unit) -> str:
    """The business date (ISO text) of a document written in ``unit``: see the module notes."""
    return date_for(unit.now, last_closed(unit.conn, unit.ctx.till.till_id)).isoformat()


def current_business_date(ctx) -> date:  # type: ignore[no-untyped-def]
    """The business date a document made now would get (what the X report covers)."""
    with ctx.db.raw() as conn:
        return date_for(ctx.clock.now(), last_closed(conn, ctx.till.till_id))


def is_closed(conn: sqlite3.Connection, till_id: str, day: date) -> bool:
    return sql.scalar(conn, "SELECT 1 FROM z_reports WHERE till_id = ? AND business_date = ?",
                      till_id, day.isoformat()) is not None


OPEN_DAYS = """
SELECT d FROM (SELECT DISTINCT business_date AS d FROM sales WHERE till_id = :till AND business_date >= :since
               UNION SELECT DISTINCT business_date FROM returns WHERE till_id = :till AND business_date >= :since)
WHERE d <= :until AND d NOT IN (SELECT business_date FROM z_reports WHERE till_id = :till) ORDER BY d"""


def open_days(ctx, since: date, until: date) -> list[date]:  # type: ignore[no-untyped-def]
    """Days from ``since`` to ``until`` with sales or returns on this till and no Z report yet."""
    with ctx.db.raw() as conn:
        found = conn.execute(OPEN_DAYS, {"till": ctx.till.till_id, "since": since.isoformat(),
                                         "until": until.isoformat()}).fetchall()
    return [date.fromisoformat(row[0]) for row in found]
