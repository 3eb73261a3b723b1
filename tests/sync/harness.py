"""Real central servers and real tills for the sync tests (and the sync benchmark).

``ServerProcess`` runs ``python -m pos_desktop server --db URL --host 127.0.0.1 --port N`` as a child process
(SQLite file or PostgreSQL) and drives head office through ``pos server admin … --db URL --json``. A ``Till``
is a real data folder made with ``init_till`` for a store of that server, enrolled with a one-time code, and
synced by a real ``SyncAgent``. Nothing of the server is mocked; faults come from ``fault_proxy``.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import requests

from pos_desktop.core.cart import Cart
from pos_desktop.core.clock import Clock, SystemClock
from pos_desktop.services import auth, catalog, checkout, returns, stock, sync_state, till
from pos_desktop.services.checkout import Tender
from pos_desktop.services.context import Context
from pos_desktop.services.returns import ReturnRequest
from pos_desktop.sync.agent import SyncAgent, SyncResult
from pos_desktop.sync.enrol import enrol

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ENV = "POS_TEST_POSTGRES_URL"
START_TIMEOUT = 60.0
_store_numbers = itertools.count(1)

CATALOG_CSV = """\
sku,name,barcode,price,cost,tax_rate,unit,category,track_batches,track_expiry
COLA,可口可乐 Coca-Cola 330ml,6901234567892|6901234567908*6,3.50,2.10,0.13,pcs,饮料 Drinks,,
CHIPS,乐事薯片 Lay's chips 75g,6901234567915,7.90,5.00,0.13,pcs,零食 Snacks,,
MILK,伊利纯牛奶 Yili milk 250ml,6901234567922,2.80,2.00,0.09,pcs,乳制品 Dairy,yes,yes
SOAP,舒肤佳香皂 Safeguard soap,6901234567939,4.50,3.00,0.13,pcs,个人护理 Personal care,,
"""
SKUS = ("COLA", "CHIPS", "MILK", "SOAP")
CODES = {"COLA": "6901234567892", "CHIPS": "6901234567915", "MILK": "6901234567922", "SOAP": "6901234567939"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POS_") or k == POSTGRES_ENV}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def pos(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m pos_desktop ARGS`` (the ``pos`` command) as an integrator runs it."""
    done = subprocess.run([sys.executable, "-m", "pos_desktop", *args], capture_output=True, text=True, check=False,
                          env=child_env(), cwd=ROOT, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"pos {' '.join(args)} → {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


# -- PostgreSQL: one fresh database per run -----------------------------------------------------------------------------

def postgres_database(base_url: str) -> tuple[str, Any]:
    """Create an empty database next to the one ``base_url`` names; returns its URL and a drop function.
    Raises when PostgreSQL cannot be reached: a run that asks for it must fail, not skip."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base_url)
    name = f"pos_sync_{os.getpid()}_{secrets.token_hex(3)}"
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(plain, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return url.set(database=name).render_as_string(hide_password=False), drop


# -- the server -----------------------------------------------------------------------------------------------------------

@dataclass
class ServerProcess:
    db_url: str
    workdir: Path
    port: int = 0
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    # the tests enrol dozens of tills from 127.0.0.1 within a minute: no per-address enrolment limit
    options: tuple[str, ...] = ("--enrol-rate", "0")
    _api_key: str | None = None
    scheme: str = "http"
    ca_file: str | None = None     # for https: the CA the tests (and tills) verify the server with

    @classmethod
    def sqlite(cls, workdir: Path) -> ServerProcess:
        workdir.mkdir(parents=True, exist_ok=True)
        return cls(f"sqlite:///{workdir / 'server.db'}", workdir)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        self.port = self.port or free_port()
        self.log_path = self.workdir / f"server-{self.port}.log"
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "pos_desktop", "server", "--db", self.db_url,
                                      "--host", "127.0.0.1", "--port", str(self.port), *self.options],
                                     stdout=log, stderr=subprocess.STDOUT, env=child_env(), cwd=ROOT)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited ({self.proc.returncode}):\n{self.log()}")
            try:
                requests.get(self.url + "/api/v1/status", timeout=1, verify=self.ca_file or True)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not answer within {START_TIMEOUT} s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path and self.log_path.exists() \
            else ""

    def admin(self, *args: str) -> Any:
        """``pos server admin ARGS --db URL --json`` (a process of its own: about a second)."""
        done = pos("server", "admin", *args, "--db", self.db_url, "--json")
        return json.loads(done.stdout) if done.stdout.strip() else None

    def api(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """Head office's HTTP API (``/api/v1/admin/…``) with an admin key made once by the command line."""
        if self._api_key is None:
            self._api_key = self.admin("api-key", "--name", "tests", "--scopes", "admin")["key"]
        reply = requests.request(method, f"{self.url}/api/v1/admin{path}", json=body, params=params or None,
                                 headers={"Authorization": f"Bearer {self._api_key}"}, timeout=60,
                                 verify=self.ca_file or True)
        if reply.status_code >= 400:
            raise AssertionError(f"{method} {path} → {reply.status_code}: {reply.text}")
        return reply.json()

    def new_store(self, name: str = "测试店 Test store") -> str:
        code = f"S{os.getpid() % 1000:03d}{next(_store_numbers):03d}"[-10:]
        self.api("POST", "/stores", {"code": code, "name": name})
        return code

    def enrol_code(self, store: str, till_code: str) -> str:
        return self.api("POST", "/enrol-codes", {"store": store, "till": till_code})["code"]

    def revoke(self, store: str, till_code: str) -> Any:
        return self.api("POST", "/revoke-till", {"store": store, "till": till_code})

    def import_catalog(self, text: str = CATALOG_CSV) -> Any:
        path = self.workdir / f"catalog-{secrets.token_hex(3)}.csv"
        path.write_text(text, encoding="utf-8")
        return self.admin("import-catalog", str(path))

    def summary(self, store: str) -> dict[str, Any]:
        return self.api("GET", f"/stores/{store}/summary")

    def event_errors(self, store: str) -> list[dict[str, Any]]:
        return self.api("GET", f"/stores/{store}/event-errors")["errors"]

    def stock(self, store: str) -> dict[tuple[str, str, str | None], str]:
        return {(r["sku"], r["location"], r.get("batch")): r["qty"]
                for r in self.api("GET", f"/stores/{store}/stock")["stock"] if D(r["qty"]) != 0}


# -- a till ---------------------------------------------------------------------------------------------------------------

@dataclass
class Till:
    """A real till data folder of ``store`` enrolled with ``server_url``, with its agent."""

    folder: Path
    ctx: Context
    agent: SyncAgent
    receipts: list[str] = field(default_factory=list)

    @classmethod
    def create(cls, folder: Path, store: str, till_code: str, *, clock: Clock | None = None) -> Till:
        ctx = till.init_till(folder, store_code=store, store_name="测试店 Test store", till_code=till_code,
                             admin_user="admin", admin_pin="1234", clock=clock or SystemClock())
        ctx.close()
        return cls.open(folder, clock=clock)

    @classmethod
    def open(cls, folder: Path, *, clock: Clock | None = None, **agent_options: Any) -> Till:
        ctx = till.open_till(folder, clock or SystemClock())
        agent_options.setdefault("timeout", (2.0, 5.0))
        return cls(folder, ctx, SyncAgent(ctx, **agent_options))

    def enrol(self, server_url: str, code: str) -> dict[str, Any]:
        return enrol(self.ctx, server_url, code)

    @property
    def admin(self) -> auth.Operator:
        return auth.login(self.ctx, "admin", "1234")

    def sell(self, *items: tuple[str, int], method: str = "card") -> str:
        cart = Cart()
        for sku, qty in items:
            found = catalog.lookup_scan(self.ctx, CODES[sku])
            cart.add(found.product, found.qty * qty, barcode=found.barcode)
        total = cart.price(at=self.ctx.clock.now()).cart.total
        receipt = checkout.complete_sale(self.ctx, cart, [Tender(method, total)], self.admin)
        self.receipts.append(receipt.receipt_no)
        return receipt.receipt_no

    def give_back(self, receipt_no: str, line: int = 1, qty: int = 1) -> None:
        returns.return_items(self.ctx, self.admin, receipt_no=receipt_no, lines=[ReturnRequest(line, D(qty))])

    def void(self, receipt_no: str) -> None:
        returns.void_sale(self.ctx, self.admin, receipt_no=receipt_no, reason="test")

    def adjust(self, sku: str, location: str, delta: int, lot: str | None = None) -> None:
        stock.adjust_stock(self.ctx, self.admin, sku=sku, location=location, qty_delta=D(delta),
                           reason="correction", lot=lot)

    def sync(self) -> SyncResult:
        return self.agent.sync_once()

    def drain(self, attempts: int = 30) -> SyncResult:
        """Sync until a pass succeeds with nothing left to send (the backoff's waits are skipped: the
        faults under test are one-offs); fails the test when it never does."""
        result = SyncResult()
        for _ in range(attempts):
            result = self.sync()
            if result.ok and result.pending == 0:
                return result
        raise AssertionError(f"the outbox did not drain: {result}")

    def pending(self) -> int:
        return sync_state.pending(self.ctx)

    def stock(self) -> dict[tuple[str, str, str | None], str]:
        return {(r["sku"], r["location"], r["batch"]): r["qty"] for r in stock.stock_list(self.ctx)}

    def figures(self) -> dict[str, int]:
        """This till's own sales as the server counts them: sales not voided, voids, returns, and net sales
        (Σ total of sales not voided − Σ total of returns), in minor units."""
        q = self.ctx.products.query
        sales, sold = q("SELECT count(*), coalesce(sum(total_minor), 0) FROM sales "
                        "WHERE id NOT IN (SELECT sale_id FROM sale_voids)")[0]
        voids = q("SELECT count(*) FROM sale_voids")[0][0]
        returns, returned = q("SELECT count(*), coalesce(sum(total_minor), 0) FROM returns")[0]
        return {"sales_count": sales, "voids_count": voids, "returns_count": returns,
                "net_sales_minor": sold - returned}

    def close(self) -> None:
        self.agent.stop()
        self.ctx.close()


def now_local() -> datetime:
    return datetime.now().astimezone()
