"""Foundation speed: scan to cart line, a 20-line sale, opening a big till, and the demo generator.

Run on demand (not collected by pytest):
    .venv/bin/python -m tests.benchmarks.bench_foundation [--big DIR] [--build-big] [--demo]
Every figure is a ratio against a baseline measured in the same run:
- scan: our lookup_scan + cart line + promotion evaluation, vs a raw sqlite3 indexed SELECT of the barcode
  (and vs a raw SELECT of the same joined product + price data);
- sale: complete_sale of 20 lines and two payments (rows, movements, levels, journal, outbox, durable commit)
  vs a raw sqlite3 BEGIN IMMEDIATE transaction inserting the same number of rows with the same PRAGMAs;
- open: open_till + the first scan on the big database, in a fresh process (imports included);
- demo: `pos demo --products 1000000 --days 30`, with --demo (about a minute).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal as D
from pathlib import Path

from pos_desktop.core.cart import Cart
from pos_desktop.core.clock import utc_text
from pos_desktop.core.promotions import best_offer
from pos_desktop.services import auth, catalog, checkout, till
from pos_desktop.services.checkout import Tender
from pos_desktop.services.demo import build_demo
from pos_desktop.services.demo_catalog import ean13

BIG = Path(tempfile.gettempdir()) / "pos-bench-1m"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * p) - 1)]


def timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter_ns()
    fn(*args)
    return (time.perf_counter_ns() - start) / 1000  # µs


def bench_scan(folder: Path, n: int = 3000) -> list[tuple]:
    ctx = till.open_till(folder)
    conn = sqlite3.connect(folder / "pos.db")
    conn.execute("PRAGMA mmap_size=2147483648")
    conn.execute("PRAGMA cache_size=-65536")
    codes = [r[0] for r in conn.execute("SELECT code FROM barcodes WHERE rowid % 331 = 0 LIMIT ?", (n,))]
    random.Random(7).shuffle(codes)
    at = utc_text(ctx.clock.now())

    def raw(code: str) -> None:
        conn.execute("SELECT product_id, pack_qty_milli FROM barcodes WHERE code = ?", (code,)).fetchone()

    def raw_joined(code: str) -> None:
        ctx.products.by_barcode(code, at)

    def ours(code: str) -> None:
        found = catalog.lookup_scan(ctx, code)
        line = Cart().add(found.product, found.qty, barcode=found.barcode)
        best_offer(product_id=found.product.id, category_id=found.product.category_id, unit_price=line.unit_price,
                   qty=line.qty, gross=line.unit_price * line.qty, member_price=found.product.member_price,
                   is_member=False, at=ctx.clock.now(), promotions=ctx.promotions())

    runs = {"raw": raw, "raw_joined": raw_joined, "ours": ours}
    for fn in runs.values():  # warm the page cache the same way for all three
        for code in codes:
            fn(code)
    times: dict[str, list[float]] = {name: [] for name in runs}
    for code in codes:
        for name, fn in runs.items():
            times[name].append(timed(fn, code))
    ctx.close()
    base, joined, ours_t = (statistics.median(times[k]) for k in ("raw", "raw_joined", "ours"))
    return [("scan → cart line, median", f"{ours_t:.1f} µs", f"{base:.1f} µs", f"{ours_t / base:.1f}×",
             f"vs joined SELECT {joined:.1f} µs: {ours_t / joined:.1f}×"),
            ("scan → cart line, p99", f"{pct(times['ours'], 0.99):.1f} µs", f"{pct(times['raw'], 0.99):.1f} µs",
             f"{pct(times['ours'], 0.99) / pct(times['raw'], 0.99):.1f}×", "target p99 ≤ 2,000 µs")]


def _small_till(folder: Path) -> None:
    build_demo(folder, products=300, days=0)


def bench_sale(folder: Path, n: int = 150) -> list[tuple]:
    _small_till(folder)
    ctx = till.open_till(folder)
    cashier = auth.login(ctx, "cashier", "1111")
    found = [catalog.lookup_scan(ctx, ean13(i)) for i in range(1, 400) if _known(ctx, ean13(i))][:20]
    ours = []
    for _ in range(n):
        cart = Cart()
        for item in found:
            cart.add(item.product, item.qty)
        total = cart.price(at=ctx.clock.now()).cart.total
        half = (total / 2).quantize(D("0.01"))
        ours.append(timed(checkout.complete_sale, ctx, cart, [Tender("card", half), Tender("cash", total - half)],
                          cashier))
    ctx.close()
    base = _raw_same_rows(folder / "pos.db", n)
    m, b = statistics.median(ours), statistics.median(base)
    return [("20-line sale, 2 payments, median", f"{m / 1000:.2f} ms", f"{b / 1000:.2f} ms", f"{m / b:.1f}×",
             "baseline: plain sqlite3 writing the same rows to the same tables; target ≤ 3×")]


def _known(ctx, code: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        catalog.lookup_scan(ctx, code)
        return True
    except Exception:
        return False


def _raw_same_rows(path: Path, n: int) -> list[float]:
    """The baseline: the rows of the last sale written again by plain sqlite3 (new ids), same tables, same
    indexes, same PRAGMAs, one BEGIN IMMEDIATE transaction each — everything but our Python."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
        conn.execute(f"PRAGMA {pragma}")
    sale_id = conn.execute("SELECT id FROM sales ORDER BY receipt_no DESC LIMIT 1").fetchone()[0]
    tables = {name: (cols, conn.execute(f"SELECT * FROM {name} WHERE {key} = ?", (sale_id,)).fetchall())
              for name, key in (("sale_lines", "sale_id"), ("payments", "sale_id"), ("stock_movements", "doc_id"))
              for cols in [[c[1] for c in conn.execute(f"PRAGMA table_info({name})")]]}
    sale = conn.execute("SELECT * FROM sales WHERE id = ?", (sale_id,)).fetchone()
    journal = conn.execute("SELECT * FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    outbox = conn.execute("SELECT * FROM outbox ORDER BY till_seq DESC LIMIT 1").fetchone()
    moves = tables["stock_movements"][1]
    out = []
    for i in range(n):
        new_sale = f"bench-{i:08d}-0000-0000-000000000000"
        start = time.perf_counter_ns()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE counters SET value = value + 1 WHERE name = 'receipt'")
        conn.execute(f"INSERT INTO sales VALUES ({', '.join('?' * len(sale))})",
                     (new_sale, f"BENCH-{i:06d}") + tuple(sale[2:]))
        for name, (cols, rows) in tables.items():
            fix = (lambda r: (new_sale,) + tuple(r[1:])) if name != "stock_movements" else \
                (lambda r: (f"{new_sale}-{r[0][:8]}",) + tuple(r[1:7]) + (new_sale,) + tuple(r[8:]))
            conn.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(cols))})", [fix(r) for r in rows])
        conn.executemany("INSERT INTO stock_levels (product_id, location_id, batch_key, qty_milli) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (product_id, location_id, batch_key) DO UPDATE SET qty_milli = qty_milli + "
                         "excluded.qty_milli", [(m[1], m[2], m[3] or "", m[4]) for m in moves])
        conn.execute("INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?)", (10**9 + i,) + tuple(journal[1:]))
        conn.execute(f"INSERT INTO outbox VALUES ({', '.join('?' * len(outbox))})",
                     (10**9 + i, f"bench-event-{i}") + tuple(outbox[2:]))
        conn.execute("COMMIT")
        out.append((time.perf_counter_ns() - start) / 1000)
    conn.close()
    return out


