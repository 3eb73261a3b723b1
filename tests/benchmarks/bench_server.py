"""Central server ingest: 20 tills pushing sales at once, against PostgreSQL (and a SQLite server for
reference). Run on demand (not collected by pytest):

    .venv/bin/python -m tests.benchmarks.bench_server [--pg URL] [--sales-per-till 500] [--batch 200]
                                                      [--workers 2] [--skip-sqlite]

``--pg`` defaults to ``POS_TEST_POSTGRES_URL``. A fresh database is made (and dropped) for every run. Each
till's events are built and encoded before the clock starts; the clock stops when every till's last batch is
acknowledged. A sale is one ``sale.completed`` event with three lines, one payment and three stock
movements. The baseline, measured in the same run on a fresh database of the same schema: the same rows
(events, sales, lines, payments, movements, stock levels, the movements' change-log rows) inserted with raw
``psycopg`` (``sqlite3`` for SQLite) executemany, one transaction per batch, from 20 threads. The ratio says
what HTTP, JSON, authentication, hashing, checks and the ORM layer cost on top of the database work itself.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from pos_desktop.server import admin, schema
from pos_desktop.server.db import Database
from pos_desktop.server.ingest import content_hash
from pos_desktop.server.models import Location, Store

ROOT = Path(__file__).resolve().parents[2]
TILLS = 20
SKUS = [f"B{n:04d}" for n in range(200)]
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


# --- the workload --------------------------------------------------------------------------------------------


def sale_event(seq: int, rng: random.Random, till: str) -> dict[str, Any]:
    sale_id = str(uuid.uuid4())
    lines = [(rng.choice(SKUS), rng.randint(1, 3) * 1000, rng.randint(100, 5000)) for _ in range(3)]
    total = sum(net for _s, _q, net in lines)
    at = "2026-11-27T10:00:00+08:00"
    return {"till_seq": seq, "event_id": str(uuid.uuid4()), "kind": "sale.completed", "journal_hash": "0" * 64,
            "created_at": at, "payload": {
                "sale": {"id": sale_id, "receipt_no": f"S01-{till}-{seq:06d}", "created_at": at,
                         "business_date": "2026-11-27", "subtotal_minor": total, "discount_minor": 0,
                         "tax_minor": total // 9, "total_minor": total, "rounding_minor": 0, "paid_minor": total,
                         "change_minor": 0, "points_earned": 0, "points_redeemed": 0},
                "lines": [{"line_no": n, "sku": sku, "name": f"Product {sku}", "qty_milli": qty, "net_minor": net,
                           "tax_minor": net // 9, "gross_minor": net, "unit_price_minor": net * 1000 // qty,
                           "tax_rate_bp": 1300} for n, (sku, qty, net) in enumerate(lines, start=1)],
                "payments": [{"seq": 1, "method": "cash", "amount_minor": total, "status": "completed"}],
                "movements": [{"id": str(uuid.uuid4()), "sku": sku, "location": "FLOOR", "lot": None, "expiry": None,
                               "qty_milli": -qty, "reason": "sale", "doc_type": "sale", "doc_id": sale_id,
                               "created_at": at, "unit_cost_minor": None} for sku, qty, _net in lines],
                "customer": None}}


@dataclass
class Workload:
    tills: list[dict[str, Any]]          # {"code", "auth", "batches": [bytes], "events": [dict]}

    @property
    def sales(self) -> int:
        return sum(len(t["events"]) for t in self.tills)


def prepare(url: str, sales_per_till: int, batch: int) -> Workload:
    db = Database(url)
    schema.upgrade(db)
    admin.create_store(db, NOW, "S01", "Bench store")
    admin.create_store(db, NOW, "S02", "Bench store 2")
    report = admin.put_products(db, NOW, [{"sku": sku, "name": f"Product {sku}", "price": "9.90"} for sku in SKUS])
    assert not report["rejected"]
    tills = []
    for n in range(TILLS):
        store, code = ("S01", "S02")[n % 2], f"T{n:02d}"
        enrol_code = admin.enrol_code(db, datetime.now(UTC), store, code)["code"]
        tills.append({"store": store, "code": code, "enrol": enrol_code})
    db.close()
    rng = random.Random(5)
    for t in tills:
        t["events"] = [sale_event(seq, rng, t["code"]) for seq in range(1, sales_per_till + 1)]
        t["batches"] = [json.dumps({"events": t["events"][i:i + batch]}).encode()
                        for i in range(0, sales_per_till, batch)]
    return Workload(tills)


# --- the server ------------------------------------------------------------------------------------------------


def start(url: str, workers: int, folder: Path) -> tuple[subprocess.Popen, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POS_")}
    env.update({"POS_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT)})
    proc = subprocess.Popen([sys.executable, "-m", "pos_desktop", "server", "--db", url, "--port", "0",
                             "--push-rate", "0", "--enrol-rate", "0", "--workers", str(workers)],
                            stdout=subprocess.PIPE, stderr=(folder / "server.log").open("wb"), env=env, cwd=ROOT)
    line = proc.stdout.readline().decode().strip()
    base = line.rsplit(" ", 1)[1]
    for _ in range(600):
        try:
            if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    return proc, base


def run_server(url: str, work: Workload, workers: int) -> float:
    folder = Path(tempfile.mkdtemp(prefix="pos-bench-server-"))
    proc, base = start(url, workers, folder)
    try:
        with httpx.Client(base_url=base, timeout=60) as c:
            for t in work.tills:
                doc = c.post("/api/v1/enrol", json={"code": t["enrol"], "till_uuid": str(uuid.uuid4()),
                                                    "store_code": t["store"], "till_code": t["code"],
                                                    "next_seq": 1}).json()
                t["auth"] = {"Authorization": f"Bearer {doc['enrolment_id']}.{doc['secret']}",
                             "Content-Type": "application/json"}
        errors: list[str] = []

        def till(t: dict[str, Any]) -> None:
            with httpx.Client(base_url=base, timeout=120) as c:
                for body in t["batches"]:
                    reply = c.post("/api/v1/push", content=body, headers=t["auth"])
                    if reply.status_code != 200:
                        errors.append(f"{t['code']}: {reply.status_code} {reply.text[:200]}")
                        return
                last = reply.json()["acked_through"]
                if last != len(t["events"]):
                    errors.append(f"{t['code']}: acked {last} of {len(t['events'])}")

        threads = [threading.Thread(target=till, args=(t,)) for t in work.tills]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
        if errors:
            raise SystemExit("push failed: " + "; ".join(errors[:5]))
        check = Database(url)
        with check.read() as session:
            from sqlalchemy import func, select

            from pos_desktop.server.models import EventError, Sale
            sold = session.scalar(select(func.count()).select_from(Sale))
            failed = session.scalar(select(func.count()).select_from(EventError))
        check.close()
        if sold != work.sales or failed:
            raise SystemExit(f"the server holds {sold} sales of {work.sales}, {failed} projection errors")
        return elapsed
    finally:
        proc.terminate()
        proc.wait(30)


# --- the raw baseline ------------------------------------------------------------------------------------------


def _rows(t: dict[str, Any], events: list[dict[str, Any]], ids: dict[str, Any], now: str) -> dict[str, list]:
    store, enrolment = ids["stores"][t["store"]], ids["enrolments"][t["code"]]
    rows: dict[str, list] = {k: [] for k in ("events", "sales", "lines", "payments", "moves", "levels", "changes")}
    levels: dict[tuple, int] = {}
    for e in events:
        p = e["payload"]
        s = p["sale"]
        rows["events"].append((e["event_id"], enrolment, store, t["code"], e["till_seq"], e["kind"],
                               json.dumps(p), content_hash(e["kind"], p), e["journal_hash"], e["created_at"], now,
                               ids["push"]))
        rows["sales"].append((s["id"], store, t["code"], e["event_id"], s["receipt_no"], s["created_at"],
                              s["business_date"], s["subtotal_minor"], 0, s["tax_minor"], s["total_minor"], 0,
                              s["paid_minor"], 0, None))
        rows["lines"] += [(s["id"], ln["line_no"], ln["sku"], ln["name"], ln["qty_milli"], ln["unit_price_minor"],
                           ln["gross_minor"], 0, ln["net_minor"], 1300, ln["tax_minor"]) for ln in p["lines"]]
        rows["payments"] += [(s["id"], 1, "cash", s["total_minor"], "completed")]
        for m in p["movements"]:
            product, location = ids["products"][m["sku"]], ids["floor"][t["store"]]
            rows["moves"].append((m["id"], store, product, location, None, None, m["qty_milli"], "sale", "sale",
                                  s["id"], t["code"], e["event_id"], None, m["created_at"]))
            key = (store, product, location, "")
            levels[key] = levels.get(key, 0) + m["qty_milli"]
            rows["changes"].append((store, enrolment, "movement", json.dumps({**m, "till_code": t["code"]}), now))
    rows["levels"] = [(*key, None, qty) for key, qty in sorted(levels.items())]
    return rows


SQL = {
    "events": "INSERT INTO events (event_id, enrolment_id, store_id, till_code, till_seq, kind, payload, "
              "content_hash, journal_hash, created_at, received_at, push_id) VALUES ({}) ON CONFLICT DO NOTHING",
    "sales": "INSERT INTO sales (id, store_id, till_code, event_id, receipt_no, created_at, business_date, "
             "subtotal_minor, discount_minor, tax_minor, total_minor, rounding_minor, paid_minor, change_minor, "
             "customer) VALUES ({})",
    "lines": "INSERT INTO sale_lines (sale_id, line_no, sku, name, qty_milli, unit_price_minor, gross_minor, "
             "discount_minor, net_minor, tax_rate_bp, tax_minor) VALUES ({})",
    "payments": "INSERT INTO payments (sale_id, seq, method, amount_minor, status) VALUES ({})",
    "moves": "INSERT INTO stock_movements (id, store_id, product_id, location_id, lot, expiry, qty_milli, reason, "
             "doc_type, doc_id, till_code, event_id, unit_cost_minor, created_at) VALUES ({}) "
             "ON CONFLICT (id) DO NOTHING",
    "levels": "INSERT INTO stock_levels (store_id, product_id, location_id, lot_key, expiry, qty_milli) "
              "VALUES ({}) ON CONFLICT (store_id, product_id, location_id, lot_key) "
              "DO UPDATE SET qty_milli = stock_levels.qty_milli + excluded.qty_milli",
}


def _marks(n: int, style: str) -> str:
    return ", ".join([style] * n)


def run_raw(url: str, work: Workload, batch: int, postgres: bool) -> float:
    db = Database(url)
    schema.upgrade(db)
    ids = _ids(db, work)
    db.close()
    now = "2026-11-27T02:00:00Z"
    prepared = [[_rows(t, t["events"][i:i + batch], ids, now) for i in range(0, len(t["events"]), batch)]
                for t in work.tills]
    errors: list[BaseException] = []

    def pg_till(batches: list[dict[str, list]]) -> None:
        import psycopg
        try:
            with psycopg.connect("postgresql://" + url.split("://", 1)[1]) as conn:
                for rows in batches:
                    with conn.transaction(), conn.cursor() as cur:
                        for name, sql in SQL.items():
                            cur.executemany(sql.format(_marks(len(rows[name][0]), "%s")), rows[name])
                        cur.executemany("INSERT INTO change_log (xact, store_id, origin_enrolment_id, kind, data, "
                                        "created_at) VALUES (pg_current_xact_id()::text::bigint, %s, %s, %s, %s, "
                                        "%s)", rows["changes"])
        except BaseException as exc:   # noqa: BLE001 — reported after the run
            errors.append(exc)

    def sqlite_till(batches: list[dict[str, list]]) -> None:
        conn = sqlite3.connect(url.split("///", 1)[1], timeout=60, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        try:
            for rows in batches:
                conn.execute("BEGIN IMMEDIATE")
                for name, sql in SQL.items():
                    conn.executemany(sql.format(_marks(len(rows[name][0]), "?")), rows[name])
                conn.executemany("INSERT INTO change_log (xact, store_id, origin_enrolment_id, kind, data, "
                                 "created_at) VALUES (0, ?, ?, ?, ?, ?)", rows["changes"])
                conn.execute("COMMIT")
        except BaseException as exc:   # noqa: BLE001
            errors.append(exc)
        finally:
            conn.close()

    target = pg_till if postgres else sqlite_till
    threads = [threading.Thread(target=target, args=(batches,)) for batches in prepared]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise SystemExit(f"raw baseline failed: {errors[0]!r}")
    return elapsed


def _ids(db: Database, work: Workload) -> dict[str, Any]:
    """Stores, products, floors and one enrolment per till, as the server would have them."""
    from sqlalchemy import select

    from pos_desktop.server.models import Enrolment, Product
    admin.create_store(db, NOW, "S01", "Bench store")
    admin.create_store(db, NOW, "S02", "Bench store 2")
    admin.put_products(db, NOW, [{"sku": sku, "name": f"Product {sku}", "price": "9.90"} for sku in SKUS])
    with db.write() as session:
        stores = dict(session.execute(select(Store.code, Store.id)).all())
        floor = {code: session.scalar(select(Location.id).where(Location.store_id == sid, Location.code == "FLOOR"))
                 for code, sid in stores.items()}
        products = dict(session.execute(select(Product.sku, Product.id)).all())
        enrolments = {}
        for t in work.tills:
            enrolments[t["code"]] = e = str(uuid.uuid4())
            session.add(Enrolment(id=e, store_id=stores[t["store"]], till_code=t["code"], till_uuid="u",
                                  secret_hash="0" * 64, start_seq=1, next_seq=1, created_at="now"))
    return {"stores": stores, "floor": floor, "products": products, "enrolments": enrolments,
            "push": str(uuid.uuid4())}


# --- databases -------------------------------------------------------------------------------------------------


class PgDatabase:
    def __init__(self, base: str) -> None:
        import psycopg
        from sqlalchemy.engine import make_url
        self.base, self.name = base, f"pos_bench_{secrets.token_hex(4)}"
        with psycopg.connect("postgresql://" + base.split("://", 1)[1], autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.url = make_url(base).set(drivername="postgresql+psycopg", database=self.name).render_as_string(False)

    def drop(self) -> None:
        import psycopg
        with psycopg.connect("postgresql://" + self.base.split("://", 1)[1], autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def measure(backend: str, args: argparse.Namespace) -> tuple[int, float, float]:
    if backend == "postgresql":
        server_db, raw_db = PgDatabase(args.pg), PgDatabase(args.pg)
        urls, cleanup = (server_db.url, raw_db.url), lambda: (server_db.drop(), raw_db.drop())
    else:
        folder = Path(tempfile.mkdtemp(prefix="pos-bench-sqlite-"))
        urls, cleanup = (f"sqlite:///{folder / 'server.db'}", f"sqlite:///{folder / 'raw.db'}"), lambda: None
    try:
        work = prepare(urls[0], args.sales_per_till, args.batch)
        server_s = run_server(urls[0], work, args.workers if backend == "postgresql" else 1)
        raw_s = run_raw(urls[1], work, args.batch, backend == "postgresql")
        return work.sales, server_s, raw_s
    finally:
        cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default=os.environ.get("POS_TEST_POSTGRES_URL"))
    parser.add_argument("--sales-per-till", type=int, default=500)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    backends = (["postgresql"] if args.pg else []) + ([] if args.skip_sqlite else ["sqlite"])
    print(f"Server ingest: {TILLS} tills pushing at once, batches of {args.batch}, "
          f"{args.sales_per_till} sales each (3 lines, 1 payment, 3 movements per sale)\n")
    print("| database | server processes | sales | server s | server sales/s | raw inserts sales/s | server ÷ raw |")
    print("|---|---|---|---|---|---|---|")
    for backend in backends:
        sales, server_s, raw_s = measure(backend, args)
        workers = args.workers if backend == "postgresql" else 1
        print(f"| {backend} | {workers} | {sales:,} | {server_s:.2f} | {sales / server_s:,.0f} | "
              f"{sales / raw_s:,.0f} | {raw_s / server_s:.2f} |", flush=True)


if __name__ == "__main__":
    main()
