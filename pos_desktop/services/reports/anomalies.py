"""Anomaly flags: cashiers whose voids, returns, no-sales or discounts are far above their peers', and
categories losing far more stock than the others — each flag with its reasons in words and numbers.

The measure is the robust z-score (Iglewicz & Hoaglin): z = 0.6745 × (x − median) ÷ MAD, where MAD is the
median absolute deviation of the group from its median. Unlike the mean and standard deviation, the median
and MAD are not dragged along by the very outlier being looked for. A figure is flagged when z exceeds the
threshold (3.5 by default, their recommendation). When more than half the group share one value (MAD = 0),
the mean absolute deviation stands in (z = (x − median) ÷ (1.2533 × mean absolute deviation)); when every
value is the same, nobody stands out. Only the high side is flagged: few voids is not suspicious. A group
needs at least ``MIN_PEERS`` members to be compared at all.

Cashiers are compared on rates (``cashiers.CashierFigures.rates``) so that a full-time and a part-time
cashier compare fairly; only users with at least ``min_sales`` sales in the range are compared. Categories
are compared on shrinkage at cost per cost of goods sold (``shrinkage``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median
from typing import Any, Sequence

from ...core import periods as period
from ...core.i18n import _
from ..context import Context
from .cashiers import cashier_figures
from .margin import Figures, sold_in
from .reading import snapshot
from .shrinkage import losses_in
from .table import PCT, RATIO, TEXT, Column, Report, Table, fixed

MIN_PEERS = 4
CONSISTENCY = 0.6745          # the MAD of a normal distribution is 0.6745 σ
MEAN_AD = 1.2533              # and its mean absolute deviation is 0.7979 σ = σ ÷ 1.2533


@dataclass(frozen=True)
class Score:
    value: float
    median: float
    spread: float           # MAD, or the mean absolute deviation when MAD is 0
    z: float | None         # None when every value is the same
    by_mean_deviation: bool


def robust_z(values: Sequence[float]) -> list[Score]:
    """The robust z-score of each value within ``values``."""
    if not values:
        return []
    mid = median(values)
    mad = median(abs(v - mid) for v in values)
    if mad > 0:
        return [Score(v, mid, mad, CONSISTENCY * (v - mid) / mad, False) for v in values]
    mean_ad = sum(abs(v - mid) for v in values) / len(values)
    if mean_ad > 0:
        return [Score(v, mid, mean_ad, (v - mid) / (MEAN_AD * mean_ad), True) for v in values]
    return [Score(v, mid, 0.0, None, False) for v in values]


def flags_in(group: dict[str, float], threshold: float) -> dict[str, Score]:
    """The members of ``group`` (name → value) whose robust z is above ``threshold``."""
    if len(group) < MIN_PEERS:
        return {}
    names = list(group)
    return {name: score for name, score in zip(names, robust_z([group[n] for n in names]))
            if score.z is not None and score.z > threshold}


CASHIER_METRICS = ("void_rate", "return_rate", "no_sale_rate", "discount_rate")


def metric_names() -> dict[str, str]:
    return {"void_rate": _("voided sales"), "return_rate": _("returns"), "no_sale_rate": _("no-sales"),
            "discount_rate": _("manual discounts"), "shrink_rate": _("shrinkage")}


def find_anomalies(ctx: Context, date_from: date, date_to: date, threshold: Decimal = Decimal("3.5"),
                   min_sales: int = 30) -> Report:
    """Flags for cashiers and for categories' shrinkage between two business dates (inclusive)."""
    period.check_range(date_from, date_to)
    limit = float(threshold)
    with snapshot(ctx) as conn:
        people = [f for f in cashier_figures(ctx, conn, date_from, date_to) if f.sales >= min_sales]
        sold = sold_in(conn, date_from, date_to)
        losses = losses_in(conn, date_from, date_to)
    rows = _cashier_flags(people, limit, ctx.places) + _shrink_flags(sold, losses, limit, ctx.places)
    rows.sort(key=lambda r: -r["robust_z"])
    columns = (Column("kind", _("Kind")), Column("subject", _("Who or what")), Column("metric", _("Figure")),
               Column("value", _("Value %"), PCT), Column("peer_median", _("Peers' median %"), PCT),
               Column("mad", _("Spread (MAD)"), PCT), Column("robust_z", _("Robust z"), RATIO),
               Column("explanation", _("Why"), TEXT))
    params = {"from": date_from.isoformat(), "to": date_to.isoformat(), "threshold": fixed(threshold, 1),
              "min_sales": min_sales, "cashiers_compared": len(people),
              "categories_compared": len(_shrink_rates(sold, losses)), "store": ctx.till.store_code}
    notes = [] if rows else [_("Nothing stands out: no figure is more than {t} robust z above its peers.").format(
        t=fixed(threshold, 1))]
    if len(people) < MIN_PEERS:
        notes.append(_("Cashiers are compared only when at least {n} have {sales} or more sales in the range.").format(
            n=MIN_PEERS, sales=min_sales))
    return Report("anomalies", _("Anomalies"), params, [Table("flags", _("Anomalies"), columns, rows)], ctx.places,
                  notes)


