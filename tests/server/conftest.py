"""The central server under test: real ``pos server`` processes on 127.0.0.1, on a SQLite file and on a fresh
PostgreSQL database each (``POS_TEST_POSTGRES_URL``), shared by the tests of one module.

When ``POS_TEST_POSTGRES_URL`` is set the PostgreSQL half must run: a server that cannot be reached fails the
tests (it never skips them). When it is not set, the PostgreSQL half is skipped. Each module gets its own
database (``CREATE DATABASE pos_test_<random>``, dropped at the end) and each test its own stores, so tests
never see each other's data. Setup (stores, codes, catalog) goes through ``pos_desktop.server.admin`` in this
process, on the same database; everything a till does goes over HTTP to the server process.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from pos_desktop.server import admin, schema
from pos_desktop.server.db import Database

ROOT = Path(__file__).resolve().parents[2]
PG_ENV = "POS_TEST_POSTGRES_URL"
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
DAY = "2026-11-27"
BACKENDS = ["sqlite", "postgresql"]

CATALOG = [
    {"sku": "COLA", "name": "可口可乐 Coca-Cola 330ml", "price": "3.50", "barcodes": [{"code": "6901234567892"}],
     "cost": "2.10", "category": "饮料 Drinks"},
    {"sku": "CHIPS", "name": "乐事薯片 Lay's chips", "price": "7.90", "barcodes": [{"code": "6901234567915"}]},
    {"sku": "MILK", "name": "伊利纯牛奶 Yili milk", "price": "2.80", "tax_rate": "0.09", "track_batches": True,
     "track_expiry": True},
    {"sku": "SOAP", "name": "舒肤佳香皂 Safeguard soap", "price": "4.50"},
]


# --- PostgreSQL ------------------------------------------------------------------------------------------------


def pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def _conninfo(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """A new, empty database on the PostgreSQL of ``POS_TEST_POSTGRES_URL``, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = pg_base_url()
    if base is None:
        pytest.skip(f"{PG_ENV} is not set: the PostgreSQL half of the server tests is skipped")
    name = f"pos_test_{secrets.token_hex(5)}"
    try:
        with psycopg.connect(_conninfo(base), autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        pytest.fail(f"{PG_ENV}={base} is set but PostgreSQL cannot be used: {exc}")
    url = make_url(base).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with psycopg.connect(_conninfo(base), autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def database_url(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'server.db'}"
    else:
        with fresh_pg_database() as url:
            yield url


# --- the server process ----------------------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    db_url: str
    backend: str
    proc: subprocess.Popen
    log: Path
    db: Database = field(init=False)

    def __post_init__(self) -> None:
        self.db = Database(self.db_url, pool_size=4)

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)


def start_server(db_url: str, folder: Path, *extra: str) -> Server:
    """``python -m pos_desktop server --db … --port 0``; returns once it answers HTTP."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"server-{secrets.token_hex(3)}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("POS_")}
    env.update({"POS_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT)})
    args = [sys.executable, "-m", "pos_desktop", "server", "--db", db_url, "--port", "0",
            "--push-rate", "0", "--enrol-rate", "0", *extra]
    with log.open("wb") as err:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, env=env, cwd=ROOT)
    line = _first_line(proc, timeout=60)
    if not line.startswith("pos server: listening on "):
        proc.kill()
        raise AssertionError(f"the server did not start: {line!r}\n{log.read_text(errors='replace')}")
    url = line.rsplit(" ", 1)[1]
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/openapi.json", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise AssertionError(f"the server never answered\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    return Server(url, db_url, "", proc, log)


def _first_line(proc: subprocess.Popen, timeout: float) -> str:
    found: list[bytes] = []
    reader = threading.Thread(target=lambda: found.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return found[0].decode().strip() if found else ""


def stop_server(server: Server) -> None:
    server.db.close()
    server.proc.terminate()
    try:
        server.proc.wait(15)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(5)


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A running server on a fresh database of each backend, with the test catalog."""
    folder = tmp_path_factory.mktemp(f"server-{request.param}")
    with database_url(request.param, folder) as url:
        db = Database(url)
        schema.upgrade(db)
        report = admin.put_products(db, NOW, CATALOG)
        assert report["rejected"] == [], report
        db.close()
        running = start_server(url, folder)
        running.backend = request.param
        try:
            yield running
        finally:
            stop_server(running)


# --- a till, as the server sees it -----------------------------------------------------------------------------


def new_store(server: Server, prefix: str = "S") -> str:
    code = (prefix + secrets.token_hex(4)).upper()[:10]
    admin.create_store(server.db, NOW, code, f"Store {code}")
    return code


@dataclass
class Till:
    """An enrolled till: its credential, its next till_seq, and calls to the server."""

    server: Server
    store: str
    code: str
    enrolment_id: str
    secret: str
    next_seq: int = 1

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.enrolment_id}.{self.secret}"}

    def push(self, events: list[dict[str, Any]]) -> httpx.Response:
        with self.server.client() as c:
            return c.post("/api/v1/push", json={"events": events}, headers=self.headers)

    def push_ok(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        reply = self.push(events)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def get(self, path: str, **params: Any) -> httpx.Response:
        with self.server.client() as c:
            return c.get(f"/api/v1/{path}", params=params, headers=self.headers)

    def pull_all(self, after: str = "", limit: int = 500) -> tuple[list[dict[str, Any]], str]:
        changes: list[dict[str, Any]] = []
        while True:
            page = self.get("changes", after=after, limit=limit).json()
            changes += page["changes"]
            after = page["next"]
            if not page["more"]:
                return changes, after

    def event(self, kind: str, payload: dict[str, Any], seq: int | None = None) -> dict[str, Any]:
        if seq is None:
            seq, self.next_seq = self.next_seq, self.next_seq + 1
        return {"till_seq": seq, "event_id": str(uuid.uuid4()), "kind": kind, "payload": payload,
                "journal_hash": secrets.token_hex(32), "created_at": "2026-11-27T10:00:00+08:00"}


def enrol_code(server: Server, store: str, till: str) -> str:
    return admin.enrol_code(server.db, datetime.now(UTC), store, till)["code"]


def enrol(server: Server, store: str, till: str = "T01", next_seq: int = 1) -> Till:
    code = enrol_code(server, store, till)
    with server.client() as c:
        reply = c.post("/api/v1/enrol", json={"code": code, "till_uuid": str(uuid.uuid4()), "store_code": store,
                                              "till_code": till, "next_seq": next_seq})
    assert reply.status_code == 200, reply.text
    doc = reply.json()
    return Till(server, store, till, doc["enrolment_id"], doc["secret"], next_seq)


# --- events shaped as the till's services write them -----------------------------------------------------------


def movement(sku: str, qty_milli: int, doc_type: str, doc_id: str, location: str = "FLOOR",
             lot: str | None = None) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "sku": sku, "location": location, "lot": lot, "expiry": None,
            "qty_milli": qty_milli, "reason": doc_type, "doc_type": doc_type, "doc_id": doc_id,
            "created_at": "2026-11-27T10:00:00+08:00", "unit_cost_minor": None, "product_id": "local-id"}


