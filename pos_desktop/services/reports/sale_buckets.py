"""Sales totals per business day × hour × cashier, kept in a cache beside the database that only ever grows.

The daily trend, the hourly heat map and the cashier figures all add up sale headers. A busy till (5,000 sales
a day) has 1.8 million of them a year; reading a year and the year before it through the ``business_date``
index takes about a second, most of it fetching the rows. Sales are immutable and only ever appended (their
rowids grow with every insert, nothing is deleted), so their totals per (business day, hour, cashier) can be
kept in a small cache and brought up to date by folding in only the sales after its high-water mark.

- The cache is ``reports-cache.db`` in the data folder, a SQLite file of its own: no migration, no trigger on
  the checkout's path, and deleting it is always safe (the next report rebuilds it).
- It holds every sale, voided or not; voids are subtracted live (``sale_voids`` is small, and a sale of a
  shift that runs past midnight can be voided the next day). Returns are read live by the reports.
- A restored backup or a replaced database is detected: the sale at the high-water rowid must still have the
  id the cache saw there; if not, the cache is rebuilt.
- The fold and the report read the same snapshot of the till database: only sales up to the snapshot's last
  rowid are counted, and only their voids.
- If the cache cannot be written (a read-only folder, a broken file), the totals are read from the sales
  table directly: slower, never wrong.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

from ..context import Context

log = logging.getLogger(__name__)

CACHE_NAME = "reports-cache.db"
CACHE_VERSION = "1"
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS sale_buckets (business_date TEXT NOT NULL, hour INTEGER NOT NULL,
         user_id TEXT NOT NULL, sales INTEGER NOT NULL, gross INTEGER NOT NULL, discount INTEGER NOT NULL,
         cart_discount INTEGER NOT NULL, tax INTEGER NOT NULL, total INTEGER NOT NULL,
         PRIMARY KEY (business_date, hour, user_id)) WITHOUT ROWID""",
)
FIELDS = "count(*), sum(subtotal_minor), sum(discount_minor), sum(cart_discount_minor), sum(tax_minor), " \
         "sum(total_minor)"
SUMS = "sum(sales), sum(gross), sum(discount), sum(cart_discount), sum(tax), sum(total)"
HOUR = "CAST(substr({t}created_at, 12, 2) AS INTEGER)"
KEYS = {"business_date": "{t}business_date", "hour": HOUR, "user_id": "{t}user_id"}
FOLD_SQL = f"""SELECT business_date, {HOUR.format(t='')}, user_id, {FIELDS} FROM sales
WHERE rowid > ? AND rowid <= ? GROUP BY 1, 2, 3"""
LIVE_SQL = """SELECT {keys}, """ + FIELDS + """ FROM sales
WHERE business_date BETWEEN ? AND ? AND rowid <= ? GROUP BY {keys}"""
CACHED_SQL = "SELECT {keys}, " + SUMS + " FROM sale_buckets WHERE business_date BETWEEN ? AND ? GROUP BY {keys}"
# voids drive the loop (CROSS JOIN): there are few of them; the other way round reads every sale of the range
VOIDS_SQL = """SELECT {keys}, count(*), sum(s.subtotal_minor), sum(s.discount_minor), sum(s.cart_discount_minor),
       sum(s.tax_minor), sum(s.total_minor)
FROM sale_voids v CROSS JOIN sales s ON s.id = v.sale_id
WHERE s.business_date BETWEEN ? AND ? AND s.rowid <= ? GROUP BY {keys}"""
UPSERT = """INSERT INTO sale_buckets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (business_date, hour, user_id) DO UPDATE SET sales = sales + excluded.sales,
  gross = gross + excluded.gross, discount = discount + excluded.discount,
  cart_discount = cart_discount + excluded.cart_discount, tax = tax + excluded.tax, total = total + excluded.total"""


Key = tuple  # the values of the grouping keys, in the order asked for


