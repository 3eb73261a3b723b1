"""Daily sales forecasts per item and per category: Holt-Winters with a weekly season, backtested.

The model is additive Holt-Winters (level, damped trend, a 7-day season), written out here in plain Python
(``HoltWinters``): a till's history is a few hundred numbers, and the recursion is twenty lines, so it needs
no numpy/statsmodels. Its smoothing weights are chosen on a fixed grid by the smallest one-step-ahead squared
error over the history. It is judged against the seasonal-naive forecast (each day = the same weekday a week
earlier), which is what a manager would do by eye, by a rolling-origin backtest: from each of the last
``origins`` weekly origins, fit on the history before it and forecast the next ``days`` days; errors are
compared with what really sold. Reported: MAE, MASE (MAE ÷ the in-sample MAE of the one-week-ago rule, so
below 1 beats it), WAPE (Σ|error| ÷ Σ sold) and MAPE over the days that sold something.

The forecast offered is the model that did better in that backtest (Holt-Winters unless seasonal naive beat
it); its 80 % band is ± 1.28 × the backtest's root-mean-square error at each step ahead. Forecasts are never
below zero. Quantities are units (kg for weighed goods); a category adds its items' units.

The history is ``sales_daily``: units sold per item and day net of voids (returns are not demand; they are
left out, as replenishment does), from the first day the item or category sold in the window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import product as grid_of
from typing import Any, Sequence

from ...core.errors import InvalidInput, NotFound
from ...core.i18n import _
from ..context import Context
from ..replenishment_demand import JULIAN_OFFSET   # date.toordinal() + this = sales_daily.day
from .reading import snapshot
from .table import QTY, TEXT, Column, Report, Table

SEASON = 7
ALPHAS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7)
BETAS = (0.0, 0.02, 0.1)
GAMMAS = (0.05, 0.1, 0.2, 0.4)
PHIS = (0.9, 0.98)
Z80 = 1.2816


# ------------------------------------------------------------------------------------------- the model
@dataclass(frozen=True)
class Params:
    alpha: float
    beta: float
    gamma: float
    phi: float


@dataclass
class HoltWinters:
    """Additive Holt-Winters with a damped trend, fitted to ``y`` (at least two seasons).

    Forecast for t: level + φ·trend + season[t mod m]; after y[t]:
      level' = α (y − season) + (1 − α)(level + φ·trend)
      trend' = β (level' − level) + (1 − β) φ·trend
      season[t mod m]' = γ (y − level') + (1 − γ) season[t mod m]
    Start: level = mean of the first season, trend = (mean of the second − mean of the first) ÷ m, season = the
    mean deviation of each weekday from its week's mean over the first (up to four) full weeks.
    """

    params: Params
    m: int = SEASON
    level: float = 0.0
    trend: float = 0.0
    season: list[float] = field(default_factory=list)
    n: int = 0
    sse: float = 0.0

    @classmethod
    def fit(cls, y: Sequence[float], m: int = SEASON, params: Params | None = None) -> "HoltWinters":
        """The best on the grid (or ``params``): least one-step squared error over ``y``."""
        if len(y) < 2 * m:
            raise ValueError(f"Holt-Winters needs at least {2 * m} observations, not {len(y)}")
        start = initial_state(y, m)
        candidates = [params] if params else [Params(a, b, g, p) for a, b, g, p in grid_of(ALPHAS, BETAS, GAMMAS, PHIS)
                                              if not (b == 0.0 and p != PHIS[-1])]
        best: HoltWinters | None = None
        for candidate in candidates:
            model = cls(candidate, m, *start[:2], list(start[2]))
            model._run(y, best.sse if best else math.inf)
            if best is None or model.sse < best.sse:
                best = model
        assert best is not None
        return best

    def _run(self, y: Sequence[float], give_up: float) -> None:
        a, b, g, phi = self.params.alpha, self.params.beta, self.params.gamma, self.params.phi
        level, trend, season, m = self.level, self.trend, self.season, self.m
        sse = 0.0
        for t, value in enumerate(y):
            i = t % m
            damped = phi * trend
            error = value - (level + damped + season[i])
            sse += error * error
            if sse > give_up:                  # already worse than the best so far: stop early
                break
            new_level = a * (value - season[i]) + (1 - a) * (level + damped)
            trend = b * (new_level - level) + (1 - b) * damped
            season[i] = g * (value - new_level) + (1 - g) * season[i]
            level = new_level
        self.level, self.trend, self.n, self.sse = level, trend, len(y), sse

    def forecast(self, h: int) -> list[float]:
        """The next ``h`` days after the data fitted, never below zero."""
        out, damp, total = [], 1.0, 0.0
        for k in range(h):
            damp *= self.params.phi
            total += damp
            out.append(max(0.0, self.level + total * self.trend + self.season[(self.n + k) % self.m]))
        return out


def initial_state(y: Sequence[float], m: int) -> tuple[float, float, list[float]]:
    weeks = min(len(y) // m, 4)
    means = [sum(y[k * m:(k + 1) * m]) / m for k in range(weeks)]
    season = [sum(y[k * m + i] - means[k] for k in range(weeks)) / weeks for i in range(m)]
    shift = sum(season) / m
    return means[0], (means[1] - means[0]) / m, [s - shift for s in season]


def seasonal_naive(y: Sequence[float], h: int, m: int = SEASON) -> list[float]:
    """Each day ahead = the same weekday in the last week of ``y``."""
    if len(y) < m:
        mean = sum(y) / len(y) if y else 0.0
        return [mean] * h
    return [float(y[len(y) - m + (k % m)]) for k in range(h)]


def naive_scale(y: Sequence[float], m: int = SEASON) -> float:
    """In-sample MAE of the seasonal-naive rule (MASE's denominator)."""
    diffs = [abs(y[t] - y[t - m]) for t in range(m, len(y))]
    return sum(diffs) / len(diffs) if diffs else 0.0


# ------------------------------------------------------------------------------------------- backtest
@dataclass
class Errors:
    """Forecast errors collected over a backtest: (step ahead, actual − forecast, actual) for every day."""

    pairs: list[tuple[int, float, float]] = field(default_factory=list)

    def add(self, forecast: list[float], actual: Sequence[float]) -> None:
        self.pairs.extend((k, a - f, a) for k, (f, a) in enumerate(zip(forecast, actual)))

    def metrics(self, scale: float) -> dict[str, float | None]:
        if not self.pairs:
            return {"mae": None, "mase": None, "wape": None, "mape": None, "rmse": None}
        errors = [abs(e) for _k, e, _a in self.pairs]
        mae = sum(errors) / len(errors)
        sold = sum(abs(a) for _k, _e, a in self.pairs)
        selling = [abs(e) / a for _k, e, a in self.pairs if a > 0]
        return {"mae": mae, "mase": mae / scale if scale > 0 else None, "wape": sum(errors) / sold if sold else None,
                "mape": 100 * sum(selling) / len(selling) if selling else None,
                "rmse": math.sqrt(sum(e * e for e in errors) / len(errors))}

    def spread(self) -> list[float]:
        """Root-mean-square error per step ahead."""
        steps: dict[int, list[float]] = {}
        for k, e, _a in self.pairs:
            steps.setdefault(k, []).append(e * e)
        return [math.sqrt(sum(v) / len(v)) for _k, v in sorted(steps.items())]


@dataclass
class Backtest:
    horizon: int
    origins: list[int]
    model: Errors
    baseline: Errors
    scale: float

    def summary(self) -> dict[str, Any]:
        ours, base = self.model.metrics(self.scale), self.baseline.metrics(self.scale)
        skill = 1 - ours["mae"] / base["mae"] if ours["mae"] is not None and base["mae"] else None
        return {"origins": len(self.origins), "horizon": self.horizon, "model": ours, "baseline": base,
                "skill": skill}


def backtest(y: Sequence[float], h: int, origins: int, m: int = SEASON, step: int = SEASON) -> Backtest:
    """Rolling origin: fit on ``y[:t]`` and forecast ``y[t:t+h]`` for t = n−h, n−h−step, … (``origins`` of
    them, each with at least three weeks of history before it)."""
    n = len(y)
    points = [t for t in (n - h - step * k for k in range(origins)) if t >= 3 * m]
    ours, base = Errors(), Errors()
    for t in sorted(points):
        history, actual = y[:t], y[t:t + h]
        ours.add(HoltWinters.fit(history, m).forecast(h), actual)
        base.add(seasonal_naive(history, h, m), actual)
    scale = naive_scale(y[:min(points)] if points else y, m) or naive_scale(y, m)
    return Backtest(h, sorted(points), ours, base, scale)


# ------------------------------------------------------------------------------------------- the till's data
PRODUCT_SQL = "SELECT day, qty_milli FROM sales_daily WHERE product_id = ? AND day BETWEEN ? AND ?"
CATEGORY_SQL = """SELECT d.day, sum(d.qty_milli) FROM products p CROSS JOIN sales_daily d ON d.product_id = p.id
WHERE p.category_id = ? AND d.day BETWEEN ? AND ? GROUP BY d.day"""
STORE_SQL = """SELECT day, sum(qty_milli) FROM sales_daily WHERE ? IS NOT NULL AND day BETWEEN ? AND ? GROUP BY day"""


def daily_series(conn, subject_sql: str, key: str, first: date, last: date) -> tuple[date, list[float]]:  # type: ignore[no-untyped-def]
    """Units sold per day from ``first`` (or the first day anything sold, if later) to ``last``, zeros filled."""
    rows = conn.execute(subject_sql, (key, first.toordinal() + JULIAN_OFFSET,
                                      last.toordinal() + JULIAN_OFFSET)).fetchall()
    by_day = {int(day) - JULIAN_OFFSET: int(q or 0) for day, q in rows}
    if not any(by_day.values()):
        return last + timedelta(days=1), []
    start = min(d for d, q in by_day.items() if q)
    return date.fromordinal(start), [by_day.get(d, 0) / 1000 for d in range(start, last.toordinal() + 1)]


def forecast_sales(ctx: Context, *, sku: str | None = None, category: str | None = None, days: int = 14,
                   history_days: int = 365, origins: int = 8, as_of: date | None = None) -> Report:
    """Forecast the units an item (``sku``) or a ``category`` (by name) will sell on each of the ``days``
    days after ``as_of`` (default yesterday), from up to ``history_days`` days of history, with the backtest.
    With neither, the units of every item together (the store's items sold per day)."""
    if sku is not None and category is not None:
        raise InvalidInput(_("Name one item (--sku) or one category (--category)"), code="bad_option")
    if not 1 <= days <= 90:
        raise InvalidInput(_("--days must be between 1 and 90"), code="bad_option")
    if not 14 <= history_days <= 3660 or not 0 <= origins <= 52:
        raise InvalidInput(_("--history must be between 14 and 3660 days, --origins between 0 and 52"),
                           code="bad_option")
    as_of = as_of or ctx.clock.now().date() - timedelta(days=1)
    with snapshot(ctx) as conn:
        if sku is not None:
            row = conn.execute("SELECT id, sku, name, unit FROM products WHERE sku = ?", (sku,)).fetchone()
            if row is None:
                raise NotFound(_("Unknown SKU {sku}").format(sku=sku), code="unknown_product")
            subject = {"sku": row[1], "name": row[2], "unit": row[3]}
            start, y = daily_series(conn, PRODUCT_SQL, row[0], as_of - timedelta(days=history_days - 1), as_of)
        elif category is None:
            subject = {"store": ctx.till.store_code, "name": _("All items")}
            start, y = daily_series(conn, STORE_SQL, "all", as_of - timedelta(days=history_days - 1), as_of)
        else:
            row = conn.execute("SELECT id, name FROM categories WHERE name = ?", (category,)).fetchone()
            if row is None:
                raise NotFound(_("Unknown category {name}").format(name=category), code="unknown_category")
            subject = {"category": row[1], "name": row[1]}
            start, y = daily_series(conn, CATEGORY_SQL, row[0], as_of - timedelta(days=history_days - 1), as_of)
    return _report(ctx, subject, start, y, days, origins, as_of, history_days)


def choose(y: Sequence[float], days: int, origins: int) -> tuple[str, list[float], Backtest | None, Params | None]:
    """The model to offer for ``y``: (name, forecast, backtest, Holt-Winters weights if chosen)."""
    if len(y) < 2 * SEASON:
        return ("seasonal_naive" if len(y) >= SEASON else "mean"), seasonal_naive(y, days), None, None
    test = backtest(y, days, origins) if origins else None
    summary = test.summary() if test else None
    hw = HoltWinters.fit(y)
    if summary and summary["model"]["mae"] is not None and summary["baseline"]["mae"] is not None \
            and summary["model"]["mae"] > summary["baseline"]["mae"]:
        return "seasonal_naive", seasonal_naive(y, days), test, None
    return "holt_winters", hw.forecast(days), test, hw.params


def _report(ctx: Context, subject: dict[str, Any], start: date, y: list[float], days: int, origins: int,
            as_of: date, history_days: int) -> Report:
    name, ahead, test, params = choose(y, days, origins)
    if test is not None and test.origins:
        spread = (test.model if name == "holt_winters" else test.baseline).spread()
    else:
        spread = []
    rows = []
    weekday = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    for k, value in enumerate(ahead):
        day = as_of + timedelta(days=k + 1)
        band = Z80 * spread[min(k, len(spread) - 1)] if spread else None
        rows.append({"date": day.isoformat(), "weekday": weekday[day.weekday()], "qty": _units(value),
                     "low": _units(max(0.0, value - band)) if band is not None else None,
                     "high": _units(value + band) if band is not None else None})
    totals = {"date": _("Total"), "qty": sum((r["qty"] for r in rows), Decimal(0))}
    columns = (Column("date", _("Date")), Column("weekday", _("Weekday"), TEXT), Column("qty", _("Forecast"), QTY),
               Column("low", _("Low (80 %)"), QTY), Column("high", _("High (80 %)"), QTY))
    summary = test.summary() if test else None
    extra = {"subject": subject,
             "model": {"name": name, **({k: getattr(params, k) for k in ("alpha", "beta", "gamma", "phi")}
                                        if params else {}), "season_days": SEASON},
             "history": {"from": start.isoformat() if y else None, "to": as_of.isoformat(), "days": len(y),
                         "units": _text(sum(y)), "daily": [{"date": (start + timedelta(days=i)).isoformat(),
                                                            "qty": _text(v)} for i, v in enumerate(y)]},
             "backtest": _backtest_json(summary)}
    notes = [_backtest_words(summary, name)] if summary and summary["origins"] else \
        [_("Too little history for a backtest ({days} days); the forecast repeats the last week.").format(days=len(y))]
    params_doc = {"as_of": as_of.isoformat(), "days": days, "history_days": history_days, "origins": origins,
                  "store": ctx.till.store_code}
    return Report("forecast", _("Sales forecast: {name}").format(name=subject["name"]), params_doc,
                  [Table("forecast", _("Sales forecast"), columns, rows, totals)], ctx.places, notes, extra)


def _units(value: float) -> Decimal:
    return Decimal(f"{value:.3f}")


def _text(value: float | None, places: int = 3) -> str | None:
    return None if value is None else f"{value:.{places}f}"


def _backtest_json(summary: dict[str, Any] | None) -> dict[str, Any] | None:
    if not summary:
        return None

    def figures(m: dict[str, float | None]) -> dict[str, str | None]:
        return {"mae": _text(m["mae"]), "mase": _text(m["mase"]), "wape": _text(m["wape"]),
                "mape": _text(m["mape"], 1), "rmse": _text(m["rmse"])}

    return {"origins": summary["origins"], "horizon": summary["horizon"], "holt_winters": figures(summary["model"]),
            "seasonal_naive": figures(summary["baseline"]), "skill": _text(summary["skill"])}


def _backtest_words(summary: dict[str, Any], chosen: str) -> str:
    ours, base = summary["model"], summary["baseline"]
    fields = dict(n=summary["origins"], h=summary["horizon"], mae=_text(ours["mae"], 2), mase=_text(ours["mase"], 2),
                  base_mae=_text(base["mae"], 2), base_mase=_text(base["mase"], 2))
    if chosen == "seasonal_naive":
        return _("Backtest from {n} origins, {h} days ahead: Holt-Winters MAE {mae} (MASE {mase}), seasonal naive "
                 "MAE {base_mae} (MASE {base_mase}). Seasonal naive did better here, so the forecast repeats the "
                 "last week.").format(**fields)
    return _("Backtest from {n} origins, {h} days ahead: Holt-Winters MAE {mae} (MASE {mase}), seasonal naive MAE "
             "{base_mae} (MASE {base_mase}). The forecast uses Holt-Winters.").format(**fields)
