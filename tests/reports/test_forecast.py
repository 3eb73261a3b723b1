"""The forecast model on synthetic series with a known level, trend and season; its backtest; the till's data."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from pos_desktop.core.errors import InvalidInput, NotFound
from pos_desktop.services.reports import forecast
from pos_desktop.services.reports.forecast import Errors, HoltWinters, backtest, choose, seasonal_naive
from pos_desktop.services.unit import write
from tests.reports.conftest import FIRST, LAST, raw

WEEK = (0.0, 2.0, 4.0, 3.0, 1.0, -3.0, -7.0)           # a weekly pattern that sums to 0


def series(n: int, level: float = 20, trend: float = 0.0, season=WEEK, noise: float = 0.0, seed: int = 1):
    rng = random.Random(seed)
    return [max(0.0, level + trend * t + season[t % 7] + rng.gauss(0, noise)) for t in range(n)]


def test_seasonal_naive_repeats_the_last_week():
    y = list(range(1, 16))
    assert seasonal_naive(y, 10) == [9, 10, 11, 12, 13, 14, 15, 9, 10, 11]
    assert seasonal_naive([4, 6], 3) == [5, 5, 5]


def test_a_clean_series_is_forecast_almost_exactly():
    y = series(200, level=50, trend=0.1, season=tuple(2 * s for s in WEEK))
    truth = [50 + 0.1 * t + 2 * WEEK[t % 7] for t in range(200, 214)]
    ahead = HoltWinters.fit(y).forecast(14)
    assert max(abs(a - b) for a, b in zip(ahead, truth)) < 1.0
    assert sum(ahead) == pytest.approx(sum(truth), rel=0.02)


def test_the_fitted_season_is_the_true_one():
    model = HoltWinters.fit(series(280, level=30, noise=0.5, seed=3))
    season = [model.season[(model.n + k) % 7] for k in range(7)]
    truth = [WEEK[(280 + k) % 7] for k in range(7)]
    assert max(abs(a - b) for a, b in zip(season, truth)) < 0.6


@pytest.mark.parametrize("seed", range(5))
def test_it_beats_seasonal_naive_on_a_noisy_seasonal_series(seed):
    y = series(365, level=20, trend=0.01, noise=3, seed=seed)
    summary = backtest(y, 14, 8).summary()
    assert summary["model"]["mae"] < 0.85 * summary["baseline"]["mae"]
    assert summary["model"]["mase"] < 1 and summary["skill"] > 0.15


@pytest.mark.parametrize("seed", range(5))
def test_it_is_not_much_worse_on_pure_noise(seed):
    y = series(365, level=10, season=(0.0,) * 7, noise=2, seed=seed)
    summary = backtest(y, 14, 8).summary()
    assert summary["model"]["mae"] <= 1.05 * summary["baseline"]["mae"]


@pytest.mark.parametrize("seed", range(1, 6))
def test_when_seasonal_naive_backtests_better_it_is_chosen(seed):
    """A seasonal random walk (each weekday wanders from its value a week before): the best forecast is last
    week's, and the backtest says so."""
    rng = random.Random(seed)
    y = [50 + 5 * rng.random() for _t in range(7)]
    for t in range(7, 200):
        y.append(max(0.0, y[t - 7] + rng.gauss(0, 6)))
    name, ahead, test, params = choose(y, 7, 8)
    summary = test.summary()
    assert name == "seasonal_naive" and ahead == y[-7:] and params is None
    assert summary["baseline"]["mae"] < summary["model"]["mae"]


def test_an_exact_weekly_pattern_is_learnt_exactly():
    y = [float(v) for v in [5, 9, 12, 10, 6, 2, 1] * 10]
    name, ahead, _test, _params = choose(y, 7, 4)
    assert name == "holt_winters" and max(abs(a - b) for a, b in zip(ahead, y[-7:])) < 1e-6


def test_short_histories_fall_back():
    assert choose([3.0] * 10, 5, 4)[0] == "seasonal_naive"
    assert choose([3.0, 5.0], 3, 4)[:2] == ("mean", [4.0, 4.0, 4.0])
    with pytest.raises(ValueError):
        HoltWinters.fit([1.0] * 13)


def test_rolling_origins_and_error_measures():
    y = series(100, noise=1, seed=9)
    test = backtest(y, 14, 8)
    assert test.origins == [100 - 14 - 7 * k for k in range(7, -1, -1) if 100 - 14 - 7 * k >= 21]
    errors = Errors()
    errors.add([1.0, 2.0, 0.0], [2.0, 2.0, 4.0])           # errors 1, 0, 4 against 2, 2, 4 sold
    m = errors.metrics(scale=2.0)
    assert (m["mae"], m["mase"], m["wape"]) == (pytest.approx(5 / 3), pytest.approx(5 / 6), pytest.approx(5 / 8))
    assert m["mape"] == pytest.approx(100 * (0.5 + 0 + 1) / 3) and m["rmse"] == pytest.approx(math.sqrt(17 / 3))
    assert errors.spread() == [1.0, 0.0, 4.0]
    assert Errors().metrics(1.0)["mae"] is None