@dataclass(frozen=True)
class Totals:
    """Sale totals (minor units: ``[sales, gross, discount, cart_discount, tax, total]``) per key.
    ``sold``: every sale, voided or not; ``voided``: the voided ones. ``completed`` = sold − voided."""

    sold: dict[Key, list[int]]
    voided: dict[Key, list[int]]
    from_cache: bool

    def completed(self) -> dict[Key, list[int]]:
        out = {key: list(values) for key, values in self.sold.items()}
        for key, values in self.voided.items():
            acc = out.setdefault(key, [0] * 6)
            for i, value in enumerate(values):
                acc[i] -= value
        return {key: acc for key, acc in out.items() if any(acc)}


def sale_totals(ctx: Context, conn: sqlite3.Connection, date_from: date, date_to: date,
                keys: tuple[str, ...] = ("business_date",)) -> Totals:
    """Totals per ``keys`` (any of business_date, hour, user_id) of the sales between two business dates
    (inclusive), read in the snapshot of ``conn`` (a read transaction on the till database)."""
    assert keys and all(k in KEYS for k in keys), keys
    top = conn.execute("SELECT max(rowid) FROM sales").fetchone()[0] or 0
    span = (date_from.isoformat(), date_to.isoformat())
    sold = None
    try:
        sold = _from_cache(cache_path(ctx), conn, top, span, keys)
    except (sqlite3.Error, OSError) as exc:
        log.warning("reports cache unusable, reading sales directly: %s", exc)
    from_cache = sold is not None
    if sold is None:
        sold = _rows(conn.execute(LIVE_SQL.format(keys=_keys(keys, "")), (*span, top)), len(keys))
    voided = _rows(conn.execute(VOIDS_SQL.format(keys=_keys(keys, "s.")), (*span, top)), len(keys))
    return Totals(sold, voided, from_cache)


def _keys(keys: tuple[str, ...], table: str) -> str:
    return ", ".join(KEYS[k].format(t=table) for k in keys)


def _rows(cursor: Iterable[tuple], n: int) -> dict[Key, list[int]]:
    return {tuple(row[:n]): [int(v or 0) for v in row[n:]] for row in cursor}


def cache_path(ctx: Context) -> Path:
    return Path(ctx.data_dir) / CACHE_NAME


def _from_cache(path: Path, conn: sqlite3.Connection, top: int, span: tuple[str, str],
                keys: tuple[str, ...]) -> dict[Key, list[int]]:
    cache = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        cache.execute("PRAGMA synchronous=NORMAL")
        for ddl in SCHEMA:
            cache.execute(ddl)
        cache.execute("BEGIN IMMEDIATE")
        try:
            _fold(cache, conn, top)
            rows = _rows(cache.execute(CACHED_SQL.format(keys=", ".join(keys)), span), len(keys))
            cache.execute("COMMIT")
        except BaseException:
            cache.execute("ROLLBACK")
            raise
    finally:
        cache.close()
    return rows
def _fold(cache: sqlite3.Connection, conn: sqlite3.Connection, top: int) -> None:
    """Bring the cache to rowid ``top`` of ``sales``: fold in the newer sales, or rebuild if the database is not
    the one the cache was made from."""
    meta = dict(cache.execute("SELECT key, value FROM meta").fetchall())
    mark = int(meta.get("mark", 0)) if meta.get("version") == CACHE_VERSION else -1
    if mark > 0:
        found = conn.execute("SELECT id FROM sales WHERE rowid = ?", (mark,)).fetchone()
        if mark > top or found is None or found[0] != meta.get("mark_id"):
            mark = -1
    if mark < 0:
        cache.execute("DELETE FROM sale_buckets")
        mark = 0
    if top > mark:
        cache.executemany(UPSERT, conn.execute(FOLD_SQL, (mark, top)))
        mark_id = conn.execute("SELECT id FROM sales WHERE rowid = ?", (top,)).fetchone()[0]
        cache.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                          [("version", CACHE_VERSION), ("mark", str(top)), ("mark_id", mark_id)])
    elif mark == 0:
        cache.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                          [("version", CACHE_VERSION), ("mark", "0"), ("mark_id", "")])
