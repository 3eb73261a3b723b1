"""Reports speed: a month's margin report over 1,000,000 sale lines (target ≤ 3 s) and a year's daily trend
with the previous year beside it (target ≤ 1 s), and the other reports on the same history.

Run on demand (not collected by pytest):
    .venv/bin/python -m tests.benchmarks.bench_reports [--sales-per-day 5000] [--keep DIR] [--reuse DIR]

The history is built with bulk SQL in a temporary database migrated to head (ids as long as real uuids):
100,000 products in 20 categories, 30,000 of them sold (popularity skewed: a few sell a lot), 6 cashiers,
2,000 members; two years of sale headers at ``--sales-per-day`` (5,000 — the Z report's busy day — makes
3.65 million sales), and for the last 30 days their lines too: 1 to 13 lines a sale, about 1,000,000 lines,
10 % of them with a line discount, costs on every line but 2 %; 0.3 % of the sales voided, 0.5 % of the last
month's sales with a line returned; the sale movements of the last month (the ledger, which the turnover
report reads), a few hundred stock adjustments, and no-sale entries in the journal.

Measured in the same run, each the median of three after one warm-up; the baseline is the plain SQL
aggregate of the same rows, fetched into Python — the least any report of those figures has to read:
- margin: ``reports.margin.margin_report`` for the month (products and categories, returns subtracted, money
  as Decimal) vs ``SELECT product_id, sum(...) FROM sales JOIN sale_lines … GROUP BY product_id``;
- trend: ``reports.trends.sales_trend`` for 365 days by day, with the previous 365 days beside them, vs
  ``SELECT business_date, count(*), sum(subtotal_minor), … FROM sales … GROUP BY business_date`` over the
  same two years;
- and the others (hourly, baskets, sellers, cashiers, turnover, shrinkage) against their own plain aggregates.
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from pos_desktop.core.clock import FixedClock
from pos_desktop.services import till
from pos_desktop.store import search_index
from pos_desktop.store.models.purchasing import SALES_DAILY_FILL

TZ = timezone(timedelta(hours=8))
AS_OF = datetime(2026, 11, 21, 9, 0, tzinfo=TZ)
LAST_DAY = AS_OF.date() - timedelta(days=1)          # 2026-11-20
YEARS_DAYS = 730
LINE_DAYS = 30
PRODUCTS = 100_000
SOLD = 30_000
CATEGORIES = 20
CASHIERS = 6
MEMBERS = 2_000
MARGIN_TARGET_S = 3.0
TREND_TARGET_S = 1.0


def _uuid(prefix: str) -> str:
    """SQL for a uuid-long id made from the integer ``i`` (distinct per prefix of 8 hex digits)."""
    return f"printf('{prefix}-0000-4000-8000-%012x', i)"


def build(folder: Path, sales_per_day: int) -> dict[str, int]:
    """A migrated till with the history described above; returns row counts."""
    first = LAST_DAY - timedelta(days=YEARS_DAYS - 1)
    ctx = till.init_till(folder, store_code="S01", store_name="Bench 基准店", till_code="T01", admin_user="admin",
                         admin_pin="1234", clock=FixedClock(datetime.combine(first, datetime.min.time(), TZ)))
    floor, till_id = ctx.till.floor_location_id, ctx.till.till_id
    ctx.close()
    conn = sqlite3.connect(folder / "pos.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-2000000")
    conn.execute("PRAGMA temp_store=MEMORY")
    search_index.drop_triggers(conn.execute)
    conn.execute("DROP TRIGGER IF EXISTS stock_movements_sales_daily")
    hash_ = conn.execute("SELECT pin_hash FROM users LIMIT 1").fetchone()[0]
    at = f"{first.isoformat()}T07:00:00+08:00"
    conn.execute("BEGIN")
    conn.execute(f"""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {CATEGORIES})
        INSERT INTO categories (id, name, parent_id) SELECT {_uuid('ca7e0000')}, printf('品类 Category %02d', i), NULL
        FROM n""")
    conn.execute(f"""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {CASHIERS})
        INSERT INTO users (id, username, display_name, role, pin_hash, active, failed_attempts, locked_until,
                           created_at)
        SELECT {_uuid('05e10000')}, printf('cashier%d', i), printf('收银员 %d', i), 'cashier', ?, 1, 0, NULL, ?
        FROM n""", (hash_, at))
    conn.execute(f"""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {MEMBERS})
        INSERT INTO customers (id, code, name, phone, points, created_at)
        SELECT {_uuid('c0570000')}, printf('M%06d', i), printf('会员 %d', i), printf('139%08d', i), 0, ? FROM n""",
                 (at,))
    conn.execute(f"""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {PRODUCTS})
        INSERT INTO products (id, sku, name, unit, category_id, supplier_id, tax_rate_bp, cost_minor,
                              reorder_point_milli, reorder_qty_milli, track_batches, track_expiry, is_weighed, plu,
                              template_id, attributes, search_key, active, created_at, updated_at)
        SELECT {_uuid('9d000000')}, printf('SKU%08d', i), printf('商品 Product %d', i), 'pcs',
               printf('ca7e0000-0000-4000-8000-%012x', 1 + i % {CATEGORIES}), NULL,
               CASE WHEN i % 5 = 0 THEN 900 ELSE 1300 END, 100 + (i * 7919) % 4900, NULL, NULL, 0, 0, 0, NULL, NULL,
               NULL, NULL, 1, ?, ? FROM n""", (at, at))
    # the sold assortment: product k (1..SOLD) has a price of cost × 1.1–1.6
    conn.execute("CREATE TEMP TABLE sold (k INTEGER PRIMARY KEY, id TEXT, price INTEGER, cost INTEGER, rate INTEGER)")
    conn.execute(f"""INSERT INTO sold SELECT rowid, id, cost_minor * (110 + rowid * 31 % 50) / 100, cost_minor,
                     tax_rate_bp FROM products WHERE rowid <= {SOLD}""")
    conn.execute(f"""WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {YEARS_DAYS - 1})
        INSERT INTO shifts (id, till_id, opened_by, opened_at, opening_float_minor, closed_at, closed_by)
        SELECT {_uuid('5f170000')}, ?, (SELECT id FROM users LIMIT 1), date(?, '+' || i || ' days') || 'T07:00:00+08:00',
               0, date(?, '+' || i || ' days') || 'T23:00:00+08:00', NULL FROM n""",
                 (till_id, first.isoformat(), first.isoformat()))
    total = YEARS_DAYS * sales_per_day
    line_from = (YEARS_DAYS - LINE_DAYS) * sales_per_day
    # lines first (the last month's sales), then every header: from its lines where it has them
    conn.execute(f"""CREATE TEMP TABLE picks AS
        WITH RECURSIVE n(i) AS (SELECT {line_from} UNION ALL SELECT i + 1 FROM n WHERE i < {total - 1}),
             l(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM l WHERE j < 13)
        SELECT i, j, 1 + (abs(random()) % {SOLD}) * (abs(random()) % {SOLD}) / {SOLD} AS k,
               CASE WHEN abs(random()) % 10 = 0 THEN 2000 ELSE 1000 END AS qty,
               abs(random()) % 10 = 0 AS discounted, abs(random()) % 50 = 0 AS uncosted
        FROM n JOIN l ON j <= 1 + (i * 7919) % 13""")
    conn.execute(f"""INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, barcode, qty_milli,
                         list_price_minor, unit_price_minor, price_version_id, price_overridden, gross_minor,
                         promo_discount_minor, line_discount_minor, cart_share_minor, net_minor, tax_rate_bp,
                         tax_minor, promotion_id, unit_cost_minor)
        SELECT {_uuid('5a1e0000')}, j, s.id, printf('SKU%08d', s.k), printf('商品 Product %d', s.k), NULL, qty,
               price, price, NULL, 0, price * qty / 1000, 0, CASE WHEN discounted THEN price * qty / 10000 ELSE 0 END,
               0, price * qty / 1000 - CASE WHEN discounted THEN price * qty / 10000 ELSE 0 END, rate, 0, NULL,
               CASE WHEN uncosted THEN NULL ELSE cost END
        FROM picks p JOIN sold s ON s.k = p.k ORDER BY i, j""")
    conn.execute("""UPDATE sale_lines SET tax_minor = net_minor
                        - (net_minor * 10000 + (10000 + tax_rate_bp) / 2) / (10000 + tax_rate_bp)""")
    conn.execute("CREATE TEMP TABLE line_totals (i INTEGER PRIMARY KEY, gross INTEGER, disc INTEGER, tax INTEGER)")
    conn.execute(f"""INSERT INTO line_totals SELECT i, sum(price * qty / 1000),
                         sum(CASE WHEN discounted THEN price * qty / 10000 ELSE 0 END), 0
                     FROM picks p JOIN sold s ON s.k = p.k GROUP BY i""")
    conn.execute("""UPDATE line_totals SET tax = (SELECT sum(tax_minor) FROM sale_lines
                    WHERE sale_id = printf('5a1e0000-0000-4000-8000-%012x', line_totals.i))""")
    hours = "CASE abs(random()) % 20 WHEN 0 THEN 8 WHEN 1 THEN 9 WHEN 2 THEN 10 WHEN 3 THEN 11 WHEN 4 THEN 11 " \
            "WHEN 5 THEN 12 WHEN 6 THEN 12 WHEN 7 THEN 13 WHEN 8 THEN 14 WHEN 9 THEN 15 WHEN 10 THEN 16 " \
            "WHEN 11 THEN 17 WHEN 12 THEN 17 WHEN 13 THEN 18 WHEN 14 THEN 18 WHEN 15 THEN 18 WHEN 16 THEN 19 " \
            "WHEN 17 THEN 19 WHEN 18 THEN 20 ELSE 21 END"
    conn.execute(f"""INSERT INTO sales (id, receipt_no, till_id, shift_id, user_id, approver_id, customer_id,
                         created_at, business_date, tax_inclusive, subtotal_minor, discount_minor,
                         cart_discount_minor, tax_minor, total_minor, rounding_minor, paid_minor, change_minor,
                         points_earned, points_redeemed)
        WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {total - 1})
        SELECT {_uuid('5a1e0000')}, printf('S01-T01-%09d', i + 1), ?,
               printf('5f170000-0000-4000-8000-%012x', i / {sales_per_day}),
               printf('05e10000-0000-4000-8000-%012x', 1 + (i / 97) % {CASHIERS}), NULL,
               CASE WHEN abs(random()) % 3 = 0 THEN printf('c0570000-0000-4000-8000-%012x',
                    1 + (abs(random()) % {MEMBERS}) * (abs(random()) % {MEMBERS}) / {MEMBERS}) END,
               date(?, '+' || (i / {sales_per_day}) || ' days')
                   || printf('T%02d:%02d:%02d+08:00', {hours}, abs(random()) % 60, abs(random()) % 60),
               date(?, '+' || (i / {sales_per_day}) || ' days'), 1, g, d, 0, t, g - d, 0, g - d, 0, 0, 0
        FROM (SELECT i, coalesce(lt.gross, 2000 + abs(random()) % 20000) AS g, coalesce(lt.disc, 0) AS d,
                     coalesce(lt.tax, 300) AS t FROM n LEFT JOIN line_totals lt USING (i))""",
                 (till_id, first.isoformat(), first.isoformat()))
    _voids_returns(conn, total, line_from, sales_per_day, till_id)
    _ledger(conn, floor, till_id, at)
    conn.execute("COMMIT")
    conn.execute(SALES_DAILY_FILL)
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode=WAL")
    counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("sales", "sale_lines", "sale_voids", "returns", "stock_movements", "journal")}
    conn.close()
    return counts


def _voids_returns(conn: sqlite3.Connection, total: int, line_from: int, per_day: int, till_id: str) -> None:
    conn.execute(f"""INSERT INTO sale_voids (id, sale_id, user_id, approver_id, reason, created_at)
        SELECT 'v' || substr(id, 2), id, user_id, NULL, '顾客取消 cancelled', created_at FROM sales
        WHERE abs(random()) % 1000 < 3 + (CASE WHEN user_id LIKE '%00000000000' || '{CASHIERS}' THEN 12 ELSE 0 END)""")
    conn.execute(f"""INSERT INTO returns (id, receipt_no, original_sale_id, till_id, shift_id, user_id, approver_id,
                         reason, created_at, business_date, total_minor, tax_minor, points_reversed)
        SELECT 'r' || substr(s.id, 2), 'R' || s.receipt_no, s.id, ?, s.shift_id, s.user_id, NULL, '质量问题 quality',
               s.created_at, s.business_date, l.net_minor, l.tax_minor, 0
        FROM sales s JOIN sale_lines l ON l.sale_id = s.id AND l.line_no = 1
        WHERE s.rowid > {line_from} AND abs(random()) % 200 = 0
          AND NOT EXISTS (SELECT 1 FROM sale_voids v WHERE v.sale_id = s.id)""", (till_id,))
    conn.execute("""INSERT INTO return_lines (return_id, line_no, sale_line_no, product_id, qty_milli, amount_minor,
                                              tax_minor)
        SELECT r.id, 1, 1, l.product_id, l.qty_milli, l.net_minor, l.tax_minor
        FROM returns r JOIN sale_lines l ON l.sale_id = r.original_sale_id AND l.line_no = 1""")


def _ledger(conn: sqlite3.Connection, floor: str, till_id: str, at: str) -> None:
    """Opening stock of the sold assortment, the month's sale movements, adjustments, no-sale entries."""
    conn.execute("""INSERT INTO stock_documents (id, kind, reason, location_id, user_id, approver_id, note,
                    created_at) VALUES ('bench-opening', 'opening', 'opening', ?, NULL, NULL, 'bench', ?)""",
                 (floor, at))
    conn.execute("""INSERT INTO stock_movements (id, product_id, location_id, batch_id, qty_milli, reason, doc_type,
                        doc_id, till_id, user_id, unit_cost_minor, created_at)
        SELECT 'o' || substr(id, 2), id, ?, NULL, 1000 * (20 + k % 200), 'opening', 'opening', 'bench-opening', ?,
               NULL, cost, ? FROM sold""", (floor, till_id, at))
    conn.execute("""INSERT INTO stock_movements (id, product_id, location_id, batch_id, qty_milli, reason, doc_type,
                        doc_id, till_id, user_id, unit_cost_minor, created_at)
        SELECT printf('m%s-%d', substr(s.id, 2), l.line_no), l.product_id, ?, NULL, -l.qty_milli, 'sale', 'sale',
               s.id, ?, s.user_id, l.unit_cost_minor, s.created_at
        FROM sale_lines l JOIN sales s ON s.id = l.sale_id""", (floor, till_id))
    conn.execute("""INSERT INTO stock_documents (id, kind, reason, location_id, user_id, approver_id, note, created_at)
        SELECT 'adj-' || k, 'adjustment', CASE k % 3 WHEN 0 THEN 'damaged' WHEN 1 THEN 'lost' ELSE 'found' END, ?,
               NULL, NULL, NULL, date(?, '-' || (k % 30) || ' days') || 'T20:00:00+08:00'
        FROM sold WHERE k % 100 = 7""", (floor, LAST_DAY.isoformat()))
    conn.execute("""INSERT INTO stock_movements (id, product_id, location_id, batch_id, qty_milli, reason, doc_type,
                        doc_id, till_id, user_id, unit_cost_minor, created_at)
        SELECT 'a' || d.id, s.id, ?, NULL, CASE d.reason WHEN 'found' THEN 1000 ELSE -2000 END, d.reason,
               'adjustment', d.id, ?, NULL, s.cost, d.created_at
        FROM stock_documents d JOIN sold s ON 'adj-' || s.k = d.id""", (floor, till_id))
    conn.execute("""INSERT INTO stock_levels (product_id, location_id, batch_key, qty_milli)
                    SELECT product_id, location_id, '', sum(qty_milli) FROM stock_movements
                    GROUP BY product_id, location_id""")
    last = conn.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    conn.execute(f"""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {YEARS_DAYS * 3})
        INSERT INTO journal (seq, kind, doc_id, entry, prev_hash, hash)
        SELECT {last[0]} + i, 'no_sale', {_uuid('d0000000')},
               json_object('seq', {last[0]} + i, 'kind', 'no_sale', 'at',
                           date(?, '+' || (i / 3) || ' days') || 'T12:00:00+08:00', 'till', 'T01',
                           'user', printf('cashier%d', 1 + i % {CASHIERS}), 'approver', NULL,
                           'payload', json_object('reason', 'change')), ?, ?
        FROM n""", (( LAST_DAY - timedelta(days=YEARS_DAYS - 1)).isoformat(), last[1], last[1]))


