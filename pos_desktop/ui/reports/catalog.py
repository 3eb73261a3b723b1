"""The reports the screen offers: how each is computed (the services' report functions, as the CLI calls them)
and how its chart is drawn. Only plain values cross to the worker: a ``build`` never touches a widget."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from ...core.errors import InvalidInput
from ...core.i18n import _
from ...services.context import Context
from ...services.reports import (anomalies, baskets, cashiers, forecast, hourly, inventory, margin, members_rfm,
                                 sellers, shrinkage, trends)
from ...services.reports.table import Report

LINE, BAR, HEATMAP = "line", "bar", "heatmap"
Build = Callable[[Context, date, date, str, str], Report]   # ctx, from, to, option, subject


@dataclass(frozen=True)
class ChartSpec:
    """``series``: the columns drawn (``@option``: the column the option names); the x labels come from the first
    of ``labels`` a table has; ``table``: which table (None: the first); at most ``limit`` bars."""

    kind: str
    series: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    table: str | None = None
    limit: int = 30


@dataclass(frozen=True)
class ReportKind:
    key: str
    title: str
    options: tuple[tuple[str, str], ...]
    build: Build
    chart: ChartSpec
    subject: str = ""        # a label when the report needs a subject typed in (forecast: a SKU or category)

    def series(self, option: str) -> tuple[str, ...]:
        return tuple(option if key == "@option" else key for key in self.chart.series)


def _periods() -> tuple[tuple[str, str], ...]:
    return (("day", _("By day")), ("week", _("By week")), ("month", _("By month")))


def _groups() -> tuple[tuple[str, str], ...]:
    return (("product", _("By item")), ("category", _("By category")))


def _metrics() -> tuple[tuple[str, str], ...]:
    return (("net_sales", _("By net sales")), ("qty", _("By quantity")), ("margin", _("By margin")))


def _forecast(ctx: Context, date_from: date, date_to: date, option: str, subject: str) -> Report:
    if not subject.strip():
        raise InvalidInput(_("Type the item's SKU or the category's name to forecast"), code="bad_option")
    history = max(14, (date_to - date_from).days + 1)
    which = {"sku": subject.strip()} if option == "sku" else {"category": subject.strip()}
    return forecast.forecast_sales(ctx, days=14, history_days=history, as_of=date_to, **which)


def report_kinds() -> list[ReportKind]:
    names = ("name", "category", "reason", "user", "subject", "segment_label", "period", "date")
    return [
        ReportKind("sales", _("Sales trend (beside the previous period)"), _periods(),
                   lambda c, a, b, o, s: trends.sales_trend(c, a, b, o),
                   ChartSpec(LINE, ("net_sales", "prev_net_sales"), ("period",))),
        ReportKind("margin", _("Gross margin"), _groups(),
                   lambda c, a, b, o, s: margin.margin_report(c, a, b, o), ChartSpec(BAR, ("margin",), names)),
        ReportKind("best", _("Best sellers"), _metrics(),
                   lambda c, a, b, o, s: sellers.sellers_report(c, a, b, "product", o, 20, False),
                   ChartSpec(BAR, ("@option",), names)),
        ReportKind("worst", _("Worst sellers"), _metrics(),
                   lambda c, a, b, o, s: sellers.sellers_report(c, a, b, "product", o, 20, True),
                   ChartSpec(BAR, ("@option",), names)),
        ReportKind("hourly", _("Hourly heat map"), (("net_sales", _("Net sales")), ("sales_count", _("Sales count"))),
                   lambda c, a, b, o, s: hourly.hourly_heatmap(c, a, b, o), ChartSpec(HEATMAP)),
        ReportKind("baskets", _("Baskets"), _periods(),
                   lambda c, a, b, o, s: baskets.basket_report(c, a, b, o),
                   ChartSpec(LINE, ("avg_value",), ("period",))),
        ReportKind("turnover", _("Turnover and days of stock"), (("category", _("By category")),
                                                                 ("product", _("By item"))),
                   lambda c, a, b, o, s: inventory.turnover_report(c, a, b, o),
                   ChartSpec(BAR, ("days_of_stock",), names)),
        ReportKind("shrinkage", _("Shrinkage"), (("category", _("By category")), ("product", _("By item")),
                                                 ("reason", _("By reason"))),
                   lambda c, a, b, o, s: shrinkage.shrinkage_report(c, a, b, o),
                   ChartSpec(BAR, ("shrink_value",), names)),
        ReportKind("cashiers", _("Cashiers"), (), lambda c, a, b, o, s: cashiers.cashier_report(c, a, b),
                   ChartSpec(BAR, ("net_sales",), ("user",))),
        ReportKind("anomalies", _("Anomalies"), (), lambda c, a, b, o, s: anomalies.find_anomalies(c, a, b),
                   ChartSpec(BAR, ("robust_z",), ("subject",))),
        ReportKind("forecast", _("Forecast (14 days after the range)"),
                   (("sku", _("Item (SKU)")), ("category", _("Category"))), _forecast,
                   ChartSpec(LINE, ("qty",), ("date",)), subject=_("SKU or category")),
        ReportKind("members", _("Member RFM segments"), (),
                   lambda c, a, b, o, s: members_rfm.rfm_segments(c, as_of=b, window_days=(b - a).days + 1),
                   ChartSpec(BAR, ("members",), ("segment_label",), table="segments")),
    ]
