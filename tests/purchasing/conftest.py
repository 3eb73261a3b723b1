"""Fixtures of the purchasing tests: the seeded till of ``tests/conftest.py`` (users amy cashier, sam
supervisor, mia manager, ken stock clerk, admin; COLA of supplier SUP01, MILK tracked by lot and expiry), a
stock clerk, and helpers that read what a service wrote."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from pos_desktop.services import auth, suppliers
from pos_desktop.services.suppliers import Contact, SupplierInput


@pytest.fixture
def clerk(ctx):
    return auth.login(ctx, "ken", "4444")


@pytest.fixture
def sup01(ctx, manager):
    """SUP01 with terms, a contact, COLA in packs of 6 at 2.00, MILK at 1.80."""
    suppliers.save_supplier(ctx, manager, SupplierInput("SUP01", "太古可口可乐 Swire Coca-Cola", 3, D("100.00"), 30,
                                                        (Contact("王经理 Wang", "13900000000", "wang@swire.cn"),)))
    suppliers.set_item(ctx, manager, supplier="SUP01", sku="COLA", price=D("2.00"), pack_qty=D(6))
    suppliers.set_item(ctx, manager, supplier="SUP01", sku="MILK", price=D("1.80"))
    return "SUP01"


def rows(ctx, query: str, *params: Any) -> list[tuple]:
    conn = sqlite3.connect(ctx.db.path)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


def levels(ctx, sku: str) -> dict[tuple[str, str | None, str | None], str]:
    """(location, lot, expiry) → on-hand, for one product (zeros left out)."""
    found = rows(ctx, """SELECT l.code, b.lot, b.expiry, sl.qty_milli FROM stock_levels sl
                         JOIN products p ON p.id = sl.product_id JOIN locations l ON l.id = sl.location_id
                         LEFT JOIN batches b ON b.id = sl.batch_key WHERE p.sku = ? AND sl.qty_milli != 0""", sku)
    return {(loc, lot, expiry): str(D(q) / 1000) for loc, lot, expiry, q in found}


def cost(ctx, sku: str) -> int | None:
    return rows(ctx, "SELECT cost_minor FROM products WHERE sku = ?", sku)[0][0]


def events(ctx, kind: str) -> list[dict[str, Any]]:
    return [json.loads(p) for (p,) in rows(ctx, "SELECT payload FROM outbox WHERE kind = ? ORDER BY till_seq", kind)]


def journal_kinds(ctx) -> list[str]:
    return [k for (k,) in rows(ctx, "SELECT kind FROM journal ORDER BY seq")]


def db_state(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables if t != "users"}
    finally:
        conn.close()
