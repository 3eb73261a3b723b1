"""Replenishment on a generated history with a known demand.

Each product sells a Poisson number of units a day with mean λ × the weekday's factor (the factors average 1,
so λ is the true mean daily demand). 90 days are written through the ledger (one sale movement per product
and day, by the clock of that day). The test then checks that the weighted velocity and σ are close to the
truth, and that the suggested quantity lies between the quantities the rule gives for the low and the high
end of that closeness — so it is right for the demand, not merely self-consistent.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta
from decimal import Decimal as D

import pytest

from pos_desktop.core.errors import IntegrityFailure, InvalidInput, PermissionDenied
from pos_desktop.core.ids import new_id
from pos_desktop.services import purchasing, receiving, replenishment, stock, suppliers
from pos_desktop.services.products import ProductRow, upsert_products
from pos_desktop.services.replenishment import Policy
from pos_desktop.services.unit import Movement, write
from tests.conftest import T0

from .conftest import rows

WEEKDAY = (0.85, 0.8, 0.9, 0.95, 1.1, 1.3, 1.1)          # Monday … Sunday; mean 1.0
# sku: (λ per day, supplier, pack, on hand at the end)
PRODUCTS = {
    "FAST": (30.0, "QUICK", 24, 40),
    "MID": (12.0, "QUICK", 12, 0),
    "SLOWISH": (5.0, "FAR", 6, 10),
    "RARE": (1.0, "FAR", 1, 0),
    "STOCKED": (4.0, "FAR", 1, 500),                     # plenty on hand: nothing to order
}
LEAD = {"QUICK": 2, "FAR": 7}


def poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


@pytest.fixture
def history(ctx, clock, manager):
    """The products above, their suppliers, 90 days of sales ending yesterday, and today's stock."""
    for code, lead in LEAD.items():
        suppliers.save_supplier(ctx, manager, suppliers.SupplierInput(code, code.title(), lead, D(0)))
    with write(ctx) as unit:
        upsert_products(unit, [ProductRow(sku, sku.title(), D("9.90"), cost=D("5.00"), supplier=supplier)
                               for sku, (_lam, supplier, _pack, _stock) in PRODUCTS.items()], 2)
    for sku, (_lam, supplier, pack, _stock) in PRODUCTS.items():
        suppliers.set_item(ctx, manager, supplier=supplier, sku=sku, pack_qty=D(pack), price=D("5.00"))
    ids = dict(rows(ctx, "SELECT sku, id FROM products"))
    rng = random.Random(20261120)
    floor = ctx.till.floor_location_id
    for age in range(90, 0, -1):
        clock.set(T0 - timedelta(days=age))
        factor = WEEKDAY[clock.now().weekday()]
        with write(ctx) as unit:
            doc = new_id()
            for sku, (lam, *_rest) in PRODUCTS.items():
                qty = poisson(rng, lam * factor)
                if qty:
                    unit.move(Movement(ids[sku], floor, -qty * 1000, "sale"), doc_type="sale", doc_id=doc,
                              user_id=None)
    clock.set(T0)
    with write(ctx) as unit:      # today's stock: the history's sales undone, then what is on the shelf
        for sku, (_lam, _supplier, _pack, on_hand) in PRODUCTS.items():
            sold = -rows(ctx, "SELECT sum(qty_milli) FROM stock_movements WHERE product_id = ?", ids[sku])[0][0]
            unit.move(Movement(ids[sku], floor, sold + on_hand * 1000, "opening"), doc_type="opening",
                      doc_id=new_id(), user_id=None)
    return ids


def expected_sigma(lam: float) -> float:
    """σ of daily demand: Poisson noise plus the weekly pattern."""
    mean_f2 = sum(f * f for f in WEEKDAY) / 7
    return math.sqrt(lam + lam * lam * (mean_f2 - 1))


def rule_qty(v: float, sigma: float, lead: int, position: float, pack: int, policy: Policy) -> int:
    rop = v * lead + policy.z * sigma * math.sqrt(lead)
    if position > rop:
        return 0
    need = rop + v * policy.review_days - position
    return math.ceil(need / pack) * pack


def tolerance(lam: float) -> float:
    """How far the weighted velocity may be from λ: three standard errors of a 14-day half-life average, plus
    a little for the weekday the window ends on."""
    alpha = Policy().alpha
    return 0.05 + 3 * math.sqrt(alpha / (2 - alpha)) * expected_sigma(lam) / lam


