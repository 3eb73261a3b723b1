"""Projections from events made by the real till: sales, returns, voids, stock adjustments (with lots),
users and members. The server's figures are checked against figures computed here, independently, from the
pushed events, and its stock against the till's own ledger; another till of the store pulls the movements."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from decimal import Decimal as D

from sqlalchemy import select

from pos_desktop.core.cart import Cart
from pos_desktop.core.pricing import Discount
from pos_desktop.server import admin
from pos_desktop.server.models import Member, User
from pos_desktop.services import catalog, checkout, returns, stock
from pos_desktop.services.checkout import Tender
from pos_desktop.services.returns import ReturnRequest
from tests.conftest import CHIPS, COLA, MILK, SOAP

from .conftest import NOW, Till, enrol

TILL_CATALOG = [{"sku": "APPLE-KG", "name": "Fuji apple", "price": "12.80", "unit": "kg", "tax_rate": "0.09"}]


def _sell(ctx, operator, *codes_qty, discount=None, method="cash"):
    cart = Cart()
    for code, qty in codes_qty:
        found = catalog.lookup_scan(ctx, code)
        cart.add(found.product, found.qty * qty, barcode=found.barcode)
    if discount:
        cart.set_cart_discount(discount)
    total = cart.price(at=ctx.clock.now()).cart.total
    return checkout.complete_sale(ctx, cart, [Tender(method, total)], operator)


def _outbox(ctx) -> list[dict]:
    conn = sqlite3.connect(ctx.db.path)
    try:
        rows = conn.execute("SELECT till_seq, event_id, kind, payload, journal_hash, created_at FROM outbox "
                            "ORDER BY till_seq").fetchall()
    finally:
        conn.close()
    return [{"till_seq": s, "event_id": e, "kind": k, "payload": json.loads(p), "journal_hash": j, "created_at": c}
            for s, e, k, p, j, c in rows]


def _expected(events: list[dict]) -> dict[str, dict[str, int]]:
    """Per business date: sales not voided, voids, returns, net — from the events alone."""
    voided = {e["payload"]["sale_id"] for e in events if e["kind"] == "sale.voided"}
    days: dict[str, dict[str, int]] = defaultdict(lambda: {"sales_count": 0, "returns_count": 0,
                                                           "voids_count": 0, "net_sales_minor": 0})
    for e in events:
        if e["kind"] == "sale.completed":
            sale = e["payload"]["sale"]
            day = days[sale["business_date"]]
            if sale["id"] in voided:
                day["voids_count"] += 1
            else:
                day["sales_count"] += 1
                day["net_sales_minor"] += sale["total_minor"]
        elif e["kind"] == "sale.returned":
            ret = e["payload"]["return"]
            days[ret["business_date"]]["returns_count"] += 1
            days[ret["business_date"]]["net_sales_minor"] -= ret["total_minor"]
    return dict(days)


def test_the_till_s_own_events_project_to_the_same_figures_and_stock(server, ctx, cashier, supervisor, manager):
    admin.create_store(server.db, NOW, "S01", "测试店 Test Store")
    assert admin.put_products(server.db, NOW, TILL_CATALOG)["rejected"] == []
    sales = [_sell(ctx, cashier, (COLA, D(2)), (CHIPS, D(1))),
             _sell(ctx, cashier, (MILK, D(3)), discount=Discount(percent=D(10)), method="card"),
             _sell(ctx, cashier, (SOAP, D(1)), (COLA, D(1))),
             _sell(ctx, cashier, (CHIPS, D(2)))]
    returns.return_items(ctx, cashier, receipt_no=sales[0].receipt_no, lines=[ReturnRequest(1, D(1))])
    returns.void_sale(ctx, supervisor, receipt_no=sales[2].receipt_no, reason="wrong item")
    stock.adjust_stock(ctx, manager, sku="MILK", location="BACK", qty_delta=D(24), reason="found", lot="L2611")
    stock.adjust_stock(ctx, manager, sku="SOAP", location="FLOOR", qty_delta=D(-2), reason="damaged")
    events = _outbox(ctx)
    assert {e["kind"] for e in events} >= {"sale.completed", "sale.returned", "sale.voided", "stock.adjusted",
                                           "user.created", "member.enrolled"}

    till = enrol(server, "S01", "T01")
    for start in range(0, len(events), 7):
        assert till.push_ok(events[start:start + 7])["acked_through"] == min(start + 7, len(events))
    assert admin.event_errors(server.db, "S01") == []

    for day, figures in _expected(events).items():
        reply = till.get("summary", date=day).json()
        assert {k: reply[k] for k in figures} == figures, day
    total = _expected(events)
    summary = admin.summary(server.db, "S01")
    assert summary["sales_count"] == sum(d["sales_count"] for d in total.values()) == 3
    assert summary["returns_count"] == 1 and summary["voids_count"] == 1
    assert D(summary["net_sales"]) * 100 == sum(d["net_sales_minor"] for d in total.values())
    assert summary["by_till"]["T01"]["acked_through_seq"] == len(events)

    server_stock = admin.stock(server.db, "S01")
    assert server_stock == stock.stock_list(ctx)
    assert {"sku": "MILK", "location": "BACK", "batch": "L2611", "expiry": None, "qty": "24.000"} in server_stock
    with server.db.read() as session:
        assert {"amy", "sam", "mia", "ken"} <= set(session.scalars(select(User.username)))
        assert session.scalar(select(Member.name).where(Member.code == "M0001")) == "王芳"

    other = enrol(server, "S01", "T02")
    changes, _cursor = other.pull_all(limit=3)
    pulled = [c["data"] for c in changes if c["kind"] == "movement"]
    pushed = [m for e in events for m in e["payload"].get("movements", [])]
    assert sorted(m["id"] for m in pulled) == sorted(m["id"] for m in pushed)
    on_hand: dict[tuple, int] = defaultdict(int)
    for m in pulled:
        on_hand[(m["sku"], m["location"], m["lot"])] += m["qty_milli"]
    till_levels = {(r["sku"], r["location"], r["batch"]): int(D(r["qty"]) * 1000) for r in stock.stock_list(ctx)}
    assert {k: v for k, v in on_hand.items() if v} == till_levels
    users = {c["data"]["username"] for c in changes if c["kind"] == "user"}
    assert {"amy", "sam", "mia", "ken"} <= users     # users made at a till reach the store's other tills
    assert isinstance(till, Till)


def test_a_movement_pushed_twice_counts_once(server):
    from .conftest import adjust_payload, new_store
    store = new_store(server)
    a, b = enrol(server, store, "T01"), enrol(server, store, "T02")
    payload = adjust_payload("SOAP", 5000)
    a.push_ok([a.event("stock.adjusted", payload)])
    b.push_ok([b.event("stock.adjusted", payload)])    # the same movement id in another event
    assert admin.stock(server.db, store) == [{"sku": "SOAP", "location": "BACK", "batch": None, "expiry": None,
                                              "qty": "5.000"}]
