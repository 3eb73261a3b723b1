"""Inventory turnover, days of stock and shrinkage, against the stock ledger read row by row."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal as D

import pytest

from pos_desktop.services.reports import inventory, shrinkage
from tests.reports.conftest import FIRST, LAST, raw
from tests.reports.expected import Raw, cents, half_up, margins

WEEK = (FIRST + timedelta(days=7), FIRST + timedelta(days=13))


def _ledger(ctx):  # type: ignore[no-untyped-def]
    return raw(ctx, """SELECT p.sku, c.name, p.cost_minor, m.qty_milli, m.reason, substr(m.created_at, 1, 10)
                       FROM stock_movements m JOIN products p ON p.id = m.product_id
                       LEFT JOIN categories c ON c.id = p.category_id JOIN locations l ON l.id = m.location_id
                       WHERE l.kind NOT IN ('transit', 'quarantine')""")


def test_turnover_and_days_of_stock_per_item(hctx):
    lo, hi = (d.isoformat() for d in WEEK)
    stock = defaultdict(lambda: [0, 0, 0])                   # opening, closing, sold (thousandths)
    for sku, _cat, _cost, q, reason, day in _ledger(hctx):
        s = stock[sku]
        if day < lo:
            s[0] += q
        if day <= hi:
            s[1] += q
        if lo <= day <= hi and reason in ("sale", "void", "return"):
            s[2] -= q
    report = inventory.turnover_report(hctx, *WEEK, by="product", sort="sku")
    rows = {r["sku"]: r for r in report.main.rows}
    assert set(rows) == set(stock)
    for sku, (opening, closing, sold) in stock.items():
        r = rows[sku]
        assert (r["opening"], r["closing"], r["sold"]) == (D(opening) / 1000, D(closing) / 1000, D(sold) / 1000)
        average = D(opening + closing) / 2
        assert r["turnover"] == ((D(sold) / average).quantize(D("0.01")) if average > 0 else None), sku
        assert r["days_of_stock"] == ((D(max(closing, 0)) * 7 / sold).quantize(D("0.1")) if sold > 0 else None)
    assert rows["COLA"]["sold"] > 0 and rows["COLA"]["turnover"] > 0


def test_turnover_per_category_is_in_value_at_cost(hctx):
    lo, hi = (d.isoformat() for d in WEEK)
    per_item = defaultdict(lambda: [0, 0, 0])
    cats, costs = {}, {}
    for sku, cat, cost, q, reason, day in _ledger(hctx):
        cats[sku], costs[sku] = cat, cost or 0
        s = per_item[sku]
        s[0] += q if day < lo else 0
        s[1] += q if day <= hi else 0
        s[2] -= q if lo <= day <= hi and reason in ("sale", "void", "return") else 0
    value = lambda sku, milli: half_up(D(costs[sku]) * milli / 1000)  # noqa: E731
    by_cat = defaultdict(lambda: [0, 0, 0])
    for sku, s in per_item.items():
        for i in range(3):
            by_cat[cats[sku]][i] += value(sku, s[i])
    report = inventory.turnover_report(hctx, *WEEK, by="category")
    rows = {r["category"]: r for r in report.main.rows}
    for cat, (opening, closing, sold) in by_cat.items():
        r = rows[cat]
        assert (r["opening_value"], r["stock_value"], r["sold_value"]) == (cents(opening), cents(closing), cents(sold))
        average = D(opening + closing) / 2
        assert r["turnover"] == ((D(sold) / average).quantize(D("0.01")) if average > 0 else None)
    assert report.main.totals["sold_value"] == sum(r["sold_value"] for r in report.main.rows)


SHRINK = {"饮料 Drinks": {"damaged": D("6.30")}, "零食 Snacks": {"lost": D("10.00")},
          "个人护理 Personal care": {"found": D("-3.00"), "count": D("12.00")}}


def test_shrinkage_by_category_values_each_loss_at_cost(hctx):
    report = shrinkage.shrinkage_report(hctx, FIRST, LAST)
    rows = {r["category"]: r for r in report.main.rows}
    expected = margins(Raw.read(hctx.db.path), FIRST, LAST, "category")
    assert set(rows) == set(expected)                      # every category that sold, losses or not
    for cat, row in rows.items():
        by_reason = SHRINK.get(cat, {})
        for reason in shrinkage.REASONS:
            assert row[reason] == by_reason.get(reason, D("0.00")), (cat, reason)
        lost = sum(by_reason.values(), D(0))
        assert row["shrink_value"] == lost
        assert row["cogs"] == cents(expected[cat].cost)
        cost = cents(expected[cat].cost)
        assert row["shrink_rate"] == ((lost * 100 / cost).quantize(D("0.01")) if cost else None)
        assert row["shrink_pct_of_sales"] == (lost * 100 / cents(expected[cat].net)).quantize(D("0.01"))
    assert report.main.rows[0]["category"] == "零食 Snacks"               # the largest loss first
    assert report.main.totals["shrink_value"] == D("25.30")


def test_shrinkage_by_reason_and_by_item(hctx):
    by_reason = {r["reason"]: r for r in shrinkage.shrinkage_report(hctx, FIRST, LAST, "reason").main.rows}
    assert {k: v["shrink_value"] for k, v in by_reason.items()} == {
        "Damaged": D("6.30"), "Lost": D("10.00"), "Found": D("-3.00"), "Counts": D("12.00")}
    items = {r["sku"]: r for r in shrinkage.shrinkage_report(hctx, FIRST, LAST, "product").main.rows}
    assert items["SOAP"]["qty"] == D(3) and items["SOAP"]["movements"] == 2
    assert items["COLA"]["qty"] == D(3) and items["COLA"]["shrink_rate"] is not None


@pytest.mark.parametrize("by", ["category", "reason"])
def test_a_range_before_the_losses_shows_none(hctx, by):
    report = shrinkage.shrinkage_report(hctx, FIRST, FIRST + timedelta(days=3), by)
    assert report.main.totals["shrink_value"] == D("0.00")
