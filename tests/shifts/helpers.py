"""A generated trading day through the real checkout, returns and voids, remembered as the services answered
it (receipts and return results), so the tests can compute every report figure on their own."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal as D
from typing import Any

from pos_desktop.core.cart import Cart
from pos_desktop.core.errors import InvalidInput
from pos_desktop.core.money import ZERO
from pos_desktop.core.pricing import Discount
from pos_desktop.core.receipt import Receipt
from pos_desktop.services import catalog, checkout, returns
from pos_desktop.services.checkout import Tender
from pos_desktop.services.products import ProductRow, upsert_products
from pos_desktop.services.returns import ReturnRequest, ReturnResult
from pos_desktop.services.unit import write

# The seeded catalog of tests/conftest.py plus two more tax rates (6 % and 0 %).
EXTRA = [ProductRow("TEA", "龙井茶 Longjing tea 100g", D("58.00"), tax_rate=D("0.06"), category="茶叶 Tea"),
         ProductRow("BOOK", "新华字典 Xinhua dictionary", D("19.90"), tax_rate=D("0.00"), category="图书 Books")]
CATEGORY = {"COLA": "饮料 Drinks", "CHIPS": "零食 Snacks", "MILK": "乳制品 Dairy", "SOAP": "个人护理 Personal care",
            "APPLE-KG": "水果 Fruit", "TEA": "茶叶 Tea", "BOOK": "图书 Books"}
SKUS = list(CATEGORY)


def add_products(ctx) -> None:
    """TEA and BOOK, priced from the day before (the generated day starts at 08:00)."""
    now = ctx.clock.now()
    ctx.clock.set(now - timedelta(days=1))
    try:
        with write(ctx) as unit:
            upsert_products(unit, EXTRA, 2)
    finally:
        ctx.clock.set(now)


def give_points(ctx, code: str = "M0001", points: int = 100_000) -> None:
    from pos_desktop.services import members

    with write(ctx) as unit:
        member = members.find_member(unit, code)
        members.post_points(unit, member.id, points, "adjust", "test")


def cart_of(ctx, *items: tuple[str, str | D]) -> Cart:
    cart = Cart()
    for sku, qty in items:
        cart.add(catalog.find_product(ctx, sku=sku), D(str(qty)))
    return cart


def due(ctx, cart: Cart, cash: bool) -> D:
    from pos_desktop.core.pricing import CashRounding, cash_rounding

    total = cart.price(at=ctx.clock.now(), promotions=ctx.promotions(), tax_inclusive=True, places=2).cart.total
    if cash:
        total += cash_rounding(total, CashRounding(ctx.setting("cash_rounding")), 2)
    return total


def sell(ctx, operator, *items: tuple[str, str | D], pay: str = "cash", tendered: str | None = None) -> Receipt:
    cart = cart_of(ctx, *items)
    amount = D(tendered) if tendered else due(ctx, cart, pay == "cash")
    return checkout.complete_sale(ctx, cart, [Tender(pay, amount)], operator)


@dataclass
class Day:
    """What happened: every receipt (with whether it was voided and who sold it) and every return."""

    sales: list[tuple[Receipt, str, bool]] = field(default_factory=list)  # receipt, username, voided
    returns: list[tuple[ReturnResult, str, Receipt]] = field(default_factory=list)  # result, username, original


def generate_day(ctx, clock, cashiers: list[Any], supervisor, *, sales: int = 60, seed: int = 7,
                 start: datetime | None = None) -> Day:
    """``sales`` sales from 08:00 on the clock's day with discounts, members, split tenders, points, voids
    and returns (cash, card and split refunds)."""
    rng = random.Random(seed)
    day = Day()
    at = (start or clock.now()).replace(hour=8, minute=0, second=0)
    for n in range(sales):
        at += timedelta(minutes=rng.randint(3, 13))
        clock.set(at)
        who = rng.choice(cashiers)
        receipt = _random_sale(ctx, rng, who)
        voided = False
        if rng.random() < 0.08:
            clock.set(at + timedelta(seconds=30))
            returns.void_sale(ctx, supervisor, receipt_no=receipt.receipt_no, reason="顾客取消 changed mind")
            voided = True
        day.sales.append((receipt, who.username, voided))
        if n > 5 and rng.random() < 0.15:
            _random_return(ctx, rng, day, who, at + timedelta(minutes=1))
    return day


def _random_sale(ctx, rng: random.Random, who) -> Receipt:
    cart = Cart()
    for sku in rng.sample(SKUS, rng.randint(1, 4)):
        qty = D(rng.randint(150, 2500)) / 1000 if sku == "APPLE-KG" else D(rng.choice((1, 1, 2, 3)))
        cart.add(catalog.find_product(ctx, sku=sku), qty)
    if rng.random() < 0.25:
        cart.set_line_discount(1, Discount(percent=D(rng.choice((5, 10)))))
    if rng.random() < 0.15:
        cart.set_cart_discount(Discount(percent=D(rng.choice((2, 5)))))
    member = rng.random() < 0.3
    if member:
        cart.set_customer("M0001", "M0001")
    kind = rng.choice(("cash", "cash", "card", "qr", "split", "points", "voucher"))
    if kind == "points" and not member:
        kind = "cash"
    total = due(ctx, cart, kind in ("cash", "split", "points"))
    tenders = _tenders(rng, kind, total, due(ctx, cart, False))
    try:
        return checkout.complete_sale(ctx, cart, tenders, who)
    except InvalidInput:  # e.g. a points payment that does not come to whole points: pay cash instead
        return checkout.complete_sale(ctx, cart, [Tender("cash", total + 100)], who)


def _tenders(rng: random.Random, kind: str, cash_due: D, exact: D) -> list[Tender]:
    if kind == "cash":
        note = next(n for n in (10, 20, 50, 100, 200, 500, 1000) if n >= cash_due)
        return [Tender("cash", D(note) if rng.random() < 0.7 else cash_due)]
    if kind in ("card", "qr", "voucher"):
        return [Tender(kind, exact)]
    part = (exact * D(rng.choice((20, 50, 80))) / 100).quantize(D("0.01"))
    if part <= ZERO or part >= exact:
        return [Tender("cash", cash_due + 10)]
    if kind == "points":
        return [Tender("points", part), Tender("cash", cash_due - part + 5)]
    return [Tender("card", part), Tender("cash", cash_due - part + 20)]


def _random_return(ctx, rng: random.Random, day: Day, who, at: datetime) -> None:
    candidates = [r for r, _who, voided in day.sales if not voided]
    original = rng.choice(candidates)
    line = rng.choice(original.lines)
    qty = min(line.qty, D(1)) if line.sku != "APPLE-KG" else (line.qty / 2).quantize(D("0.001"))
    already = sum(D(str(l["qty"])) for r, _w, o in day.returns if o.receipt_no == original.receipt_no
                  for l in r.lines if l["sale_line_no"] == line.line_no)
    if already + qty > line.qty or qty <= 0:
        return
    ctx.clock.set(at)
    method = rng.choice(("cash", "card", "split"))
    try:
        if method == "split":  # half by card, the rest in cash: the amount as the service works it out
            last = already + qty == line.qty
            done = sum(D(str(l["amount"])) for r, _w, o in day.returns if o.receipt_no == original.receipt_no
                       for l in r.lines if l["sale_line_no"] == line.line_no)
            amount = line.net - done if last else (line.net * qty / line.qty).quantize(D("0.01"), ROUND_HALF_UP)
            card = (amount / 2).quantize(D("0.01"))
            refunds = [Tender("card", card), Tender("cash", amount - card)] if card > 0 and amount - card > 0 \
                else None
            result = returns.return_items(ctx, who, receipt_no=original.receipt_no,
                                          lines=[ReturnRequest(line.line_no, qty)], refunds=refunds,
                                          reason="质量问题 quality")
        else:
            result = returns.return_items(ctx, who, receipt_no=original.receipt_no,
                                          lines=[ReturnRequest(line.line_no, qty)], reason="质量问题 quality",
                                          refund_method=method)
    except InvalidInput:
        return
    day.returns.append((result, who.username, original))


def rows(ctx, query: str, *params: Any) -> list[tuple]:
    conn = sqlite3.connect(ctx.db.path)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()
