"""A small, deterministic trading history made through the real services, once per test process, copied per test.

Three weeks (Monday 2026-11-23 … Sunday 2026-12-13) on the seeded till of tests/conftest.py: five cashiers
(amy, bob, cat, dan, eve) and a supervisor (sam) ring up 8–16 sales a day between 08:00 and 20:59 — line
discounts, cart discounts, weighed apples, members M0001–M0006, cash and card — through ``checkout``; ``dan``
has many of his sales voided and opens the drawer without a sale a lot; some sales are returned in part a few
days later; stock comes in as opening movements, and goes out through adjustments (damaged, lost, found) and a
posted count; milk has no cost. Every figure a report shows is recomputed by the tests from these rows.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from datetime import date, datetime, time, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest

from pos_desktop.core.cart import Cart
from pos_desktop.core.clock import FixedClock
from pos_desktop.core.pricing import Discount
from pos_desktop.services import auth, catalog, checkout, counts, drawer, members, returns, stock, till
from pos_desktop.services.checkout import Tender
from pos_desktop.services.unit import Movement, write
from tests.conftest import TZ

FIRST = date(2026, 11, 23)
DAYS = 21
LAST = FIRST + timedelta(days=DAYS - 1)
AFTER = datetime.combine(LAST + timedelta(days=1), time(9, 0), TZ)
CASHIERS = ("amy", "bob", "cat", "dan", "eve")
SKUS = ("COLA", "CHIPS", "MILK", "SOAP", "APPLE-KG")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def _build(folder: Path) -> None:
    clock = FixedClock(at(FIRST, 7))
    ctx = till.open_till(folder, clock)
    rng = random.Random(7)
    try:
        admin = auth.login(ctx, "admin", "1234")
        for name in ("bob", "cat", "dan", "eve"):
            auth.add_user(ctx, admin, name, "cashier", "1111")
        for i in range(2, 7):
            members.enrol_member(ctx, admin, code=f"M{i:04d}", name=f"会员{i}", phone=f"1380000000{i}")
        people = {name: auth.login(ctx, name, "1111") for name in CASHIERS if name != "amy"}
        people["amy"] = auth.login(ctx, "amy", "1111")
        sam, mia, ken = auth.login(ctx, "sam", "3333"), auth.login(ctx, "mia", "9999"), auth.login(ctx, "ken", "4444")
        _opening(ctx)
        with write(ctx) as unit:                      # milk's cost is not known: its lines carry none
            unit.conn.execute("UPDATE products SET cost_minor = NULL WHERE sku = 'MILK'")
        to_return: list[tuple[date, str, int]] = []
        for offset in range(DAYS):
            day = FIRST + timedelta(days=offset)
            n = 8 + rng.randrange(5) + (4 if day.weekday() >= 5 else 0)
            minutes = sorted(rng.randrange(8 * 60, 21 * 60) for _i in range(n))
            for k, minute in enumerate(minutes):
                clock.set(at(day, minute // 60, minute % 60))
                who = CASHIERS[(offset + k) % len(CASHIERS)]
                receipt = _sale(ctx, rng, people[who], mia)
                if who == "dan" and rng.random() < 0.35 or rng.random() < 0.03:
                    clock.advance(minutes=1)
                    returns.void_sale(ctx, people[who], receipt_no=receipt.receipt_no, reason="顾客取消 cancelled",
                                      approver=sam)
                elif rng.random() < 0.12:
                    to_return.append((day + timedelta(days=rng.randrange(0, 3)), receipt.receipt_no, len(receipt.lines)))
            for _when, no, _lines in [r for r in to_return if r[0] == day]:
                clock.set(at(day, 21, 30))
                returns.return_items(ctx, people[CASHIERS[offset % 5]], receipt_no=no,
                                     lines=[returns.ReturnRequest(1, D(1))], reason="质量问题 quality")
            clock.set(at(day, 21, 40))
            if offset % 2 == 0:
                drawer.record_no_sale(ctx, people["dan"], reason="换零钱 change", approver=sam)
            if offset % 7 == 3:
                drawer.record_no_sale(ctx, people[CASHIERS[offset % 5]], reason="换零钱 change", approver=sam)
            if offset == 4:
                stock.adjust_stock(ctx, mia, sku="COLA", location="FLOOR", qty_delta=D(-3), reason="damaged")
            if offset == 9:
                stock.adjust_stock(ctx, mia, sku="CHIPS", location="BACK", qty_delta=D(-2), reason="lost")
                stock.adjust_stock(ctx, mia, sku="SOAP", location="FLOOR", qty_delta=D(1), reason="found")
            if offset == 15:
                _count_soap(ctx, ken, mia)
    finally:
        ctx.close()


def _opening(ctx) -> None:  # type: ignore[no-untyped-def]
    back = sqlite3.connect(ctx.db.path).execute("SELECT id FROM locations WHERE code = 'BACK'").fetchone()[0]
    with write(ctx) as unit:
        unit.insert("stock_documents", {"id": "opening", "kind": "opening", "reason": "opening",
                                        "location_id": ctx.till.floor_location_id, "user_id": None,
                                        "approver_id": None, "note": "test opening", "created_at": unit.at})
        for sku, floor_qty, back_qty in (("COLA", 600, 200), ("CHIPS", 400, 100), ("SOAP", 400, 40),
                                         ("APPLE-KG", 300, 0), ("MILK", 0, 0)):
            product = catalog.find_product(ctx, sku=sku)
            for loc, q in ((ctx.till.floor_location_id, floor_qty), (back, back_qty)):
                if q:
                    unit.move(Movement(product.id, loc, q * 1000, "opening", None, None), doc_type="opening",
                              doc_id="opening", user_id=None)


def _sale(ctx, rng: random.Random, cashier, manager):  # type: ignore[no-untyped-def]
    cart = Cart()
    for sku in rng.sample(SKUS[:4], rng.randrange(1, 4)):
        product = catalog.find_product(ctx, sku=sku)
        line = cart.add(product, D(rng.randrange(1, 4)))
        if rng.random() < 0.15:
            cart.set_line_discount(line.line_no, Discount(percent=D(5)))
    if rng.random() < 0.3:
        cart.add(catalog.find_product(ctx, sku="APPLE-KG"), D(rng.randrange(200, 1500)) / 1000)
    if rng.random() < 0.1:
        cart.set_cart_discount(Discount(amount=D("0.50")))
    if rng.random() < 0.4:
        code = f"M{rng.randrange(1, 7):04d}"
        cart.set_customer(None, code)
    priced = cart.price(at=ctx.clock.now(), promotions=[], tax_inclusive=True, places=2)
    total = priced.cart.total
    tender = Tender("card", total) if rng.random() < 0.4 else Tender("cash", (total + 20).quantize(D(1)))
    return checkout.complete_sale(ctx, cart, [tender], cashier, approver=manager)


def _count_soap(ctx, ken, mia) -> None:  # type: ignore[no-untyped-def]
    soap = catalog.find_product(ctx, sku="SOAP")
    expected = stock.on_hand(ctx, soap.id, "FLOOR")
    count = counts.start_count(ctx, ken, location="FLOOR", category="个人护理 Personal care")
    counts.record_count(ctx, ken, count.id, sku="SOAP", qty=expected - 4, replace=True)
    counts.finish_count(ctx, ken, count.id)
    counts.approve_count(ctx, mia, count.id)


@pytest.fixture(scope="session")
def history_dir(template_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("history") / "till"
    shutil.copytree(template_dir, folder)
    _build(folder)
    return folder


@pytest.fixture
def hclock() -> FixedClock:
    return FixedClock(AFTER)


@pytest.fixture
def hctx(history_dir: Path, tmp_path: Path, hclock: FixedClock):
    """A fresh copy of the three-week history, its clock the morning after the last day."""
    folder = tmp_path / "history"
    shutil.copytree(history_dir, folder)
    context = till.open_till(folder, hclock)
    yield context
    context.close()


def raw(ctx, query: str, *params) -> list[tuple]:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(ctx.db.path)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()