def median_of(fn: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    fn()                                                      # warm the page cache
    times, result = [], None
    for _run in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales-per-day", type=int, default=5000)
    parser.add_argument("--keep", help="build the history in this folder and keep it")
    parser.add_argument("--reuse", help="measure a history kept earlier with --keep")
    args = parser.parse_args()
    if args.reuse:
        folder = Path(args.reuse)
    else:
        folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pos-bench-reports-")) / "till"
        start = time.perf_counter()
        counts = build(folder, args.sales_per_day)
        print(f"built in {time.perf_counter() - start:.0f} s: {counts}")
    try:
        for row in measure(folder):
            print(row)
    finally:
        if not args.keep and not args.reuse:
            shutil.rmtree(folder.parent, ignore_errors=True)


MONTH = (LAST_DAY - timedelta(days=LINE_DAYS - 1), LAST_DAY)
YEAR = (LAST_DAY - timedelta(days=364), LAST_DAY)
TWO_YEARS = (LAST_DAY - timedelta(days=729), LAST_DAY)
MARGIN_BASE = """SELECT l.product_id, sum(l.qty_milli), sum(l.gross_minor),
       sum(l.promo_discount_minor + l.line_discount_minor + l.cart_share_minor), sum(l.net_minor),
       sum(l.tax_minor), sum((l.unit_cost_minor * l.qty_milli + 500) / 1000), count(*)
FROM sales s CROSS JOIN sale_lines l ON l.sale_id = s.id WHERE s.business_date BETWEEN ? AND ?
GROUP BY l.product_id"""
TREND_BASE = """SELECT business_date, count(*), sum(subtotal_minor), sum(discount_minor), sum(tax_minor)
FROM sales WHERE business_date BETWEEN ? AND ? GROUP BY business_date"""
HOURLY_BASE = """SELECT business_date, substr(created_at, 12, 2), count(*), sum(subtotal_minor - discount_minor)
FROM sales WHERE business_date BETWEEN ? AND ? GROUP BY 1, 2"""
BASKETS_BASE = """SELECT s.business_date, count(DISTINCT s.id), count(*), sum(l.qty_milli)
FROM sales s CROSS JOIN sale_lines l ON l.sale_id = s.id WHERE s.business_date BETWEEN ? AND ? GROUP BY 1"""
CASHIERS_BASE = """SELECT user_id, count(*), sum(subtotal_minor), sum(discount_minor) FROM sales
WHERE business_date BETWEEN ? AND ? GROUP BY user_id"""
TURNOVER_BASE = """SELECT product_id, sum(qty_milli) FROM stock_movements NOT INDEXED WHERE created_at >= ?
GROUP BY product_id"""
SHRINK_BASE = """SELECT product_id, reason, sum(qty_milli) FROM stock_movements
WHERE created_at >= ? AND substr(created_at, 1, 10) <= ?
  AND ((doc_type = 'adjustment' AND reason IN ('damaged', 'lost', 'found', 'correction'))
       OR reason IN ('count', 'transfer_short')) GROUP BY 1, 2"""


def _plain(folder: Path, statement: str, *params: Any) -> Callable[[], Any]:
    conn = sqlite3.connect(folder / "pos.db")
    return lambda: conn.execute(statement, params).fetchall()


def measure(folder: Path) -> list[str]:
    """Each report (median of three after a warm-up) beside its plain aggregate; a markdown table."""
    from pos_desktop.services.reports import (baskets, cashiers, hourly, inventory, margin, sale_buckets,
                                              sellers, shrinkage, trends)

    ctx = till.open_till(folder, FixedClock(AS_OF), check=False)
    s_conn = sqlite3.connect(folder / "pos.db")
    lines = s_conn.execute("""SELECT count(*) FROM sales s CROSS JOIN sale_lines l ON l.sale_id = s.id
                              WHERE s.business_date BETWEEN ? AND ?""", [d.isoformat() for d in MONTH]).fetchone()[0]
    sales_2y = s_conn.execute("SELECT count(*) FROM sales WHERE business_date BETWEEN ? AND ?",
                              [d.isoformat() for d in TWO_YEARS]).fetchone()[0]
    s_conn.close()
    month = [d.isoformat() for d in MONTH]
    cache = sale_buckets.cache_path(ctx)
    cache.unlink(missing_ok=True)
    start = time.perf_counter()
    trends.sales_trend(ctx, *YEAR, by="day")
    cold = time.perf_counter() - start
    start = time.perf_counter()
    margin.margin_report(ctx, *MONTH)
    cold_margin = time.perf_counter() - start
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any], float | None]] = [
        (f"margin, a month by product ({lines:,} sale lines)", lambda: margin.margin_report(ctx, *MONTH),
         _plain(folder, MARGIN_BASE, *month), MARGIN_TARGET_S),
        ("margin, a month by category", lambda: margin.margin_report(ctx, *MONTH, by="category"),
         _plain(folder, MARGIN_BASE, *month), MARGIN_TARGET_S),
        (f"trend, a year by day + the year before ({sales_2y:,} sales)",
         lambda: trends.sales_trend(ctx, *YEAR, by="day"),
         _plain(folder, TREND_BASE, *[d.isoformat() for d in TWO_YEARS]), TREND_TARGET_S),
        ("trend, a year by month + the year before", lambda: trends.sales_trend(ctx, *YEAR, by="month"),
         _plain(folder, TREND_BASE, *[d.isoformat() for d in TWO_YEARS]), TREND_TARGET_S),
        ("hourly heat map, a month", lambda: hourly.hourly_heatmap(ctx, *MONTH), _plain(folder, HOURLY_BASE, *month),
         None),
        ("baskets, a month by day", lambda: baskets.basket_report(ctx, *MONTH), _plain(folder, BASKETS_BASE, *month),
         None),
        ("best sellers, a month", lambda: sellers.sellers_report(ctx, *MONTH), _plain(folder, MARGIN_BASE, *month),
         None),
        ("cashier figures, a month", lambda: cashiers.cashier_report(ctx, *MONTH),
         _plain(folder, CASHIERS_BASE, *month), None),
        ("turnover, a month by product", lambda: inventory.turnover_report(ctx, *MONTH),
         _plain(folder, TURNOVER_BASE, month[0]), None),
        ("shrinkage, a month by category", lambda: shrinkage.shrinkage_report(ctx, *MONTH),
         _plain(folder, SHRINK_BASE, *month), None),
    ]
    out = ["| report | ours | baseline (plain SQL) | ratio | target | |", "|---|---:|---:|---:|---:|---|",
           f"| trend, a year by day, first run (builds the sale-totals cache from {sales_2y:,} sales) "
           f"| {cold * 1000:.0f} ms | | | | |",
           f"| margin, a month by product, first run (builds the sale-line totals from {lines:,} lines) "
           f"| {cold_margin * 1000:.0f} ms | | | | |"]
    for name, ours, base, target in cases:
        t_ours, _report = median_of(ours)
        t_base, _rows = median_of(base)
        verdict = "" if target is None else ("met" if t_ours <= target else "**missed**")
        out.append(f"| {name} | {t_ours * 1000:.0f} ms | {t_base * 1000:.0f} ms | {t_ours / t_base:.2f} "
                   f"| {'' if target is None else f'≤ {target:.0f} s'} | {verdict} |")
    ctx.close()
    out.append(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return out


if __name__ == "__main__":
    main()
