"""Replaying the demo store's trading days through the real checkout code (see ``demo``)."""

from __future__ import annotations

import itertools
import math
import random
from datetime import datetime, timedelta
from decimal import Decimal

from ..core.cart import Cart
from ..core.money import ZERO, round_half_up
from ..core.pricing import Discount
from ..store import sql
from .auth import Operator
from .checkout import Tender, record_sale
from .context import Context
from .demo_load import DemoStore
from .demo_model import HOURLY, LINES_PER_SALE, WEEKDAY, popularity, sales_per_day
from .returns import ReturnRequest, record_return, record_void
from .shifts import close_open_shift
from .unit import Unit

def replay(ctx: Context, store: DemoStore, days: int, rng: random.Random, start: datetime,
           cashier: Operator, manager: Operator) -> dict[str, int]:
    counts = {"sales": 0, "returns": 0, "voids": 0}
    recent: list[tuple[str, list[Decimal]]] = []  # receipt numbers and line quantities that may come back
    base = sales_per_day(store.products)
    cum_weights = list(itertools.accumulate(popularity(len(store.assortment))))
    for day in range(days):
        opening = (start + timedelta(days=day)).replace(hour=8, minute=0, second=0)
        wanted = int(base * WEEKDAY[opening.weekday()] * rng.uniform(0.85, 1.15))
        times = sorted(_moment(opening, rng) for _n in range(wanted))
        with ctx.db.write() as session:
            promotions = ctx.promotions(sql.dbapi(session.connection()))
            for at in times:
                unit = Unit(session, ctx, at)
                operator = manager if rng.random() < 0.1 else cashier
                cart = _cart(store, rng, cum_weights)
                receipt = record_sale(unit, cart, _tenders(cart, ctx, rng, promotions, at), operator)
                unit.flush_moves()
                counts["sales"] += 1
                if rng.random() < 0.004:
                    record_void(Unit(session, ctx, at + timedelta(minutes=1)), manager, None, receipt.receipt_no,
                                "顾客取消 customer changed mind")
                    counts["voids"] += 1
                    continue
                recent.append((receipt.receipt_no, [line.qty for line in receipt.lines]))
                if rng.random() < 0.01 and len(recent) > 20:
                    _return_one(session, ctx, rng, recent, at, cashier)
                    counts["returns"] += 1
            close_open_shift(Unit(session, ctx, opening.replace(hour=22)), manager.id, manager.username)
        recent = recent[-2000:]
    return counts


def _moment(opening: datetime, rng: random.Random) -> datetime:
    hour = rng.choices(range(len(HOURLY)), weights=HOURLY)[0]
    return opening + timedelta(hours=hour, seconds=rng.randrange(3600))


def _cart(store: DemoStore, rng: random.Random, cum_weights: list[float]) -> Cart:
    cart = Cart()
    count = max(1, min(20, int(rng.expovariate(1 / (LINES_PER_SALE - 1))) + 1))
    for product in rng.choices(store.assortment, cum_weights=cum_weights, k=count):
        if product.is_weighed:
            qty = Decimal(rng.randint(150, 2500)) / 1000
        else:
            qty = Decimal(rng.choices((1, 2, 3, 4, 6), weights=(78, 14, 4, 2, 2))[0])
        cart.add(product, qty)
    if rng.random() < 0.25:
        code = rng.choice(store.members)
        cart.set_customer(code, code)
    if rng.random() < 0.03:
        cart.set_line_discount(1, Discount(percent=Decimal(rng.choice((5, 10)))))
    return cart


def _tenders(cart: Cart, ctx: Context, rng: random.Random, promotions: list, at: datetime) -> list[Tender]:
    total = cart.price(at=at, promotions=promotions, tax_inclusive=bool(ctx.setting("tax_inclusive")),
                       places=ctx.places).cart.total
    if total <= ZERO:
        return []
    method = rng.choices(("cash", "qr", "card"), weights=(35, 50, 15))[0]
    if method != "cash":
        return [Tender(method, total)]
    note = next(n for n in (10, 20, 50, 100, 200, 500, 1000, 10**6) if n >= total)
    cash = Decimal(note) if rng.random() < 0.7 else round_half_up(Decimal(math.ceil(total)), ctx.places)
    return [Tender("cash", max(cash, total))]


def _return_one(session, ctx: Context, rng: random.Random,  # type: ignore[no-untyped-def]
                recent: list[tuple[str, list[Decimal]]], at: datetime, cashier: Operator) -> None:
    receipt_no, qtys = recent.pop(rng.randrange(len(recent) - 10))
    line_no = rng.randint(1, len(qtys))
    qty = min(Decimal(1), qtys[line_no - 1])
    record_return(Unit(session, ctx, at + timedelta(minutes=2)), cashier, None, receipt_no,
                  [ReturnRequest(line_no, qty)], None, "质量问题 quality")
