"""Every Z-report figure of a generated day, computed here from what the checkout, returns and voids answered
(receipts and return results, not the report's SQL), and compared with the service's report."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal as D

import pytest

from pos_desktop.core.money import format_rate
from pos_desktop.services import zreport

from .helpers import CATEGORY, Day, add_products, generate_day, give_points

FIXED = ["date", "store", "till", "z_number", "sales_count", "returns_count", "voids_count", "gross_sales",
         "discounts", "returns", "net_sales", "tax_total", "by_tender", "by_tax_rate", "first_receipt",
         "last_receipt", "grand_total"]


def m(amount: D) -> str:
    return f"{amount.quantize(D('0.01')):f}"


def expected_figures(day: Day) -> dict:
    """The issue's definitions, applied to the day's raw documents."""
    kept = [(r, who) for r, who, voided in day.sales if not voided]
    gross = sum((ln.gross for r, _w in kept for ln in r.lines), D(0))
    discounts = sum((ln.discount for r, _w in kept for ln in r.lines), D(0))
    refunded = sum((a for res, _w, _o in day.returns for _m, a in res.refunds), D(0))
    sales_tax = sum((ln.tax for r, _w in kept for ln in r.lines), D(0))
    returned_tax = sum((res.tax_total for res, _w, _o in day.returns), D(0))
    tender: dict[str, D] = defaultdict(D)
    for r, _w in kept:
        for method, amount in r.payments:
            tender[method] += amount
        tender["cash"] -= r.change
    for res, _w, _o in day.returns:
        for method, amount in res.refunds:
            tender[method] -= amount
    if "cash" in tender and not any(meth == "cash" for r, _w in kept for meth, _a in r.payments) \
            and not any(meth == "cash" for res, _w, _o in day.returns for meth, _a in res.refunds):
        del tender["cash"]
    rates: dict[str, list[D]] = defaultdict(lambda: [D(0), D(0)])
    category: dict[str, D] = defaultdict(D)
    cashier: dict[str, D] = defaultdict(D)
    hour: dict[str, D] = defaultdict(D)
    for r, who in kept:
        for ln in r.lines:
            rates[format_rate(ln.tax_rate)][0] += ln.net
            rates[format_rate(ln.tax_rate)][1] += ln.tax
            category[CATEGORY[ln.sku]] += ln.net
            cashier[who] += ln.net
            hour[r.created_at[11:13]] += ln.net
    for res, who, original in day.returns:
        sold = {ln.line_no: ln for ln in original.lines}
        for line in res.lines:
            ln = sold[line["sale_line_no"]]
            rates[format_rate(ln.tax_rate)][0] -= D(line["amount"])
            rates[format_rate(ln.tax_rate)][1] -= D(line["tax"])
            category[CATEGORY[ln.sku]] -= D(line["amount"])
        cashier[who] -= res.total
        hour[res.created_at[11:13]] -= res.total
    numbers = [r.receipt_no for r, _w, _v in day.sales] + [res.receipt_no for res, _w, _o in day.returns]
    net = gross - discounts - refunded
    return {
        "sales_count": len(kept), "returns_count": len(day.returns),
        "voids_count": sum(1 for _r, _w, voided in day.sales if voided),
        "gross_sales": m(gross), "discounts": m(discounts), "returns": m(refunded), "net_sales": m(net),
        "tax_total": m(sales_tax - returned_tax),
        "by_tender": {k: m(v) for k, v in tender.items()},
        "by_tax_rate": {k: {"net": m(n), "tax": m(t)} for k, (n, t) in rates.items()},
        "first_receipt": min(numbers), "last_receipt": max(numbers), "grand_total": m(net),
        "_category": {k: m(v) for k, v in category.items()}, "_cashier": {k: m(v) for k, v in cashier.items()},
        "_hour": {k: m(v) for k, v in hour.items()},
        "_points": sum(r.points_earned for r, _w in kept),
    }


@pytest.mark.parametrize("rounding", ["none", "round_jiao"])
def test_every_z_figure_matches_the_raw_documents(ctx, clock, cashier, supervisor, manager, rounding):
    add_products(ctx)
    give_points(ctx)
    ctx.settings["cash_rounding"] = rounding
    day = generate_day(ctx, clock, [cashier, supervisor], supervisor, sales=70, seed=11 if rounding == "none" else 5)
    assert any(v for _r, _w, v in day.sales) and day.returns, "the generated day needs voids and returns"
    methods = {meth for r, _w, _v in day.sales for meth, _a in r.payments}
    assert {"cash", "card", "qr", "points", "voucher"} <= methods
    assert any(len(r.payments) > 1 for r, _w, _v in day.sales), "split tenders"
    assert len({ln.tax_rate for r, _w, _v in day.sales for ln in r.lines}) == 4
    assert any(ln.discount for r, _w, _v in day.sales for ln in r.lines)
    want = expected_figures(day)
    clock.set(clock.now().replace(hour=22))
    report = zreport.close_day(ctx, manager).report
    assert list(report)[:3] == ["kind", "date", "store"] and all(key in report for key in FIXED)
    assert (report["date"], report["store"], report["till"], report["z_number"]) == ("2026-11-20", "S01", "T01", 1)
    for key in FIXED[4:]:
        assert report[key] == want[key], key
    assert {k: v["net_sales"] for k, v in report["by_category"].items()} == want["_category"]
    assert {k: v["net_sales"] for k, v in report["by_cashier"].items()} == want["_cashier"]
    assert {k: v["net_sales"] for k, v in report["by_hour"].items()} == want["_hour"]
    assert report["points_earned"] == want["_points"]
    # the splits add up; by tender differs from net sales by the cash rounding only
    net = D(report["net_sales"])
    for split in ("by_category", "by_cashier", "by_hour"):
        assert sum(D(v["net_sales"]) for v in report[split].values()) == net
    assert sum(D(v["net"]) for v in report["by_tax_rate"].values()) == net
    assert sum(D(v["tax"]) for v in report["by_tax_rate"].values()) == D(report["tax_total"])
    assert sum(D(v) for v in report["by_tender"].values()) == net + D(report["rounding"])
    if rounding != "none":
        assert D(report["rounding"]) != 0


def test_x_report_is_the_z_figures_of_the_open_day_and_changes_nothing(ctx, clock, cashier, supervisor, manager):
    add_products(ctx)
    give_points(ctx)
    day = generate_day(ctx, clock, [cashier], supervisor, sales=25, seed=3)
    from .helpers import rows

    before = rows(ctx, "SELECT count(*) FROM journal"), rows(ctx, "SELECT count(*) FROM outbox")
    x = zreport.x_report(ctx, cashier)
    assert (rows(ctx, "SELECT count(*) FROM journal"), rows(ctx, "SELECT count(*) FROM outbox")) == before
    assert x["kind"] == "X" and x["z_number"] is None
    want = expected_figures(day)
    for key in FIXED[4:]:
        assert x[key] == want[key], key
    z = zreport.close_day(ctx, manager).report
    assert {k: z[k] for k in FIXED[4:]} == {k: x[k] for k in FIXED[4:]}
