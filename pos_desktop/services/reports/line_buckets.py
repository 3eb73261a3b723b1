"""Sale-line totals per business day × product, kept in the reports cache beside the sale totals.

A month's margin report of a busy till adds up a million sale lines, and reading them (each line's sale for its
business date, then grouping a million rows by product) takes seconds. Sale lines are immutable and appended
with growing rowids, like sales, so their totals per (business date, product) are kept in ``reports-cache.db``
(``sale_buckets``) and brought up to date by folding in only the lines after the high-water mark: a month then
reads a few hundred thousand small rows instead.

The rules are those of ``sale_buckets``: every line, of voided sales too (voids are subtracted live by the
caller); the fold and the read use the caller's snapshot of the till database (only lines up to its last rowid);
a restored or replaced database is detected at the mark (its line must still be the one the cache saw there)
and the table rebuilt; a cache that cannot be written means the lines are read directly — slower, never wrong.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import date
from typing import Any

from ..context import Context
from .sale_buckets import SCHEMA as SALE_SCHEMA
from .sale_buckets import cache_path

log = logging.getLogger(__name__)

VERSION = "1"
SCHEMA = """CREATE TABLE IF NOT EXISTS line_buckets (business_date TEXT NOT NULL, product_id TEXT NOT NULL,
  qty INTEGER NOT NULL, gross INTEGER NOT NULL, discounts INTEGER NOT NULL, net INTEGER NOT NULL,
  tax INTEGER NOT NULL, cost INTEGER, uncosted INTEGER, lines INTEGER NOT NULL,
  PRIMARY KEY (business_date, product_id)) WITHOUT ROWID"""
LINE_COST = "(l.unit_cost_minor * l.qty_milli + 500) / 1000"
SUMS = f"""sum(l.qty_milli), sum(l.gross_minor),
       sum(l.promo_discount_minor + l.line_discount_minor + l.cart_share_minor), sum(l.net_minor), sum(l.tax_minor),
       sum(CASE WHEN l.unit_cost_minor IS NOT NULL THEN {LINE_COST} END),
       sum(CASE WHEN l.unit_cost_minor IS NULL THEN l.net_minor END), count(*)"""
# the lines in storage order, each with its sale's date (the sale's primary key)
FOLD_SQL = f"""SELECT s.business_date, l.product_id, {SUMS}
FROM sale_lines l CROSS JOIN sales s ON s.id = l.sale_id WHERE l.rowid > ? AND l.rowid <= ? GROUP BY 1, 2"""
CACHED_SQL = """SELECT product_id, sum(qty), sum(gross), sum(discounts), sum(net), sum(tax), sum(cost),
       sum(uncosted), sum(lines) FROM line_buckets WHERE business_date BETWEEN ? AND ? GROUP BY product_id"""
# sales first, then each sale's lines (CROSS JOIN fixes that order; see margin.py)
LIVE_SQL = f"""SELECT l.product_id, {SUMS}
FROM sales s CROSS JOIN sale_lines l ON l.sale_id = s.id WHERE s.business_date BETWEEN ? AND ? GROUP BY l.product_id"""
UPSERT = """INSERT INTO line_buckets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (business_date, product_id) DO UPDATE SET qty = qty + excluded.qty, gross = gross + excluded.gross,
  discounts = discounts + excluded.discounts, net = net + excluded.net, tax = tax + excluded.tax,
  cost = CASE WHEN cost IS NULL AND excluded.cost IS NULL THEN NULL ELSE coalesce(cost, 0) + coalesce(excluded.cost, 0) END,
  uncosted = CASE WHEN uncosted IS NULL AND excluded.uncosted IS NULL THEN NULL
                  ELSE coalesce(uncosted, 0) + coalesce(excluded.uncosted, 0) END,
  lines = lines + excluded.lines"""
MARK_ID = "SELECT sale_id || ':' || line_no FROM sale_lines WHERE rowid = ?"


def line_totals(ctx: Context | None, conn: sqlite3.Connection, date_from: date, date_to: date) -> list[tuple[Any, ...]]:
    """Per product: (product id, Σ qty, Σ gross, Σ discounts, Σ net, Σ tax, Σ cost of the lines with a cost,
    Σ net of the lines without, number of lines) of every sale (voided or not) between two business dates,
    in the snapshot of ``conn``. Without ``ctx`` (no data folder) the lines are read directly."""
    span = (date_from.isoformat(), date_to.isoformat())
    if ctx is not None:
        top = conn.execute("SELECT max(rowid) FROM sale_lines").fetchone()[0] or 0
        try:
            return _from_cache(ctx, conn, top, span)
        except (sqlite3.Error, OSError) as exc:
            log.warning("reports cache unusable, reading sale lines directly: %s", exc)
    return conn.execute(LIVE_SQL, span).fetchall()


def _from_cache(ctx: Context, conn: sqlite3.Connection, top: int, span: tuple[str, str]) -> list[tuple[Any, ...]]:
    cache = sqlite3.connect(cache_path(ctx), timeout=10, isolation_level=None)
    try:
        cache.execute("PRAGMA synchronous=NORMAL")
        for ddl in (*SALE_SCHEMA, SCHEMA):
            cache.execute(ddl)
        cache.execute("BEGIN IMMEDIATE")
        try:
            _fold(cache, conn, top)
            rows = cache.execute(CACHED_SQL, span).fetchall()
            cache.execute("COMMIT")
        except BaseException:
            cache.execute("ROLLBACK")
            raise
    finally:
        cache.close()
    return rows


def _fold(cache: sqlite3.Connection, conn: sqlite3.Connection, top: int) -> None:
    """Bring the table to rowid ``top`` of ``sale_lines``, or rebuild it for a database it was not made from."""
    meta = dict(cache.execute("SELECT key, value FROM meta WHERE key LIKE 'lines_%'").fetchall())
    mark = int(meta.get("lines_mark", 0)) if meta.get("lines_version") == VERSION else -1
    if mark > 0:
        found = conn.execute(MARK_ID, (mark,)).fetchone()
        if mark > top or found is None or found[0] != meta.get("lines_mark_id"):
            mark = -1
    if mark < 0:
        cache.execute("DELETE FROM line_buckets")
        mark = 0
    if top > mark or not meta:
        if top > mark:
            cache.executemany(UPSERT, conn.execute(FOLD_SQL, (mark, top)))
        mark_id = conn.execute(MARK_ID, (top,)).fetchone() if top else None
        cache.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                          [("lines_version", VERSION), ("lines_mark", str(top)),
                           ("lines_mark_id", mark_id[0] if mark_id else "")])