# ------------------------------------------------------------------------------------------- on the till
def test_an_items_forecast_from_its_history(hctx):
    report = forecast.forecast_sales(hctx, sku="COLA", days=7, as_of=LAST)
    doc = report.to_json()
    assert [r["date"] for r in doc["rows"]] == [(LAST + timedelta(days=k)).isoformat() for k in range(1, 8)]
    assert doc["rows"][0]["weekday"] == "Mon" and all(D(r["qty"]) >= 0 for r in doc["rows"])
    sold = dict(raw(hctx, """SELECT substr(s.created_at, 1, 10), sum(l.qty_milli) FROM sale_lines l
                             JOIN sales s ON s.id = l.sale_id JOIN products p ON p.id = l.product_id
                             WHERE p.sku = 'COLA' AND s.id NOT IN (SELECT sale_id FROM sale_voids) GROUP BY 1"""))
    history = {d["date"]: d["qty"] for d in doc["history"]["daily"]}
    assert history == {day.isoformat(): f"{sold.get(day.isoformat(), 0) / 1000:.3f}"
                       for day in (FIRST + timedelta(days=i) for i in range(21))}
    assert doc["model"]["name"] == "holt_winters" and doc["backtest"]["origins"] == 0
    assert "Too little history" in doc["notes"][0]
    assert D(doc["totals"]["qty"]) == sum(D(r["qty"]) for r in doc["rows"])


def test_a_categorys_forecast_adds_its_items(hctx):
    drinks = forecast.forecast_sales(hctx, category="饮料 Drinks", days=3, as_of=LAST).to_json()
    cola = forecast.forecast_sales(hctx, sku="COLA", days=3, as_of=LAST).to_json()
    assert drinks["history"]["daily"] == cola["history"]["daily"] and drinks["subject"]["category"] == "饮料 Drinks"


def test_with_no_item_or_category_the_store_is_forecast_from_every_items_units(hctx):
    doc = forecast.forecast_sales(hctx, days=3, as_of=LAST).to_json()
    sold = dict(raw(hctx, """SELECT substr(s.created_at, 1, 10), sum(l.qty_milli) FROM sale_lines l
                             JOIN sales s ON s.id = l.sale_id
                             WHERE s.id NOT IN (SELECT sale_id FROM sale_voids) GROUP BY 1"""))
    history = {d["date"]: d["qty"] for d in doc["history"]["daily"]}
    assert history == {day.isoformat(): f"{sold.get(day.isoformat(), 0) / 1000:.3f}"
                       for day in (FIRST + timedelta(days=i) for i in range(21))}
    assert doc["subject"]["store"] == hctx.till.store_code and len(doc["rows"]) == 3
    with pytest.raises(InvalidInput):
        forecast.forecast_sales(hctx, sku="COLA", category="饮料 Drinks")


def test_a_long_history_is_backtested_and_its_figures_reported(hctx):
    y = series(120, level=40, noise=4, seed=5)
    first = date(2026, 8, 1)
    with write(hctx) as unit:
        pid = unit.conn.execute("SELECT id FROM products WHERE sku = 'SOAP'").fetchone()[0]
        unit.conn.execute("DELETE FROM sales_daily WHERE product_id = ?", (pid,))
        unit.conn.executemany("INSERT INTO sales_daily (product_id, day, qty_milli) VALUES (?, ?, ?)",
                              [(pid, (first + timedelta(days=i)).toordinal() + forecast.JULIAN_OFFSET,
                                round(v) * 1000) for i, v in enumerate(y)])
    as_of = first + timedelta(days=119)
    doc = forecast.forecast_sales(hctx, sku="SOAP", days=14, as_of=as_of, origins=6).to_json()
    whole = [float(round(v)) for v in y]
    expected = backtest(whole, 14, 6).summary()
    assert doc["backtest"]["origins"] == 6 and doc["backtest"]["horizon"] == 14
    assert doc["backtest"]["holt_winters"]["mae"] == f'{expected["model"]["mae"]:.3f}'
    assert doc["backtest"]["seasonal_naive"]["mase"] == f'{expected["baseline"]["mase"]:.3f}'
    assert doc["model"]["name"] == "holt_winters" and set(doc["model"]) >= {"alpha", "beta", "gamma", "phi"}
    assert "Backtest from 6 origins" in doc["notes"][0]
    low, mid, high = (D(doc["rows"][0][k]) for k in ("low", "qty", "high"))
    assert low < mid < high


def test_wrong_requests_are_refused(hctx):
    with pytest.raises(NotFound):
        forecast.forecast_sales(hctx, sku="NOPE")
    with pytest.raises(NotFound):
        forecast.forecast_sales(hctx, category="Nope")
    with pytest.raises(InvalidInput):
        forecast.forecast_sales(hctx, sku="COLA", category="饮料 Drinks")
    with pytest.raises(InvalidInput):
        forecast.forecast_sales(hctx, sku="COLA", days=0)
