"""How reports read the till database: one consistent snapshot per report, plain SQL on the DBAPI connection.

A report runs several statements (sales, then their voids, then returns…); inside one read transaction they
all see the same committed state, so a sale committed meanwhile is either in every figure or in none. Reads
never take the write lock (WAL): a till keeps selling while a manager runs a year's report.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Iterator

from ..context import Context


@contextmanager
def snapshot(ctx: Context) -> Iterator[sqlite3.Connection]:
    """A pooled sqlite3 connection inside a read transaction (one snapshot of the database)."""
    with ctx.db.raw() as conn:
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")


def money(minor: int | None, places: int) -> Decimal:
    """Minor units → Decimal with exactly ``places`` decimals (what ``from_minor`` gives, faster: reports
    convert hundreds of thousands of figures)."""
    return Decimal(int(minor or 0)).scaleb(-places)


def qty(milli: int | None) -> Decimal:
    return Decimal(int(milli or 0)).scaleb(-3)


def div_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half away from zero, in integers (a cost × thousandths → minor)."""
    q = (abs(numerator) * 2 + denominator) // (2 * denominator)
    return q if numerator >= 0 else -q


def journal_entries(conn: sqlite3.Connection, kind: str, date_from: date, date_to: date) -> list[dict[str, Any]]:
    """Journal entries of ``kind`` whose local date (``at``) is between two dates (inclusive).

    The journal has no index on its kind or time, and a busy till's journal holds millions of entries; but it
    is appended in time order, so the range is found by bisecting ``seq`` on ``at`` (a day of slack on each
    side, for a clock that was set back a little), then read as one key range.
    """
    top = conn.execute("SELECT max(seq) FROM journal").fetchone()[0]
    if not top:
        return []
    lo_day, hi_day = (date_from - timedelta(days=1)).isoformat(), (date_to + timedelta(days=2)).isoformat()
    first = _first_seq_at(conn, lo_day, top)
    last = _first_seq_at(conn, hi_day, top) - 1
    found = []
    for (entry,) in conn.execute("SELECT entry FROM journal WHERE seq BETWEEN ? AND ? AND kind = ?",
                                 (first, last, kind)):
        doc = json.loads(entry)
        if date_from.isoformat() <= str(doc.get("at", ""))[:10] <= date_to.isoformat():
            found.append(doc)
    return found


def _first_seq_at(conn: sqlite3.Connection, day: str, top: int) -> int:
    """The first seq whose entry's ``at`` is on or after ``day`` (top + 1 when none is)."""
    lo, hi = 1, top + 1
    while lo < hi:
        mid = (lo + hi) // 2
        row = conn.execute("SELECT seq, json_extract(entry, '$.at') FROM journal WHERE seq >= ? ORDER BY seq LIMIT 1",
                           (mid,)).fetchone()
        if row is None or str(row[1] or "")[:10] >= day:
            hi = mid
        else:
            lo = min(row[0] + 1, hi)
    return lo
