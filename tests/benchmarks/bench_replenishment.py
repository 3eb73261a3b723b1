"""Replenishment speed: suggestions for 100,000 products over 90 days of sales history (target ≤ 10 s).

Run on demand (not collected by pytest):
    .venv/bin/python -m tests.benchmarks.bench_replenishment [--products 100000] [--days 90] [--keep DIR]

The history is built with bulk SQL in a temporary database migrated to head (ids as long as real uuids):
100,000 active products of 200
suppliers (lead times 1–10 days, pack sizes 1/6/12/24, a contract price and a minimum order value each), stock
at FLOOR and BACK, some open purchase orders, and sale movements out of FLOOR for every day of the window:
each product has 1–4 "slots" a day, each sold with its own probability, 1–3 units a line (most products slow,
a few fast; about 0.6 movement per product and day, ~5.5 million movements at the defaults).

Measured in the same run, each the median of three after one warm-up:
- ours: ``replenishment.suggest`` — everything the manager gets: EWMA velocity and σ per product, on hand, on
  order, reorder points, pack and minimum-order rounding, reasons in words, grouped per supplier; and the same
  turned into the ``pos po suggest --json`` document;
- baseline: the plain SQL aggregate of the same daily sales (``GROUP BY product, day`` over the sale
  movements), fetched into Python — what any velocity would read without the ``sales_daily`` cache.
- the price of that cache: 20 sale movements inserted in one transaction (a 20-line sale's ledger rows) with
  the ``sales_daily`` trigger, vs the same without it (a fresh small till, synchronous=OFF so that the fsync of
  the commit does not hide the difference).
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pos_desktop.core.clock import FixedClock
from pos_desktop.services import replenishment, till
from pos_desktop.store import search_index

TZ = timezone(timedelta(hours=8))
AS_OF = datetime(2026, 11, 20, 9, 0, tzinfo=TZ)
TARGET_S = 10.0
SUPPLIERS = 200

BASELINE_SQL = """SELECT product_id, substr(created_at, 1, 10) AS day, -sum(qty_milli) FROM stock_movements
WHERE location_id = ? AND reason IN ('sale', 'void') AND created_at >= ? AND created_at < ?
GROUP BY product_id, day"""


def build(folder: Path, products: int, days: int) -> dict[str, int]:
    """A migrated till with the history above; returns row counts."""
    ctx = till.init_till(folder, store_code="S01", store_name="Bench", till_code="T01", admin_user="admin",
                         admin_pin="1234", clock=FixedClock(AS_OF - timedelta(days=days + 1)))
    floor, till_id = ctx.till.floor_location_id, ctx.till.till_id
    ctx.close()
    conn = sqlite3.connect(folder / "pos.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-800000")
    search_index.drop_triggers(conn.execute)
    back = conn.execute("SELECT id FROM locations WHERE code = 'BACK'").fetchone()[0]
    admin = conn.execute("SELECT id FROM users").fetchone()[0]
    at = (AS_OF - timedelta(days=days + 1)).isoformat()
    conn.execute("BEGIN")
    conn.execute(f"""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {SUPPLIERS})
        INSERT INTO suppliers (id, code, name, contact, phone, lead_time_days)
        SELECT printf('%08x-0000-4000-9000-%012x', i, i), printf('SUP%04d', i), printf('Supplier %d', i), NULL,
               NULL, 1 + i % 10 FROM n""")
    conn.execute("""INSERT INTO supplier_terms (supplier_id, min_order_minor, payment_days, updated_at)
                    SELECT id, 50000 * (1 + abs(random()) % 4), 30, ? FROM suppliers""", (at,))
    conn.execute(f"""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {products})
        INSERT INTO products (id, sku, name, unit, category_id, supplier_id, tax_rate_bp, cost_minor,
                              reorder_point_milli, reorder_qty_milli, track_batches, track_expiry, is_weighed, plu,
                              template_id, attributes, search_key, active, created_at, updated_at)
        SELECT printf('%08x-0000-4000-8000-%012x', i, i), printf('SKU%08d', i), printf('Product %d', i), 'pcs',
               NULL, printf('%08x-0000-4000-9000-%012x', 1 + i % {SUPPLIERS}, 1 + i % {SUPPLIERS}), 1300,
               100 + abs(random()) % 5000, NULL, NULL, 0, 0, 0, NULL, NULL, NULL, NULL, 1, '{at}', '{at}' FROM n""")
    conn.execute("""INSERT INTO supplier_items (supplier_id, product_id, pack_qty_milli, supplier_sku)
                    SELECT supplier_id, id, 1000 * (CASE abs(random()) % 4 WHEN 0 THEN 1 WHEN 1 THEN 6
                                                   WHEN 2 THEN 12 ELSE 24 END), NULL FROM products""")
    conn.execute("""INSERT INTO supplier_prices (id, supplier_id, product_id, price_minor, valid_from, valid_to,
                                                 created_at)
                    SELECT 'c' || id, supplier_id, id, cost_minor, '2026-01-01', NULL, ? FROM products""", (at,))
    # sale rates: most products slow, a few fast (slots a day × probability per slot, per mille)
    conn.execute("CREATE TEMP TABLE rates (product_id TEXT PRIMARY KEY, cost INTEGER, slots INTEGER, p INTEGER)")
    conn.execute("""INSERT INTO rates SELECT id, cost_minor,
                        CASE WHEN abs(random()) % 20 = 0 THEN 4 WHEN abs(random()) % 4 = 0 THEN 2 ELSE 1 END,
                        20 + abs(random()) % 600 FROM products ORDER BY id""")
    conn.execute("INSERT INTO stock_documents (id, kind, reason, location_id, user_id, approver_id, note, "
                 "created_at) VALUES ('bench-opening', 'opening', 'opening', ?, ?, NULL, 'bench', ?)",
                 (floor, admin, at))
    for location, share in ((floor, 1), (back, 2)):
        conn.execute("""INSERT INTO stock_movements (id, product_id, location_id, batch_id, qty_milli, reason,
                                                     doc_type, doc_id, till_id, user_id, unit_cost_minor, created_at)
                        SELECT ? || product_id, product_id, ?, NULL, 1000 * (abs(random()) % (40 * ?)), 'opening',
                               'opening', 'bench-opening', ?, ?, cost, ? FROM rates""",
                     (f"o{share}-", location, share, till_id, admin, at))
    day_sql = """INSERT INTO stock_movements (id, product_id, location_id, batch_id, qty_milli, reason, doc_type,
                                              doc_id, till_id, user_id, unit_cost_minor, created_at)
                 SELECT printf('%s-%s-%d', ?, r.product_id, s.s), r.product_id, ?, NULL,
                        -1000 * (1 + abs(random()) % 3), 'sale', 'sale', ?, ?, ?, r.cost,
                        ? || printf('T%02d:%02d:00+08:00', 8 + s.s * 3, abs(random()) % 60)
                 FROM rates r JOIN (SELECT 0 AS s UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) s
                   ON s.s < r.slots
                 WHERE abs(random()) % 1000 < r.p"""
    for age in range(days, 0, -1):
        day = (AS_OF.date() - timedelta(days=age)).isoformat()
        conn.execute(day_sql, (day, floor, f"bench-sales-{day}", till_id, admin, day))
    conn.execute("""INSERT INTO stock_levels (product_id, location_id, batch_key, qty_milli)
                    SELECT product_id, location_id, '', sum(qty_milli) FROM stock_movements
                    GROUP BY product_id, location_id""")
    _open_orders(conn, back, admin, at)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode=WAL")
    counts = {name: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for name, table in (("products", "products"), ("movements", "stock_movements"),
                                  ("order lines", "purchase_order_lines"))}
    conn.close()
    return counts


def _open_orders(conn: sqlite3.Connection, location: str, user: str, at: str) -> None:
    """One sent order per supplier for 1 % of its products, so "on order" has something to add up."""
    conn.execute("""INSERT INTO purchase_orders (id, po_no, supplier_id, location_id, status, source, note,
                                                 created_by, created_at, sent_at, expected_date, closed_at,
                                                 close_reason)
                    SELECT 'o' || id, 'PO-BENCH-' || code, id, ?, 'sent', 'manual', NULL, ?, ?, ?, NULL, NULL, NULL
                    FROM suppliers""", (location, user, at, at))
    conn.execute("""INSERT INTO purchase_order_lines (po_id, line_no, product_id, qty_milli, price_minor,
                                                      pack_qty_milli)
                    SELECT 'o' || supplier_id, row_number() OVER (PARTITION BY supplier_id ORDER BY id), id, 24000,
                           cost_minor, 1000 FROM products WHERE abs(random()) % 100 = 0""")


def median_of(fn, runs: int = 3) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    fn()                                                      # warm the page cache
    times, result = [], None
    for _run in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def measure(folder: Path, days: int) -> list[tuple[str, ...]]:
    ctx = till.open_till(folder, FixedClock(AS_OF), check=False)
    policy = replenishment.Policy(window_days=days)
    try:
        ours, groups = median_of(lambda: replenishment.suggest(ctx, policy))
        as_json, _doc = median_of(lambda: json.dumps([g.to_json(ctx.places) for g in
                                                      replenishment.suggest(ctx, policy)], ensure_ascii=False))
    finally:
        ctx.close()
    conn = sqlite3.connect(folder / "pos.db")
    floor = conn.execute("SELECT id FROM locations WHERE code = 'FLOOR'").fetchone()[0]
    start = (AS_OF.date() - timedelta(days=days)).isoformat()
    base, daily = median_of(lambda: conn.execute(BASELINE_SQL, (floor, start, AS_OF.date().isoformat())).fetchall())
    conn.close()
    lines = sum(len(g.lines) for g in groups)  # type: ignore[union-attr]
    verdict = "ok" if ours <= TARGET_S else "OVER TARGET"
    return [("suggestions", f"{ours:.2f} s", f"{base:.2f} s", f"{ours / base:.2f}×",
             f"{len(groups)} suppliers, {lines:,} lines; target ≤ {TARGET_S:.0f} s: {verdict}"),  # type: ignore[arg-type]
            ("suggestions as `pos po suggest --json`", f"{as_json:.2f} s", f"{base:.2f} s", f"{as_json / base:.2f}×",
             "suggest + to_json + json.dumps"),
            ("daily sales aggregate (baseline)", "", f"{base:.2f} s", "1.00×", f"{len(daily):,} product-days")]  # type: ignore[arg-type]


def measure_trigger(transactions: int = 300) -> tuple[str, ...]:
    """µs per 20-movement transaction with the sales_daily trigger and without it."""
    folder = Path(tempfile.mkdtemp(prefix="pos-bench-trigger-")) / "till"
    try:
        ctx = till.init_till(folder, store_code="S01", store_name="Bench", till_code="T01", admin_user="admin",
                             admin_pin="1234")
        floor = ctx.till.floor_location_id
        ctx.close()
        conn = sqlite3.connect(folder / "pos.db", isolation_level=None)
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA foreign_keys=OFF")
        trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'stock_movements_sales_daily'").fetchone()[0]
        counter = iter(range(10**9))

        def sale() -> None:
            n = next(counter)
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT INTO stock_movements (id, product_id, location_id, batch_id, qty_milli, reason, "
                             "doc_type, doc_id, till_id, user_id, unit_cost_minor, created_at) VALUES "
                             "(?, ?, ?, NULL, -1000, 'sale', 'sale', ?, NULL, NULL, 100, ?)",
                             [(f"m{n}-{i}", f"p{(n * 20 + i) % 5000:05d}", floor, f"d{n}",
                               f"2026-11-{1 + n % 28:02d}T10:00:00+08:00") for i in range(20)])
            conn.execute("COMMIT")

        def per_sale() -> float:
            start = time.perf_counter()
            for _i in range(transactions):
                sale()
            return (time.perf_counter() - start) / transactions * 1e6

        per_sale()
        with_trigger = statistics.median(per_sale() for _r in range(3))
        conn.execute("DROP TRIGGER stock_movements_sales_daily")
        without = statistics.median(per_sale() for _r in range(3))
        conn.execute(trigger)
        conn.close()
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    return ("20 sale movements, one transaction", f"{with_trigger:.0f} µs", f"{without:.0f} µs",
            f"{with_trigger / without:.2f}×", "with the sales_daily trigger vs without (synchronous=OFF)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the database in this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="pos-bench-replenishment-")) / "till"
    try:
        if not (folder / "pos.db").exists():
            began = time.perf_counter()
            counts = build(folder, args.products, args.days)
            print(f"built in {time.perf_counter() - began:.1f} s: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        size = (folder / "pos.db").stat().st_size / 1e6
        print(f"\nReplenishment, {args.products:,} products × {args.days} days (database {size:,.0f} MB)\n")
        print("| what | ours | baseline | ratio | note |\n|---|---|---|---|---|")
        for row in [*measure(folder, args.days), measure_trigger()]:
            print("| " + " | ".join(row) + " |")
    finally:
        if args.keep is None:
            shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