def bench_open(folder: Path) -> list[tuple]:
    code = ("import time; t = time.perf_counter(); from pathlib import Path; "
            "from pos_desktop.services import till, catalog; "
            f"ctx = till.open_till(Path({str(folder)!r})); catalog.lookup_scan(ctx, {ean13(1)!r}); "
            "print(time.perf_counter() - t)")
    interp = subprocess.run([sys.executable, "-c", "import time; t = time.perf_counter(); print(0)"],
                            capture_output=True, text=True, check=True)
    del interp
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(5)]
    base = [float(subprocess.run([sys.executable, "-c", "import time; t = time.perf_counter(); import sqlite3; "
                                  f"c = sqlite3.connect({str(folder / 'pos.db')!r}); "
                                  f"c.execute('SELECT * FROM barcodes WHERE code = ?', ({ean13(1)!r},)).fetchone(); "
                                  "print(time.perf_counter() - t)"], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(5)]
    m, b = statistics.median(runs), statistics.median(base)
    return [("open 1M-product till → first scan", f"{m * 1000:.0f} ms", f"{b * 1000:.1f} ms", f"{m / b:.0f}×",
             "fresh process, imports included; target ≤ 1,000 ms")]


def bench_demo(folder: Path) -> list[tuple]:
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pos_desktop", "--data-dir", str(folder), "demo", "--products",
                    "1000000", "--days", "30"], check=True, capture_output=True)
    took = time.perf_counter() - start
    base = _raw_catalog_load(folder / "pos.db", 1_000_000)
    return [("pos demo --products 1000000 --days 30", f"{took:.0f} s", f"{base:.0f} s", f"{took / base:.1f}×",
             "baseline: plain sqlite3 inserting 1M product rows into the same table; target ≤ 120 s")]


def _raw_catalog_load(source: Path, count: int) -> float:
    """Plain sqlite3 writing ``count`` rows into an empty copy of the products table (same indexes)."""
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "raw.db", isolation_level=None)
        schema = sqlite3.connect(source)
        for (ddl,) in schema.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'products' AND type IN ('table', 'index') AND sql IS NOT NULL"):
            conn.execute(ddl)
        schema.close()
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA foreign_keys=OFF")
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO products (id, sku, name, unit, tax_rate_bp, track_batches, track_expiry, "
                         "is_weighed, active, created_at, updated_at) VALUES (?, ?, ?, 'pcs', 1300, 0, 0, 0, 1, ?, ?)",
                         ((f"{i:08d}-0000-4000-8000-000000000000", f"P{i:07d}", f"商品 Product {i}",
                           "2026-11-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00") for i in range(count)))
        conn.execute("COMMIT")
        took = time.perf_counter() - start
        conn.close()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", type=Path, default=BIG, help="a 1,000,000-product demo till (built if missing)")
    parser.add_argument("--demo", action="store_true", help="also time (re)building the big demo")
    args = parser.parse_args()
    rows: list[tuple] = []
    if args.demo or not (args.big / "pos.db").exists():
        rows += bench_demo(args.big)
    with tempfile.TemporaryDirectory() as tmp:
        rows += bench_sale(Path(tmp) / "till")
    rows += bench_scan(args.big)
    rows += bench_open(args.big)
    print("| what | ours | baseline | ratio | note |\n|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