def test_suggestions_fall_within_the_range_the_known_demand_gives(ctx, history):
    policy = Policy()
    groups = replenishment.suggest(ctx, policy)
    lines = {line.sku: (group.supplier, line) for group in groups for line in group.lines}
    assert "STOCKED" not in lines                      # 500 on hand is far above its reorder point
    assert {sku for sku in lines} >= {"FAST", "MID", "SLOWISH", "RARE"}
    for sku, (lam, supplier, pack, on_hand) in PRODUCTS.items():
        if sku == "STOCKED":
            continue
        got_supplier, line = lines[sku]
        tol = tolerance(lam)
        assert got_supplier == supplier and line.lead_time_days == LEAD[supplier]
        assert abs(line.velocity - lam) <= tol * lam, (sku, line.velocity, lam, tol)
        sigma = expected_sigma(lam)
        assert 0.6 * sigma <= line.sigma <= 1.5 * sigma, (sku, line.sigma, sigma)
        low = rule_qty(lam * (1 - tol), 0.6 * sigma, LEAD[supplier], on_hand, pack, policy)
        high = rule_qty(lam * (1 + tol), 1.5 * sigma, LEAD[supplier], on_hand, pack, policy)
        assert low <= line.qty <= high, (sku, line.qty, low, high)
        assert line.qty % pack == 0 and line.on_hand == on_hand and line.on_order == 0


def test_each_suggestion_explains_itself_in_words_and_numbers(ctx, history):
    [quick] = [g for g in replenishment.suggest(ctx, supplier="QUICK")]
    fast = next(line for line in quick.lines if line.sku == "FAST")
    shown = fast.to_json(2)
    for words in ("sells", "/day", "lead time 2 d", "safety stock", "× √2", "95 % service", "reorder point",
                  "on hand 40", "on order 0", "order up to", "packs of 24"):
        assert words in fast.reason, (words, fast.reason)
    assert f"sells {fast.velocity:.2f}".rstrip("0").rstrip(".") in fast.reason
    assert shown["qty"] == f"{fast.qty}" and shown["pack_qty"] == "24.000" and shown["on_hand"] == "40.000"
    assert set(shown) >= {"sku", "qty", "reason", "velocity", "sigma", "lead_time_days", "safety_stock",
                          "reorder_point", "on_hand", "on_order", "unit_cost", "value"}
    assert quick.to_json(2)["supplier"] == "QUICK"


def test_a_higher_service_level_keeps_more_safety_stock(ctx, history):
    low = {ln.sku: ln for g in replenishment.suggest(ctx, Policy(service_level=0.8)) for ln in g.lines}
    high = {ln.sku: ln for g in replenishment.suggest(ctx, Policy(service_level=0.99)) for ln in g.lines}
    assert high["MID"].safety_stock > low["MID"].safety_stock
    assert high["MID"].qty >= low["MID"].qty


def test_stock_on_order_and_in_drafts_is_counted_and_quarantine_is_not(ctx, history, manager, clerk):
    first = {ln.sku: ln for g in replenishment.suggest(ctx) for ln in g.lines}
    # MID: order what was suggested and send it; FAR's drafts come from the suggestion itself
    po = purchasing.create_po(ctx, manager, supplier="QUICK", lines=[purchasing.PoLineInput("MID", first["MID"].qty)])
    purchasing.send_po(ctx, manager, po["po"])
    numbers = replenishment.create_drafts(ctx, manager, [g for g in replenishment.suggest(ctx) if g.supplier == "FAR"])
    assert len(numbers) == 1 and purchasing.po_details(ctx, numbers[0])["source"] == "suggestion"
    again = {ln.sku: ln for g in replenishment.suggest(ctx) for ln in g.lines}
    assert "MID" not in again and "SLOWISH" not in again and "RARE" not in again
    assert "FAST" in again
    # goods rejected into quarantine do not make the shelf fuller
    receiving.receive_goods(ctx, clerk, receiving.ReceiptInput((receiving.ReceiptLineInput(
        sku="FAST", qty=D(500), rejected_qty=D(500), reject_reason="wrong flavour"),)))
    assert replenishment.suggest(ctx, supplier="QUICK")[0].lines[0].on_hand == 40


def test_the_supplier_minimum_is_reached_on_the_line_that_runs_out_first(ctx, history, manager):
    suppliers.save_supplier(ctx, manager, suppliers.SupplierInput("FAR", "Far", 7, D("2000.00")))
    [far] = replenishment.suggest(ctx, supplier="FAR")
    plain = {ln.sku: ln for g in replenishment.suggest(ctx, supplier="FAR") for ln in g.lines}
    assert far.total >= D("2000.00")
    topped_value = max(ln.pack_qty * ln.unit_cost for ln in far.lines if ln.topped_up)
    assert far.total - topped_value < D("2000.00")                   # not a pack more than needed
    topped = [ln for ln in far.lines if ln.topped_up]
    assert topped and all("minimum order value 2000.00" in ln.reason for ln in topped)
    assert plain.keys() == {ln.sku for ln in far.lines}


