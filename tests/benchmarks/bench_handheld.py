"""Handheld look-up speed on a 1,000,000-product catalog (target: ≤ 100 ms at the server).

Run on demand (not collected by pytest):
    .venv/bin/python -m tests.benchmarks.bench_handheld [--big DIR] [-n 2000]
The big till is the one of bench_foundation (``pos demo``-style, 1,000,000 products; built if missing, about
a minute). In the same run, on the same random barcodes (page cache warmed the same way for all):
- baseline: a raw sqlite3 indexed SELECT of the barcode;
- floor: ``StoreFloor.lookup`` in this process (check digit, product and price, stock per location and lot);
- search: ``StoreFloor.lookup(query=…)`` for a few typed words (printed apart, no baseline);
- http: ``GET /handheld/api/lookup?code=…`` from a signed-in client to a real ``pos server --handheld-data``
  process on 127.0.0.1 (the whole answer: routing, session, JSON; an upper bound of the time at the server).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from pos_desktop.services import auth
from pos_desktop.services.demo import build_demo
from pos_desktop.services.handheld import StoreFloor

BIG = Path(tempfile.gettempdir()) / "pos-bench-1m"
ROOT = Path(__file__).resolve().parents[2]
TARGET_MS = 100.0
SEARCHES = ("牛奶", "cola", "apple", "舒肤佳袜子", "Wuliangye")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * p) - 1)]


def timed_ms(fn, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter_ns()
    fn(*args)
    return (time.perf_counter_ns() - start) / 1e6


def start_server(folder: Path, work: Path) -> tuple[subprocess.Popen, str]:
    args = [sys.executable, "-m", "pos_desktop", "server", "--db", f"sqlite:///{work / 'server.db'}", "--port", "0",
            "--handheld-data", str(folder)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    found: list[bytes] = []
    reader = threading.Thread(target=lambda: found.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(120)
    line = found[0].decode().strip() if found else ""
    if not line.startswith("pos server: listening on "):
        proc.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    return proc, line.rsplit(" ", 1)[1]


def bench(folder: Path, n: int) -> list[tuple[str, float, float, float]]:
    conn = sqlite3.connect(folder / "pos.db")
    conn.execute("PRAGMA mmap_size=2147483648")
    products = conn.execute("SELECT count(*) FROM products").fetchone()[0]
    codes = [r[0] for r in conn.execute("SELECT code FROM barcodes WHERE rowid % 331 = 0 LIMIT ?", (n,))]
    random.Random(8).shuffle(codes)
    floor = StoreFloor.open(folder)
    manager = auth.login(floor.ctx, "manager", "2222")

    def raw(code: str) -> None:
        conn.execute("SELECT product_id, pack_qty_milli FROM barcodes WHERE code = ?", (code,)).fetchone()

    def ours(code: str) -> None:
        floor.lookup(manager, code=code)

    with tempfile.TemporaryDirectory() as work:
        proc, url = start_server(folder, Path(work))
        try:
            with httpx.Client(base_url=url, timeout=30) as client:
                deadline = time.monotonic() + 60
                while True:
                    try:
                        if client.get("/handheld/").status_code == 200:
                            break
                    except httpx.HTTPError:
                        if time.monotonic() > deadline:
                            raise
                        time.sleep(0.1)
                signed = client.post("/handheld/api/login", json={"user": "manager", "pin": "2222"})
                signed.raise_for_status()

                def http(code: str) -> None:
                    reply = client.get("/handheld/api/lookup", params={"code": code})
                    assert reply.status_code == 200, reply.text

                runs = {"baseline: raw SQLite SELECT of the barcode": raw,
                        "StoreFloor.lookup (in process)": ours,
                        "GET /handheld/api/lookup (HTTP, loopback)": http}
                for fn in runs.values():       # warm the page cache the same way for all three
                    for code in codes[:500]:
                        fn(code)
                times: dict[str, list[float]] = {name: [] for name in runs}
                for code in codes:
                    for name, fn in runs.items():
                        times[name].append(timed_ms(fn, code))
        finally:
            proc.terminate()
            proc.wait(15)
    for text in SEARCHES:   # typed look-ups: the search index, first 20 hits
        spent = sorted(timed_ms(lambda: floor.lookup(manager, query=text)) for _ in range(50))
        print(f"search {text!r}: p50 {spent[25]:.2f} ms, worst {spent[-1]:.2f} ms")
    floor.close()
    conn.close()
    print(f"catalog: {products:,} products; {len(codes)} look-ups of random barcodes")
    return [(name, statistics.median(v), pct(v, 0.95), pct(v, 0.99)) for name, v in times.items()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=Path, default=BIG, help="a 1,000,000-product demo till (built if missing)")
    parser.add_argument("-n", type=int, default=2000, help="look-ups per method")
    args = parser.parse_args()
    if not (args.big / "pos.db").exists():
        print(f"building {args.big} (1,000,000 products)…", flush=True)
        build_demo(args.big, products=1_000_000, days=0)
    rows = bench(args.big, args.n)
    base = rows[0][1]
    print(f"{'what':<44} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p50 ÷ baseline':>15}")
    for name, p50, p95, p99 in rows:
        print(f"{name:<44} {p50:8.3f} {p95:8.3f} {p99:8.3f} {p50 / base:15.0f}")
    worst = rows[-1][3]
    verdict = "meets" if worst <= TARGET_MS else "MISSES"
    print(f"HTTP look-up p99 {worst:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
