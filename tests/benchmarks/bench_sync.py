"""Sync speed against real server processes on 127.0.0.1 (issue 5).

Run on demand (not collected by pytest):
    .venv/bin/python -m tests.benchmarks.bench_sync [--sales 10000] [--products 100000] [--postgres URL]
(``--postgres`` defaults to POS_TEST_POSTGRES_URL; without either, the PostgreSQL rows are left out.)
Prints a markdown table. Targets:
- drain: 10,000 sales queued on a till (a week-long outage) reach the server in ≤ 30 s — the agent's
  ``sync_once`` (push in batches of 200 with the acknowledgement bookkeeping, the pull, the sanity check) —
  with the SQLite server and with PostgreSQL. Baseline in the same run: the same events, as the same JSON,
  posted to a fresh server in the same batches by a bare ``requests`` loop with no database work on the till.
- pull: a 100,000-product catalog onto a freshly enrolled till in ≤ 60 s (the agent pulls and applies the
  change feed page by page). Baseline: ``upsert_products`` of the same rows straight into another fresh till,
  in one transaction.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from decimal import Decimal as D
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import requests

from pos_desktop.core.barcodes import append_check_digit
from pos_desktop.core.cart import Cart
from pos_desktop.core.clock import SystemClock
from pos_desktop.services import auth, catalog, sync_state, till
from pos_desktop.services.checkout import Tender, record_sale
from pos_desktop.services.products import ProductRow, upsert_products
from pos_desktop.services.unit import write
from pos_desktop.sync import config as sync_config
from tests.sync.harness import CODES, POSTGRES_ENV, ServerProcess, Till, postgres_database

DRAIN_TARGET_S = 30.0
PULL_TARGET_S = 60.0
BATCH = 200


UNLIMITED = ("--enrol-rate", "0", "--push-rate", "0")


def server_for(kind: str, workdir: Path, pg_url: str | None) -> tuple[ServerProcess, object]:
    """A fresh server without its per-till push limit (5 a second by default: a policy against runaway tills,
    which would measure the limit, not the sync)."""
    drop = None
    if kind == "sqlite":
        server = ServerProcess.sqlite(workdir)
    else:
        url, drop = postgres_database(pg_url)  # type: ignore[arg-type]
        workdir.mkdir(parents=True, exist_ok=True)
        server = ServerProcess(url, workdir)
    server.options = UNLIMITED
    return server.start(), drop


def enrolled_till(server: ServerProcess, folder: Path, store: str) -> Till:
    t = Till.create(folder, store, "T01")
    t.enrol(server.url, server.enrol_code(store, "T01"))
    return t


def queue_sales(t: Till, count: int) -> None:
    """``count`` sales of 1–4 lines through the real checkout (``record_sale``), 500 per transaction."""
    rng = random.Random(5)
    operator = auth.login(t.ctx, "admin", "1234")
    products = {sku: catalog.lookup_scan(t.ctx, code) for sku, code in CODES.items()}
    done = 0
    while done < count:
        with write(t.ctx) as unit:
            for _ in range(min(500, count - done)):
                cart = Cart()
                for sku in rng.sample(sorted(products), rng.randint(1, 4)):
                    found = products[sku]
                    cart.add(found.product, found.qty * rng.randint(1, 3), barcode=found.barcode)
                total = cart.price(at=unit.now).cart.total
                record_sale(unit, cart, [Tender("card", total)], operator)
                done += 1


def bench_drain(kind: str, root: Path, sales: int, pg_url: str | None) -> list[tuple[str, ...]]:
    servers = []
    try:
        server, drop = server_for(kind, root / f"{kind}-agent", pg_url)
        servers.append((server, drop))
        server.import_catalog()
        store = server.new_store()
        t = enrolled_till(server, root / f"{kind}-till", store)
        assert t.sync().ok, "the catalog did not come down"
        queue_sales(t, sales)
        events = [text for _seq, text in sync_state.unsent(t.ctx, 10 ** 9)]
        pending = len(events)

        start = time.perf_counter()
        result = t.sync()
        ours = time.perf_counter() - start
        assert result.ok and result.pending == 0, result
        summary = server.summary(store)
        assert summary["sales_count"] == sales, summary
        t.close()

        base_server, base_drop = server_for(kind, root / f"{kind}-baseline", pg_url)
        servers.append((base_server, base_drop))
        base_server.import_catalog()
        base_store = base_server.new_store()
        base_till = Till.create(root / f"{kind}-baseline-till", base_store, "T01")
        base_till.enrol(base_server.url, base_server.enrol_code(base_store, "T01"))
        config = sync_config.load(base_till.folder)
        base_till.close()
        session = requests.Session()
        session.headers.update({"Authorization": config.bearer, "Content-Type": "application/json"})
        start = time.perf_counter()
        for i in range(0, len(events), BATCH):
            body = ('{"events":[' + ",".join(events[i:i + BATCH]) + "]}").encode()
            reply = session.post(base_server.url + "/api/v1/push", data=body, timeout=(3, 60))
            reply.raise_for_status()
        baseline = time.perf_counter() - start
        assert base_server.summary(base_store)["sales_count"] == sales
    finally:
        for srv, drop in servers:
            srv.stop()
            if drop:
                drop()
    ok = "✔" if ours <= DRAIN_TARGET_S else "✘"
    return [(f"drain {sales:,} queued sales ({pending:,} events), {kind} server", f"{ours:.1f} s",
             f"{baseline:.1f} s", f"{ours / baseline:.2f}×", f"≤ {DRAIN_TARGET_S:.0f} s {ok}",
             f"{pending / ours:,.0f} events/s; baseline: bare requests loop, same JSON, same batches of {BATCH}; "
             "server without its push rate limit")]


def catalog_csv(count: int) -> tuple[str, list[ProductRow]]:
    rng = random.Random(11)
    lines = ["sku,name,barcode,price,cost,tax_rate,unit,category"]
    rows = []
    for i in range(count):
        sku, code = f"P{i:07d}", append_check_digit(f"69{i:010d}")
        price = D(rng.randint(100, 99_900)) / 100
        cost = (price * D("0.7")).quantize(D("0.01"))
        category = f"类别 Category {i % 50}"
        lines.append(f"{sku},商品 Product {i},{code},{price},{cost},0.13,pcs,{category}")
        rows.append(ProductRow(sku, f"商品 Product {i}", price, D("0.13"), ((code, D(1)),), cost,
                               category=category))
    return "\n".join(lines) + "\n", rows


def bench_pull(root: Path, products: int) -> list[tuple[str, ...]]:
    text, rows = catalog_csv(products)
    server, _drop = server_for("sqlite", root / "pull-server", None)
    try:
        server.import_catalog(text)
        store = server.new_store()
        t = enrolled_till(server, root / "pull-till", store)
        start = time.perf_counter()
        result = t.sync()
        ours = time.perf_counter() - start
        assert result.ok, result
        count = t.ctx.products.query("SELECT count(*) FROM products")[0][0]
        assert count >= products, count
        t.close()
    finally:
        server.stop()
    ctx = till.init_till(root / "pull-baseline", store_code="S01", store_name="x", till_code="T01",
                         admin_user="admin", admin_pin="1234", clock=SystemClock())
    start = time.perf_counter()
    with write(ctx) as unit:
        upsert_products(unit, rows, ctx.places)
    baseline = time.perf_counter() - start
    ctx.close()
    ok = "✔" if ours <= PULL_TARGET_S else "✘"
    return [(f"pull a {products:,}-product catalog onto a fresh till (SQLite server)", f"{ours:.1f} s",
             f"{baseline:.1f} s", f"{ours / baseline:.2f}×", f"≤ {PULL_TARGET_S:.0f} s {ok}",
             f"{products / ours:,.0f} products/s; baseline: upsert_products of the same rows, one transaction")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sales", type=int, default=10_000)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get(POSTGRES_ENV))
    parser.add_argument("--only", choices=["drain", "pull"])
    args = parser.parse_args()
    print("| what | ours | baseline | ratio | target | note |\n|---|---|---|---|---|---|", flush=True)

    def show(rows: list[tuple[str, ...]]) -> None:
        for row in rows:
            print("| " + " | ".join(row) + " |", flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        root = Path(tmp)
        if args.only in (None, "drain"):
            show(bench_drain("sqlite", root, args.sales, None))
            if args.postgres:
                show(bench_drain("postgres", root, args.sales, args.postgres))
        if args.only in (None, "pull"):
            show(bench_pull(root, args.products))


if __name__ == "__main__":
    main()