def test_catalog_reorder_point_and_products_without_sales(ctx, manager):
    # SOAP has no sales; a catalog reorder point of 20 with 5 on hand asks for an order (no supplier: last)
    with write(ctx) as unit:
        upsert_products(unit, [ProductRow("SOAP", "舒肤佳香皂 Safeguard soap", D("4.50"), cost=D("3.00"),
                                          reorder_point=D(20), reorder_qty=D(30))], 2)
    stock.adjust_stock(ctx, manager, sku="SOAP", location="BACK", qty_delta=D(5), reason="found")
    groups = replenishment.suggest(ctx)
    assert [g.supplier for g in groups] == [None]
    [soap] = groups[0].lines
    assert soap.sku == "SOAP" and soap.qty == 30 and "(from the catalog)" in soap.reason   # reorder_qty floor
    assert replenishment.create_drafts(ctx, manager, groups) == []      # no supplier, no draft


def test_bad_policies_and_permissions(ctx, clerk):
    with pytest.raises(InvalidInput):
        replenishment.suggest(ctx, Policy(service_level=1.2))
    with pytest.raises(InvalidInput):
        replenishment.suggest(ctx, Policy(window_days=0))
    with pytest.raises(PermissionDenied):
        replenishment.create_drafts(ctx, clerk, [])


def test_the_daily_sales_cache_follows_the_ledger_through_sales_voids_and_returns(ctx, cashier, supervisor):
    """``sales_daily`` is kept by a trigger in the ledger's own transactions: a sale adds, a void takes back,
    a return is not demand; rebuilding it from the ledger gives the same rows."""
    from pos_desktop.core.cart import Cart
    from pos_desktop.services import catalog, checkout, returns
    from pos_desktop.services.checkout import Tender
    from pos_desktop.services.returns import ReturnRequest
    from tests.conftest import COLA, COLA_6

    def sell(code: str, qty: int):
        cart = Cart()
        found = catalog.lookup_scan(ctx, code)
        cart.add(found.product, found.qty * qty, barcode=found.barcode)
        return checkout.complete_sale(ctx, cart, [Tender("card", cart.price(at=ctx.clock.now()).cart.total)],
                                      cashier)

    sell(COLA, 3)
    kept = sell(COLA_6, 1)                                  # 6 more
    voided = sell(COLA, 2)
    returns.void_sale(ctx, supervisor, receipt_no=voided.receipt_no, reason="wrong till")
    returns.return_items(ctx, cashier, receipt_no=kept.receipt_no, lines=[ReturnRequest(1, D(1))])
    daily = "SELECT p.sku, d.day, d.qty_milli FROM sales_daily d JOIN products p ON p.id = d.product_id"
    day = T0.date().toordinal() + replenishment.JULIAN_OFFSET
    assert rows(ctx, daily) == [("COLA", day, 9000)]
    assert replenishment.rebuild_sales_daily(ctx) == 1
    assert rows(ctx, daily) == [("COLA", day, 9000)]


def test_replenishment_refuses_to_guess_when_the_cache_is_not_kept(ctx):
    """A later migration that rebuilds stock_movements (alembic batch mode) would drop the trigger."""
    assert rows(ctx, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'stock_movements'") == [
        ("stock_movements_sales_daily",)]
    with write(ctx) as unit:
        unit.conn.execute("DROP TRIGGER stock_movements_sales_daily")
    with pytest.raises(IntegrityFailure) as refused:
        replenishment.suggest(ctx)
    assert refused.value.code == "sales_history_missing" and refused.value.exit_code == 5


def test_a_short_history_counts_only_its_own_days(ctx, clock, manager):
    """A till selling for 14 days, and a product on sale for the last 10 of them: neither velocity is diluted
    by the 90-day window's empty days (weights are normalised over the days that could have sales)."""
    suppliers.save_supplier(ctx, manager, suppliers.SupplierInput("QUICK", "Quick", 2))
    clock.set(T0 - timedelta(days=30))
    with write(ctx) as unit:
        upsert_products(unit, [ProductRow("OLD", "Old", D("9.90"), cost=D(5), supplier="QUICK")], 2)
    clock.set(T0 - timedelta(days=10))
    with write(ctx) as unit:
        upsert_products(unit, [ProductRow("NEW", "New", D("9.90"), cost=D(5), supplier="QUICK")], 2)
    ids = dict(rows(ctx, "SELECT sku, id FROM products"))
    for age in range(14, 0, -1):
        clock.set(T0 - timedelta(days=age))
        with write(ctx) as unit:
            unit.move(Movement(ids["OLD"], ctx.till.floor_location_id, -10_000, "sale"), doc_type="sale",
                      doc_id=new_id(), user_id=None)
            if age <= 10:
                unit.move(Movement(ids["NEW"], ctx.till.floor_location_id, -4_000, "sale"), doc_type="sale",
                          doc_id=new_id(), user_id=None)
    clock.set(T0)
    lines = {ln.sku: ln for g in replenishment.suggest(ctx) for ln in g.lines}
    assert lines["OLD"].velocity == pytest.approx(10) and lines["OLD"].sigma == pytest.approx(0, abs=1e-6)
    assert lines["NEW"].velocity == pytest.approx(4)