def sale_payload(lines: list[tuple[str, int, int]], day: str = DAY, receipt: str | None = None) -> dict[str, Any]:
    """A ``sale.completed`` payload: lines of (sku, qty_milli, net_minor)."""
    sale_id = str(uuid.uuid4())
    total = sum(net for _sku, _qty, net in lines)
    return {
        "sale": {"id": sale_id, "receipt_no": receipt or f"S-T-{secrets.randbelow(10 ** 6):06d}",
                 "created_at": f"{day}T10:00:00+08:00", "business_date": day, "subtotal_minor": total,
                 "discount_minor": 0, "tax_minor": total // 10, "total_minor": total, "rounding_minor": 0,
                 "paid_minor": total, "change_minor": 0, "points_earned": 0, "points_redeemed": 0,
                 "till_id": "local"},
        "lines": [{"sale_id": sale_id, "line_no": n, "sku": sku, "name": sku, "qty_milli": qty, "net_minor": net,
                   "tax_minor": net // 10, "gross_minor": net, "unit_price_minor": net * 1000 // qty}
                  for n, (sku, qty, net) in enumerate(lines, start=1)],
        "payments": [{"sale_id": sale_id, "seq": 1, "method": "cash", "amount_minor": total, "status": "completed"}],
        "movements": [movement(sku, -qty, "sale", sale_id) for sku, qty, _net in lines],
        "customer": None,
    }


def return_payload(sale: dict[str, Any], line_no: int, qty_milli: int, amount: int, day: str = DAY) -> dict:
    return_id = str(uuid.uuid4())
    sku = sale["lines"][line_no - 1]["sku"]
    return {"return": {"id": return_id, "receipt_no": f"R-{secrets.randbelow(10 ** 6):06d}",
                       "original_sale_id": sale["sale"]["id"], "total_minor": amount, "tax_minor": amount // 10,
                       "created_at": f"{day}T11:00:00+08:00", "business_date": day, "reason": "damaged"},
            "lines": [{"return_id": return_id, "line_no": 1, "sale_line_no": line_no, "product_id": "local",
                       "qty_milli": qty_milli, "amount_minor": amount, "tax_minor": amount // 10}],
            "refunds": [{"return_id": return_id, "seq": 1, "method": "cash", "amount_minor": amount}],
            "movements": [movement(sku, qty_milli, "return", return_id)],
            "original_receipt": sale["sale"]["receipt_no"]}


def void_payload(sale: dict[str, Any]) -> dict[str, Any]:
    void_id = str(uuid.uuid4())
    return {"void_id": void_id, "sale_id": sale["sale"]["id"], "receipt_no": sale["sale"]["receipt_no"],
            "total_minor": sale["sale"]["total_minor"], "reason": "wrong item",
            "movements": [movement(m["sku"], -m["qty_milli"], "void", void_id) for m in sale["movements"]]}


def adjust_payload(sku: str, qty_milli: int, location: str = "BACK", lot: str | None = None) -> dict[str, Any]:
    doc = str(uuid.uuid4())
    return {"document_id": doc, "sku": sku, "location": location, "lot": lot, "qty_delta_milli": qty_milli,
            "reason": "found", "note": None, "movements": [movement(sku, qty_milli, "adjustment", doc, location, lot)]}
