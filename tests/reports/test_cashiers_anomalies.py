"""Cashier figures against the raw rows and the journal; robust z-scores on constructed peers; the flags."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal as D

import pytest

from pos_desktop.services import auth, stock
from pos_desktop.services.reports import anomalies, cashiers
from pos_desktop.services.reports.anomalies import flags_in, robust_z
from tests.reports.conftest import FIRST, LAST, raw
from tests.reports.expected import Raw, cents


def test_cashier_figures_match_the_raw_rows_and_the_journal(hctx):
    data = Raw.read(hctx.db.path)
    want: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    completed = {s["id"]: s for s in data.completed(FIRST, LAST)}
    for s in data.sales:
        who = want[data.users[s["user_id"]]]
        if s["id"] in completed:
            who["sales"] += 1
            who["net"] += s["subtotal_minor"] - s["discount_minor"]
        else:
            who["voids"] += 1
            who["voids_value"] += s["subtotal_minor"] - s["discount_minor"]
    for ln in data.lines:
        if ln["sale_id"] in completed:
            who = want[data.users[completed[ln["sale_id"]]["user_id"]]]
            manual = ln["line_discount_minor"] + ln["cart_share_minor"]
            who["discounts"] += manual
            who["discount_lines"] += manual > 0
    for r in data.returns:
        want[data.users[r["user_id"]]]["returns"] += 1
        want[data.users[r["user_id"]]]["returns_value"] += r["total_minor"]
    for (entry,) in raw(hctx, "SELECT entry FROM journal WHERE kind = 'no_sale'"):
        want[json.loads(entry)["user"]]["no_sales"] += 1
    report = cashiers.cashier_report(hctx, FIRST, LAST)
    got = {r["user"]: r for r in report.main.rows}
    assert set(got) == set(want)
    for user, w in want.items():
        r = got[user]
        assert (r["sales_count"], r["net_sales"], r["voids_count"], r["voids_value"]) == (
            w["sales"], cents(w["net"]), w["voids"], cents(w["voids_value"])), user
        assert (r["returns_count"], r["returns_value"], r["discounts"], r["discount_lines"], r["no_sales"]) == (
            w["returns"], cents(w["returns_value"]), cents(w["discounts"]), w["discount_lines"], w["no_sales"]), user
        assert r["void_rate"] == (D(w["voids"]) * 100 / (w["sales"] + w["voids"])).quantize(D("0.01"))
        assert r["no_sale_rate"] == (D(w["no_sales"]) * 100 / w["sales"]).quantize(D("0.01"))
    assert got["dan"]["no_sales"] == 12 and got["dan"]["voids_count"] >= 10
    assert report.main.totals["sales_count"] == len(completed)


def test_no_sales_are_found_by_day_in_a_long_journal(hctx):
    one_day = FIRST + timedelta(days=2)                    # dan opened the drawer that day, at 21:40
    people = {f.username: f for f in _figures(hctx, one_day, one_day)}
    assert people["dan"].no_sales == 1 and people["dan"].no_sale_reasons == ["换零钱 change"]
    assert sum(f.no_sales for f in _figures(hctx, FIRST + timedelta(days=1), FIRST + timedelta(days=1))) == 0
    assert sum(f.no_sales for f in _figures(hctx, LAST + timedelta(days=1), LAST + timedelta(days=9))) == 0
    assert sum(f.no_sales for f in _figures(hctx, FIRST - timedelta(days=30), LAST)) == 14


def _figures(ctx, lo, hi):  # type: ignore[no-untyped-def]
    with ctx.db.raw() as conn:
        return cashiers.cashier_figures(ctx, conn, lo, hi)


# ------------------------------------------------------------------------------------------- robust z
def test_robust_z_on_constructed_peers():
    scores = robust_z([10, 11, 12, 13, 50])
    assert scores[2].median == 12 and scores[2].spread == 1 and scores[2].z == 0
    assert scores[4].z == pytest.approx(0.6745 * 38)
    assert scores[0].z == pytest.approx(-0.6745 * 2)
    assert not scores[4].by_mean_deviation


def test_an_outlier_does_not_hide_itself_as_it_would_with_the_standard_deviation():
    peers = [2.0, 2.5, 3.0, 2.2, 2.8, 2.6, 15.0]
    mean = sum(peers) / len(peers)
    sd = (sum((x - mean) ** 2 for x in peers) / (len(peers) - 1)) ** 0.5
    assert (15.0 - mean) / sd < 3.5                        # the plain z-score would let it pass
    assert flags_in(dict(zip("abcdefg", peers)), 3.5) .keys() == {"g"}


def test_when_most_peers_agree_the_mean_absolute_deviation_stands_in():
    scores = robust_z([0, 0, 0, 0, 4])
    assert scores[4].by_mean_deviation and scores[4].spread == pytest.approx(0.8)
    assert scores[4].z == pytest.approx(4 / (1.2533 * 0.8))
    assert all(s.z is None for s in robust_z([3, 3, 3, 3]))
    assert flags_in({"a": 3, "b": 3, "c": 3, "d": 3}, 3.5) == {}


def test_too_few_peers_are_not_compared():
    assert flags_in({"a": 1, "b": 1, "c": 100}, 3.5) == {}
    assert flags_in({"a": 1, "b": 1.1, "c": 0.9, "d": 100}, 3.5).keys() == {"d"}


def test_only_the_high_side_is_flagged():
    assert flags_in({"a": 10, "b": 11, "c": 12, "d": 13, "e": 0}, 3.5) == {}


# ------------------------------------------------------------------------------------------- the flags
def test_the_cashier_with_many_voids_and_no_sales_is_flagged_and_told_why(hctx):
    report = anomalies.find_anomalies(hctx, FIRST, LAST)
    flags = {(r["subject"], r["metric"]): r for r in report.main.rows}
    assert ("dan", "void_rate") in flags and ("dan", "no_sale_rate") in flags
    assert all(subject == "dan" for subject, metric in flags if metric in ("void_rate", "no_sale_rate"))
    void = flags[("dan", "void_rate")]
    dan = next(f for f in _figures(hctx, FIRST, LAST) if f.username == "dan")
    assert void["value"] == (D(100 * dan.voids) / (dan.sales + dan.voids)).quantize(D("0.01"))
    words = void["explanation"]
    assert words.startswith("dan: voided sales") and f"{dan.voids} of {dan.sales + dan.voids} sales voided" in words
    assert "median of 5 peers" in words and "robust z" in words
    assert void["robust_z"] > D("3.5")
    assert report.params["cashiers_compared"] == 5


def test_a_category_losing_far_more_than_the_others_is_flagged(hctx):
    calm = anomalies.find_anomalies(hctx, FIRST, LAST)
    assert [r for r in calm.main.rows if r["kind"] == "category"] == []    # losses of a like size: nobody stands out
    mia = auth.login(hctx, "mia", "9999")
    stock.adjust_stock(hctx, mia, sku="SOAP", location="FLOOR", qty_delta=D(-150), reason="lost")
    day = hctx.clock.now().date()
    report = anomalies.find_anomalies(hctx, FIRST, day)
    (flag,) = [r for r in report.main.rows if r["kind"] == "category"]
    assert flag["subject"] == "个人护理 Personal care" and flag["metric"] == "shrink_rate"
    assert "个人护理 Personal care: shrinkage" in flag["explanation"]
    assert "459.00 lost at cost against" in flag["explanation"]                # 150 lost + 4 counted − 1 found, at 3.00
    quiet = anomalies.find_anomalies(hctx, FIRST, FIRST + timedelta(days=3), threshold=D(1000))
    assert quiet.main.rows == [] and quiet.notes
