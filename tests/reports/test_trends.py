"""Sales trends and the periods they are cut into; the sale-totals cache that makes a year's trend fast."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from pos_desktop.core.cart import Cart
from pos_desktop.core.errors import InvalidInput
from pos_desktop.services import auth, catalog, checkout, returns
from pos_desktop.services.checkout import Tender
from pos_desktop.core import periods as period
from pos_desktop.services.reports import sale_buckets, trends
from tests.reports.conftest import FIRST, LAST
from tests.reports.expected import Raw, day_figures

FIGURES = ("sales_count", "returns_count", "voids_count", "gross_sales", "discounts", "returns", "net_sales", "tax")


def _check(row: dict, expected: dict) -> None:
    assert {k: row[k] for k in FIGURES} == expected, row["period"]


@pytest.mark.parametrize("by", ["day", "week", "month"])
def test_each_bucket_matches_the_raw_rows(hctx, by):
    raw = Raw.read(hctx.db.path)
    report = trends.sales_trend(hctx, FIRST, LAST, by)
    buckets = period.buckets(FIRST, LAST, by)
    assert [r["period"] for r in report.main.rows] == [b.label for b in buckets]
    for row, bucket in zip(report.main.rows, buckets):
        _check(row, day_figures(raw, bucket.start, bucket.end))
    _check(report.main.totals, day_figures(raw, FIRST, LAST))
    assert report.main.totals["sales_count"] > 200 and report.main.totals["voids_count"] > 5
    assert report.main.totals["returns"] > 0


def test_the_previous_period_sits_beside_each_bucket(hctx):
    raw = Raw.read(hctx.db.path)
    second_week = (FIRST + timedelta(days=7), FIRST + timedelta(days=13))
    report = trends.sales_trend(hctx, *second_week, by="day")
    assert (report.params["previous_from"], report.params["previous_to"]) == (FIRST.isoformat(),
                                                                              (FIRST + timedelta(days=6)).isoformat())
    for i, row in enumerate(report.main.rows):
        before = FIRST + timedelta(days=i)
        expected = day_figures(raw, before, before)
        assert row["prev_period"] == before.isoformat()
        assert (row["prev_sales_count"], row["prev_net_sales"]) == (expected["sales_count"], expected["net_sales"])
        change = (row["net_sales"] - expected["net_sales"]) * 100 / expected["net_sales"]
        assert row["change_pct"] == change.quantize(D("0.01"))
    doc = report.to_json()
    assert doc["rows"][0]["net_sales"] == f'{report.main.rows[0]["net_sales"]:.2f}'      # money as strings
    assert doc["totals"]["change_pct"] is not None


def test_a_day_without_sales_is_a_row_of_zeros_and_no_average(hctx):
    report = trends.sales_trend(hctx, LAST + timedelta(days=1), LAST + timedelta(days=2), compare=False)
    assert [r["sales_count"] for r in report.main.rows] == [0, 0]
    assert report.main.rows[0]["avg_basket"] is None and report.main.rows[0]["net_sales"] == D("0.00")
    assert "prev_net_sales" not in report.to_json()["rows"][0]


def test_bad_ranges_and_choices_are_refused(hctx):
    with pytest.raises(InvalidInput):
        trends.sales_trend(hctx, LAST, FIRST)
    with pytest.raises(InvalidInput):
        trends.sales_trend(hctx, FIRST, LAST, by="year")


# ------------------------------------------------------------------------------------------- periods
def test_weeks_are_iso_weeks_clipped_to_the_range():
    weeks = period.buckets(date(2026, 11, 25), date(2026, 12, 8), "week")
    assert [(w.label, w.start.isoformat(), w.end.isoformat()) for w in weeks] == [
        ("2026-W48", "2026-11-25", "2026-11-29"), ("2026-W49", "2026-11-30", "2026-12-06"),
        ("2026-W50", "2026-12-07", "2026-12-08")]


def test_previous_periods_line_up():
    assert period.previous_range(date(2026, 11, 1), date(2026, 11, 30), "day") == (date(2026, 10, 2),
                                                                                     date(2026, 10, 31))
    assert period.previous_range(date(2026, 11, 25), date(2026, 12, 8), "week") == (date(2026, 11, 11),
                                                                                      date(2026, 11, 24))
    assert period.previous_range(date(2026, 11, 1), date(2026, 11, 30), "month") == (date(2026, 10, 1),
                                                                                       date(2026, 10, 31))
    assert period.previous_range(date(2026, 3, 1), date(2026, 3, 31), "month") == (date(2026, 2, 1),
                                                                                     date(2026, 2, 28))
    assert period.previous_range(date(2026, 1, 15), date(2026, 2, 28), "month") == (date(2025, 11, 15),
                                                                                      date(2025, 12, 31))
    months = period.buckets(date(2026, 1, 15), date(2026, 3, 3), "month")
    assert [m.label for m in months] == ["2026-01", "2026-02", "2026-03"] and months[1].days == 28


# ------------------------------------------------------------------------------------------- the cache
def _sell(ctx, user="amy", pin="1111", sku="COLA", qty=D(2)):  # type: ignore[no-untyped-def]
    cart = Cart()
    cart.add(catalog.find_product(ctx, sku=sku), qty)
    total = cart.price(at=ctx.clock.now(), promotions=[], tax_inclusive=True, places=2).cart.total
    return checkout.complete_sale(ctx, cart, [Tender("card", total)], auth.login(ctx, user, pin))


def test_the_cache_folds_in_new_sales_and_voids_are_read_live(hctx, hclock):
    raw_before = Raw.read(hctx.db.path)
    first = trends.sales_trend(hctx, FIRST, LAST + timedelta(days=1), compare=False)
    assert sale_buckets.cache_path(hctx).exists()
    receipt = _sell(hctx)                                  # the morning after: business date LAST + 1
    _sell(hctx, sku="CHIPS", qty=D(1))
    returns.void_sale(hctx, auth.login(hctx, "sam", "3333"), receipt_no=receipt.receipt_no, reason="test")
    second = trends.sales_trend(hctx, FIRST, LAST + timedelta(days=1), compare=False)
    raw = Raw.read(hctx.db.path)
    assert first.main.rows[-1]["sales_count"] == 0
    _check(second.main.rows[-1], day_figures(raw, LAST + timedelta(days=1), LAST + timedelta(days=1)))
    assert second.main.rows[-1]["sales_count"] == 1 and second.main.rows[-1]["voids_count"] == 1
    assert {k: v for k, v in second.main.rows[0].items()} == {k: v for k, v in first.main.rows[0].items()}
    assert day_figures(raw_before, FIRST, LAST) == day_figures(raw, FIRST, LAST)


def test_a_restored_or_replaced_database_rebuilds_the_cache(hctx, history_dir, tmp_path):
    before = trends.sales_trend(hctx, FIRST, LAST, compare=False)
    _sell(hctx)
    _sell(hctx)
    trends.sales_trend(hctx, FIRST, LAST + timedelta(days=1), compare=False)      # cache now past the history
    cache = sale_buckets.cache_path(hctx).read_bytes()
    folder = tmp_path / "restored"
    shutil.copytree(history_dir, folder)                                         # the database as it was
    (folder / sale_buckets.CACHE_NAME).write_bytes(cache)                         # with the newer cache
    from pos_desktop.services import till
    other = till.open_till(folder, hctx.clock)
    try:
        again = trends.sales_trend(other, FIRST, LAST + timedelta(days=1), compare=False)
    finally:
        other.close()
    assert again.main.rows[-1]["sales_count"] == 0
    assert again.main.totals["net_sales"] == before.main.totals["net_sales"]


def test_without_a_usable_cache_the_sales_are_read_directly(hctx):
    sale_buckets.cache_path(hctx).mkdir()                    # a folder where the file should be: unusable
    raw = Raw.read(hctx.db.path)
    report = trends.sales_trend(hctx, FIRST, LAST, "week", compare=False)
    _check(report.main.totals, day_figures(raw, FIRST, LAST))
    with hctx.db.raw() as conn:
        assert not sale_buckets.sale_totals(hctx, conn, FIRST, LAST).from_cache
