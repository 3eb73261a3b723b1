"""How reports read the till database: one consistent snapshot per report, plain SQL on the DBAPI connection.

A report runs several statements (sales, then their voids, then returns…); inside one read transaction they
all see the same committed state, so a sale committed meanwhile is either in every figure or in none. Reads
never take the write lock (WAL): a till keeps selling while a manager runs a year's report.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Iterator

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


def iso(day: date) -> str:
    return day.isoformat()