def _cashier_flags(people: list, limit: float, places: int) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    rows = []
    names = metric_names()
    for metric in CASHIER_METRICS:
        group = {f.username: float(f.rates()[metric] or 0) for f in people}
        detail = {f.username: f for f in people}
        for name, score in flags_in(group, limit).items():
            f = detail[name]
            counts = {"void_rate": _("{n} of {total} sales voided").format(n=f.voids, total=f.sales + f.voids),
                      "return_rate": _("{n} returns refunding {amount} against {net} of sales").format(
                          n=f.returns, amount=_money(f.returns_value, places), net=_money(f.net, places)),
                      "no_sale_rate": _("{n} no-sales in {total} sales").format(n=f.no_sales, total=f.sales),
                      "discount_rate": _("{amount} of manual discounts on {gross} of sales").format(
                          amount=_money(f.discounts, places), gross=_money(f.gross, places))}[metric]
            rows.append(_flag("cashier", name, metric, names[metric], score, counts, len(group)))
    return rows


def _shrink_rates(sold, losses) -> dict[str, tuple[float, int, int]]:  # type: ignore[no-untyped-def]
    """category → (shrinkage % of cost sold, shrinkage in minor units, cost sold), for categories that sold."""
    by_cat: dict[str, list[int]] = {}
    cost_by_cat: dict[str, Figures] = {}
    for pid, f in sold.figures.items():
        info = sold.products.get(pid)
        name = (info.category if info else None) or _("(no category)")
        cost_by_cat.setdefault(name, Figures()).add(f)
        by_cat.setdefault(name, [0])
    for pid, reasons in losses.items():
        info = sold.products.get(pid)
        name = (info.category if info else None) or _("(no category)")
        if name in by_cat:
            by_cat[name][0] += sum(value for _q, value, _n in reasons.values())
    return {name: (100 * lost[0] / cost_by_cat[name].cost, lost[0], cost_by_cat[name].cost)
            for name, lost in by_cat.items() if cost_by_cat[name].cost > 0}


def _shrink_flags(sold, losses, limit: float, places: int) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    rates = _shrink_rates(sold, losses)
    rows = []
    for name, score in flags_in({k: v[0] for k, v in rates.items()}, limit).items():
        _rate, lost, cost = rates[name]
        counts = _("{lost} lost at cost against {cost} of goods sold").format(lost=_money(lost, places), cost=_money(cost, places))
        rows.append(_flag("category", name, "shrink_rate", metric_names()["shrink_rate"], score, counts, len(rates)))
    return rows


def _flag(kind: str, subject: str, metric: str, what: str, score: Score, counts: str, peers: int) -> dict[str, Any]:
    spread_words = _("mean absolute deviation") if score.by_mean_deviation else _("MAD")
    explanation = _("{subject}: {what} {value} % ({counts}); the median of {peers} peers is {median} % "
                    "({spread_name} {spread} points), a robust z of {z} — above the threshold.").format(
        subject=subject, what=what, value=f"{score.value:.2f}", counts=counts, peers=peers,
        median=f"{score.median:.2f}", spread_name=spread_words, spread=f"{score.spread:.2f}", z=f"{score.z:.1f}")
    return {"kind": kind, "subject": subject, "metric": metric, "value": _dec(score.value),
            "peer_median": _dec(score.median), "mad": _dec(score.spread), "robust_z": _dec(score.z or 0.0),
            "explanation": explanation}


def _dec(value: float) -> Decimal:
    return Decimal(f"{value:.4f}")


def _money(minor: int, places: int) -> str:
    return f"{Decimal(minor).scaleb(-places):f}"
