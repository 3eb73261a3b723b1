"""Gross margin per item and category, and best/worst sellers, against the raw rows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest

from pos_desktop.core.errors import InvalidInput
from pos_desktop.services.reports import margin, sellers
from tests.reports.conftest import FIRST, LAST, raw
from tests.reports.expected import Raw, cents, margins


def _pct(part: int, whole: int) -> D | None:
    return (D(part) * 100 / whole).quantize(D("0.01")) if whole else None


@pytest.mark.parametrize("by", ["product", "category"])
def test_margins_match_the_raw_rows(hctx, by):
    expected = margins(Raw.read(hctx.db.path), FIRST, LAST, by)
    report = margin.margin_report(hctx, FIRST, LAST, by)
    key = "sku" if by == "product" else "category"
    got = {r[key]: r for r in report.main.rows}
    assert set(got) == set(expected)
    for name, e in expected.items():
        r = got[name]
        assert (r["gross_sales"], r["discounts"], r["returns"], r["net_sales"]) == (
            cents(e.gross), cents(e.discounts), cents(e.returns), cents(e.net)), name
        assert (r["cost"], r["margin"], r["uncosted_sales"]) == (cents(e.cost), cents(e.margin), cents(e.uncosted))
        assert r["margin_pct"] == _pct(e.margin, e.costed_net)
        if by == "product":
            assert r["qty"] == e.qty
        else:
            assert r["products"] == len(e.skus)
    total = report.main.totals
    assert total["net_sales"] == cents(sum(e.net for e in expected.values()))
    assert total["margin"] == cents(sum(e.margin for e in expected.values()))
    assert total["net_sales"] == sum(r["net_sales"] for r in report.main.rows)    # rows add up to the total


def test_returns_are_subtracted_and_uncosted_lines_kept_apart(hctx):
    report = margin.margin_report(hctx, FIRST, LAST)
    rows = {r["sku"]: r for r in report.main.rows}
    assert rows["MILK"]["cost"] == D("0.00") and rows["MILK"]["margin_pct"] is None
    assert rows["MILK"]["uncosted_sales"] == rows["MILK"]["net_sales"] > 0
    assert any(r["returns"] > 0 for r in rows.values())
    returned = raw(hctx, "SELECT sum(rl.qty_milli) FROM return_lines rl JOIN products p ON p.id = rl.product_id "
                         "WHERE p.sku = 'COLA'")[0][0] or 0
    sold = raw(hctx, "SELECT sum(l.qty_milli) FROM sale_lines l JOIN products p ON p.id = l.product_id "
                     "WHERE p.sku = 'COLA' AND l.sale_id NOT IN (SELECT sale_id FROM sale_voids)")[0][0]
    assert rows["COLA"]["qty"] == D(sold - returned) / 1000


def test_sorting_and_limits(hctx):
    full = margin.margin_report(hctx, FIRST, LAST, sort="net_sales")
    nets = [r["net_sales"] for r in full.main.rows]
    assert nets == sorted(nets, reverse=True)
    two = margin.margin_report(hctx, FIRST, LAST, sort="net_sales", limit=2)
    assert [r["sku"] for r in two.main.rows] == [r["sku"] for r in full.main.rows[:2]]
    assert two.main.totals["net_sales"] == full.main.totals["net_sales"] and two.params["rows_total"] == 5
    assert [r["sku"] for r in margin.margin_report(hctx, FIRST, LAST, sort="sku").main.rows] == \
        ["APPLE-KG", "CHIPS", "COLA", "MILK", "SOAP"]
    with pytest.raises(InvalidInput):
        margin.margin_report(hctx, FIRST, LAST, sort="colour")


def test_a_voided_sale_counts_nowhere(hctx):
    day = LAST
    voided = raw(hctx, "SELECT count(*) FROM sale_voids v JOIN sales s ON s.id = v.sale_id "
                       "WHERE s.business_date BETWEEN ? AND ?", FIRST.isoformat(), day.isoformat())[0][0]
    assert voided > 0
    lines_of_completed = raw(hctx, "SELECT count(*) FROM sale_lines l JOIN sales s ON s.id = l.sale_id "
                                   "WHERE s.id NOT IN (SELECT sale_id FROM sale_voids)")[0][0]
    sold = margin.margin_report(hctx, FIRST, day)
    with hctx.db.raw() as conn:
        figures = margin.sold_in(conn, FIRST, day).figures
    assert sum(f.lines for f in figures.values()) == lines_of_completed
    assert sold.main.totals["gross_sales"] == cents(raw(
        hctx, "SELECT sum(subtotal_minor) FROM sales WHERE id NOT IN (SELECT sale_id FROM sale_voids)")[0][0])


def test_best_and_worst_sellers(hctx):
    expected = margins(Raw.read(hctx.db.path), FIRST, LAST)
    by_net = sorted(expected, key=lambda sku: -expected[sku].net)
    best = sellers.sellers_report(hctx, FIRST, LAST, limit=3)
    assert [r["sku"] for r in best.main.rows] == by_net[:3]
    assert [r["rank"] for r in best.main.rows] == [1, 2, 3]
    worst = sellers.sellers_report(hctx, FIRST, LAST, limit=2, worst=True)
    assert [r["sku"] for r in worst.main.rows] == list(reversed(by_net))[:2]
    by_qty = sellers.sellers_report(hctx, FIRST, LAST, metric="qty", limit=1)
    assert by_qty.main.rows[0]["sku"] == max(expected, key=lambda sku: expected[sku].qty)
    shares = sellers.sellers_report(hctx, FIRST, LAST, limit=10).main.rows
    assert sum(r["share_pct"] for r in shares) == pytest.approx(D(100), abs=D("0.05"))
    cats = sellers.sellers_report(hctx, FIRST, LAST, by="category", metric="margin", limit=10)
    margins_by_cat = margins(Raw.read(hctx.db.path), FIRST, LAST, "category")
    assert cats.main.rows[0]["category"] == max(margins_by_cat, key=lambda c: margins_by_cat[c].margin)


def test_stocked_items_that_did_not_sell_are_listed_with_the_worst(hctx):
    week = (LAST - timedelta(days=6), LAST)
    # nothing sold on a day after the history: every stocked item is unsold, dearest stock first
    after = (LAST + timedelta(days=1), LAST + timedelta(days=1))
    report = sellers.sellers_report(hctx, *after, limit=10, worst=True)
    unsold = report.table("unsold").rows
    assert report.main.rows == [] and {r["sku"] for r in unsold} >= {"COLA", "CHIPS", "SOAP"}
    values = [r["stock_value"] for r in unsold]
    assert values == sorted(values, reverse=True)
    cola = next(r for r in unsold if r["sku"] == "COLA")
    assert cola["last_sold"] <= LAST.isoformat() and cola["stock_value"] == (cola["on_hand"] * D("2.10")).quantize(
        D("0.01"))
    assert "unsold" not in sellers.sellers_report(hctx, *week).to_json()
