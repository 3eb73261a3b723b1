"""A store for the handheld tests, and a real ``pos server --handheld-data`` process on 127.0.0.1 serving it.

The store is a copy of the tests' seeded till (``tests/conftest.py``) with stock on the floor and in the back
room, a MILK lot with its expiry, an open count of the floor, a sent purchase order and the simulated printer.
Setup goes through the services in this process; everything a phone does goes over HTTP to the server.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import httpx

from pos_desktop.services import auth, counts, purchasing, receiving, suppliers, till
from pos_desktop.services.purchasing import PoLineInput
from pos_desktop.services.receiving import ReceiptInput, ReceiptLineInput
from pos_desktop.services.suppliers import SupplierInput
from tests.conftest import CHIPS, COLA, MILK, SOAP

ROOT = Path(__file__).resolve().parents[2]
CODES = {"COLA": COLA, "CHIPS": CHIPS, "MILK": MILK, "SOAP": SOAP}
MILK_LOT, MILK_EXPIRY = "L2611", (date.today() + timedelta(days=20)).isoformat()


def make_store(template: Path, folder: Path) -> dict[str, str]:
    """Copy the seeded till to ``folder`` and fill it; returns the open count's id and the sent order's number."""
    shutil.copytree(template, folder)
    (folder / "config.toml").write_text('[printer]\nkind = "sim"\nwidth = 32\n', encoding="utf-8")
    ctx = till.open_till(folder)
    try:
        mia = auth.login(ctx, "mia", "9999")
        suppliers.save_supplier(ctx, mia, SupplierInput("SUP01", "太古可口可乐 Swire Coca-Cola", 3, D("100.00"), 30, ()))
        receiving.receive_goods(ctx, mia, ReceiptInput((
            ReceiptLineInput(sku="COLA", qty=D(30)), ReceiptLineInput(sku="CHIPS", qty=D(12)),
            ReceiptLineInput(sku="MILK", qty=D(8), lot=MILK_LOT, expiry=date.fromisoformat(MILK_EXPIRY)),
        ), location="FLOOR", supplier="SUP01"))
        receiving.receive_goods(ctx, mia, ReceiptInput((ReceiptLineInput(sku="COLA", qty=D(48)),),
                                                       location="BACK", supplier="SUP01"))
        count = counts.start_count(ctx, mia, location="FLOOR")
        po = purchasing.create_po(ctx, mia, supplier="SUP01", lines=[PoLineInput("SOAP", D(10), D("3.00")),
                                                                      PoLineInput("CHIPS", D(6), D("5.00"))])["po"]
        purchasing.send_po(ctx, mia, po)
    finally:
        ctx.close()
    return {"count_id": count.id, "count_no": count.number, "po": po}


@dataclass
class HandheldServer:
    url: str
    proc: subprocess.Popen
    log: Path
    store: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def start(store: Path, folder: Path, *, idle_seconds: float | None = None, extra: tuple[str, ...] = ()) -> HandheldServer:
    """``python -m pos_desktop server --port 0 --handheld-data STORE``; returns once /handheld/ answers."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"server-{secrets.token_hex(3)}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("POS_")}
    env.update({"POS_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT)})
    if idle_seconds:
        env["POS_SERVER_HANDHELD_IDLE"] = str(idle_seconds)
    args = [sys.executable, "-m", "pos_desktop", "server", "--db", f"sqlite:///{folder / 'server.db'}",
            "--port", "0", "--handheld-data", str(store), *extra]
    with log.open("wb") as err:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, env=env, cwd=ROOT)
    found: list[bytes] = []
    reader = threading.Thread(target=lambda: found.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(60)
    line = found[0].decode().strip() if found else ""
    if not line.startswith("pos server: listening on "):
        proc.kill()
        raise AssertionError(f"the server did not start: {line!r}\n{log.read_text(errors='replace')}")
    url = line.rsplit(" ", 1)[1]
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/handheld/", timeout=2, verify=False).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise AssertionError(f"the server never answered\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    return HandheldServer(url, proc, log, store)


def sign_in(client: httpx.Client, user: str, pin: str) -> dict[str, Any]:
    """Sign in; the client keeps the cookie, and the CSRF token goes into its headers."""
    reply = client.post("/handheld/api/login", json={"user": user, "pin": pin})
    assert reply.status_code == 200, reply.text
    doc = reply.json()
    client.headers["X-CSRF-Token"] = doc["csrf"]
    return doc


def entries(store: Path, count_id: str) -> list[tuple]:
    """The count's entries as the store PC sees them: (sku, user, qty_milli), in order."""
    import sqlite3
    conn = sqlite3.connect(store / "pos.db")
    try:
        return conn.execute("SELECT p.sku, u.username, e.qty_milli FROM count_entries e JOIN products p "
                            "ON p.id = e.product_id JOIN users u ON u.id = e.user_id WHERE e.count_id = ? "
                            "ORDER BY e.seq", (count_id,)).fetchall()
    finally:
        conn.close()


def query(store: Path, sql: str, *params: Any) -> list[tuple]:
    import sqlite3
    conn = sqlite3.connect(store / "pos.db")
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
