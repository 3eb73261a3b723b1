"""Back-office speed on the 1,000,000-product demo till (20,000 products on the shelves): a full stock count of
20,000 lines (variance report + posting), and the stock alerts.

Run on demand (not collected by pytest):
    .venv/bin/python -m tests.benchmarks.bench_backoffice [--big DIR] [--keep DIR]
``--big`` names a ``pos demo --products 1000000 --days 30`` data folder (default: the one bench_foundation
builds in the temp folder, built here if missing). It is copied first and never changed; the copy is upgraded
to the current schema and gets reorder points on its stocked products (so that low-stock alerts have work).

Every figure has a baseline measured in the same run, on the same copy:
- alerts: ``compute_alerts`` (all five kinds) vs one plain-sqlite3 pass over the cached levels
  (``SELECT product_id, location_id, sum(qty_milli) FROM stock_levels GROUP BY 1, 2``);
- count finish (the variance report): ``finish_count`` vs a plain-sqlite3 read of the same join
  (count lines × products × categories) — the report has to read at least that;
- count approval (the posting): ``approve_count`` vs a plain-sqlite3 BEGIN IMMEDIATE transaction with the same
  PRAGMAs inserting as many movement rows as the approval posted, upserting the levels and committing;
- recording: the 20,000 entries uploaded as one ``record_counts`` call, vs plain inserts of as many rows.
Targets (issue 6): finish + approval of 20,000 lines ≤ 5 s; alerts ≤ 1 s.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from decimal import Decimal as D
from pathlib import Path

from pos_desktop.core.clock import FixedClock
from pos_desktop.services import alerts, auth, counts, till
from pos_desktop.services.demo import build_demo
from pos_desktop.store import migrate
from pos_desktop.store.db import Database

BIG = Path(tempfile.gettempdir()) / "pos-bench-1m"


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def prepare(source: Path, target: Path) -> None:
    """Copy the demo till, upgrade the copy (no backup: it is a copy), give stocked products reorder points."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("backups", "logs"))
    db = Database(target / "pos.db")
    migrate.upgrade(db, None, datetime.now().astimezone())
    db.close()
    conn = sqlite3.connect(target / "pos.db", isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("UPDATE products SET reorder_point_milli = (SELECT sum(qty_milli) FROM stock_levels sl "
                 "WHERE sl.product_id = products.id) * (abs(random()) % 100 + 50) / 100 WHERE id IN "
                 "(SELECT DISTINCT product_id FROM stock_levels)")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def bench_alerts(ctx, db_path: Path) -> list[tuple]:  # type: ignore[no-untyped-def]
    alerts.compute_alerts(ctx)       # warm the page cache the same way for both
    ours = [timed(alerts.compute_alerts, ctx) for _ in range(5)]
    found = ours[-1][1]
    kinds = {k: sum(1 for a in found if a.kind == k) for k in alerts.KINDS}
    conn = sqlite3.connect(db_path)
    base = []
    for _ in range(5):
        start = time.perf_counter()
        conn.execute("SELECT product_id, location_id, sum(qty_milli) FROM stock_levels GROUP BY 1, 2").fetchall()
        base.append(time.perf_counter() - start)
    conn.close()
    m, b = statistics.median(t for t, _r in ours), statistics.median(base)
    per_kind = ", ".join(f"{k} {n}" for k, n in kinds.items())
    return [("alerts (all five kinds)", f"{m * 1000:.0f} ms", f"{b * 1000:.0f} ms", f"{m / b:.1f}×",
             f"{len(found)} alerts: {per_kind}; target ≤ 1,000 ms")]


def bench_count(ctx, db_path: Path, share_off: float, label: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    clerk = auth.login(ctx, "manager", "2222")
    rng = random.Random(7)
    count = counts.start_count(ctx, clerk, location="FLOOR")
    conn = sqlite3.connect(db_path)
    expected = conn.execute("SELECT p.sku, cl.expected_milli FROM count_lines cl JOIN products p ON "
                            "p.id = cl.product_id WHERE cl.count_id = ?", (count.id,)).fetchall()
    conn.close()
    entries = []
    for sku, qty in expected:
        counted = max(qty, 0) // 1000
        if rng.random() < share_off:
            counted = max(counted + rng.choice((-3, -2, -1, 1, 2)), 0)
        entries.append(counts.CountInput(sku=sku, qty=D(counted)))
    record_time, _done = timed(counts.record_counts, ctx, clerk, count.id, entries)
    record_base = _raw_inserts(db_path, len(entries), movements=False)
    finish_time, report = timed(counts.finish_count, ctx, clerk, count.id)
    finish_base = _raw_report(db_path, count.id)
    approve_time, posting = timed(counts.approve_count, ctx, clerk, count.id)
    approve_base = _raw_inserts(db_path, posting.movements, movements=True)
    lines = len(report.lines)
    total = finish_time + approve_time
    return [
        (f"count of {lines:,} lines ({label}): record as one upload", f"{record_time * 1000:.0f} ms",
         f"{record_base * 1000:.0f} ms", f"{record_time / record_base:.0f}×",
         "baseline: plain inserts of as many entry rows, one transaction"),
        (f"count of {lines:,} lines ({label}): finish (variance report)", f"{finish_time * 1000:.0f} ms",
         f"{finish_base * 1000:.0f} ms", f"{finish_time / finish_base:.1f}×",
         "baseline: plain read of the lines joined to products and categories"),
        (f"count of {lines:,} lines ({label}): approve (posting)", f"{approve_time * 1000:.0f} ms",
         f"{approve_base * 1000:.0f} ms", f"{approve_time / approve_base:.1f}×",
         f"{posting.movements:,} movements, journal, {-(-lines // counts.EVENT_LINES)} outbox events; baseline: "
         "plain BEGIN IMMEDIATE + as many movement rows + level upserts + COMMIT"),
        (f"count of {lines:,} lines ({label}): finish + approve", f"{total * 1000:.0f} ms",
         f"{(finish_base + approve_base) * 1000:.0f} ms", f"{total / (finish_base + approve_base):.1f}×",
         "target ≤ 5,000 ms"),
    ]


def _raw_report(db_path: Path, count_id: str) -> float:
    conn = sqlite3.connect(db_path)
    start = time.perf_counter()
    conn.execute("SELECT cl.product_id, p.sku, p.name, c.name, cl.expected_milli, cl.counted_milli, "
                 "cl.unit_cost_minor FROM count_lines cl JOIN products p ON p.id = cl.product_id LEFT JOIN "
                 "categories c ON c.id = p.category_id WHERE cl.count_id = ? ORDER BY p.sku", (count_id,)).fetchall()
    took = time.perf_counter() - start
    conn.close()
    return took


def _raw_inserts(db_path: Path, n: int, movements: bool) -> float:
    """A plain-sqlite3 write transaction of ``n`` rows with the till's PRAGMAs, rolled back into a scratch table
    so the benchmark database is left as the services made it."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS bench_rows (id TEXT PRIMARY KEY, product_id TEXT, location_id TEXT, "
                 "batch_id TEXT, qty_milli INTEGER, reason TEXT, doc_type TEXT, doc_id TEXT, till_id TEXT, "
                 "user_id TEXT, unit_cost_minor INTEGER, created_at TEXT)")
    conn.execute("CREATE TABLE IF NOT EXISTS bench_levels (product_id TEXT, location_id TEXT, batch_key TEXT, "
                 "qty_milli INTEGER, PRIMARY KEY (product_id, location_id, batch_key))")
    rows = [(f"row-{i}-{random.random()}", f"p{i}", "loc", None, -1000, "count", "count", "doc", "till", "user",
             100, "2026-11-27T10:00:00+08:00") for i in range(n)]
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO bench_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    if movements:
        conn.executemany("INSERT INTO bench_levels VALUES (?, ?, '', ?) ON CONFLICT DO UPDATE SET "
                         "qty_milli = qty_milli + excluded.qty_milli", [(r[1], r[2], r[4]) for r in rows])
    conn.execute("COMMIT")
    took = time.perf_counter() - start
    conn.execute("DROP TABLE bench_rows")
    conn.execute("DROP TABLE bench_levels")
    conn.close()
    return max(took, 1e-6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", type=Path, default=BIG, help="a 1,000,000-product demo till (built if missing)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp folder)")
    args = parser.parse_args()
    if not (args.big / "pos.db").exists():
        build_demo(args.big, products=1_000_000, days=30)
    with tempfile.TemporaryDirectory(dir=args.keep.parent if args.keep else None) as tmp:
        work = args.keep or Path(tmp) / "till"
        prepare(args.big, work)
        ctx = till.open_till(work, FixedClock(datetime.now().astimezone() + timedelta(hours=1)))
        try:
            with ctx.db.read() as session:
                stocked = session.connection().exec_driver_sql(
                    "SELECT count(DISTINCT product_id) FROM stock_levels").scalar()
            rows = bench_alerts(ctx, work / "pos.db")
            ctx.settings["dead_stock_days"] = 7      # the demo's 30 days of history: make dead stock show up
            rows += [(what.replace("all five kinds", "all five kinds, dead stock after 7 days"), *rest)
                     for what, *rest in bench_alerts(ctx, work / "pos.db")]
            ctx.settings.pop("dead_stock_days")
            rows += bench_count(ctx, work / "pos.db", 0.05, "5 % of lines off")
            rows += bench_count(ctx, work / "pos.db", 1.0, "every line off")
        finally:
            ctx.close()
    print(f"1,000,000-product catalog, {stocked:,} products in stock\n")
    print("| what | ours | baseline | ratio | note |\n|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
