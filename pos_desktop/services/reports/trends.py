"""Sales trends by day, ISO week or month, with the previous period beside each bucket.

Figures follow the Z report's definitions (issue 7), for the completed (not voided) sales of each bucket's
business dates and the returns taken on them:
``gross_sales`` = Σ line gross · ``discounts`` = Σ promotion, line and cart discounts · ``returns`` = Σ amounts
refunded · ``net_sales`` = gross_sales − discounts − returns · ``tax`` = tax of the sales − tax of the returned
goods · ``avg_basket`` = (gross_sales − discounts) / sales_count. ``change_pct`` compares ``net_sales`` with the
previous period's bucket (``period.previous_range``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ...core import periods as period
from ...core.i18n import _
from ...core.money import round_half_up
from ..context import Context
from .reading import money, snapshot
from .sale_buckets import sale_totals
from .table import INT, MONEY, PCT, TEXT, Column, Report, Table, percent

RETURNS_SQL = """SELECT business_date, count(*), sum(total_minor), sum(tax_minor) FROM returns
WHERE business_date BETWEEN ? AND ? GROUP BY business_date"""
FIGURES = ("sales_count", "returns_count", "voids_count", "gross_sales", "discounts", "returns", "net_sales",
           "tax")


def sales_trend(ctx: Context, date_from: date, date_to: date, by: str = "day", compare: bool = True) -> Report:
    """Sales per bucket of ``by`` (day, week, month) between two business dates (inclusive), each beside the
    same bucket of the previous period when ``compare``. Reads one snapshot; changes nothing."""
    period.check_by(by, period.BY_TIME)
    current = period.buckets(date_from, date_to, by)
    prev_from, prev_to = period.previous_range(date_from, date_to, by)
    previous = period.buckets(prev_from, prev_to, by) if compare else []
    with snapshot(ctx) as conn:
        start = prev_from if compare else date_from
        days = daily_figures(ctx, conn, start, date_to)
    rows = []
    for i, bucket in enumerate(current):
        row: dict[str, Any] = {"period": bucket.label, "start": bucket.start.isoformat(), "end": bucket.end.isoformat(),
                               **add_up(days, bucket.start, bucket.end, ctx.places)}
        if compare:
            before = previous[i] if i < len(previous) else None
            figures = add_up(days, before.start, before.end, ctx.places) if before else None
            row.update({"prev_period": before.label if before else None,
                        "prev_sales_count": figures["sales_count"] if figures else None,
                        "prev_net_sales": figures["net_sales"] if figures else None,
                        "change_pct": _change(row["net_sales"], figures["net_sales"]) if figures else None})
        rows.append(row)
    totals: dict[str, Any] = {"period": _("Total"), **add_up(days, date_from, date_to, ctx.places)}
    if compare:
        before_total = add_up(days, prev_from, prev_to, ctx.places)
        totals.update({"prev_period": f"{prev_from.isoformat()}…{prev_to.isoformat()}",
                       "prev_sales_count": before_total["sales_count"], "prev_net_sales": before_total["net_sales"],
                       "change_pct": _change(totals["net_sales"], before_total["net_sales"])})
    columns = [Column("period", _("Period")), Column("start", _("From")), Column("end", _("To")),
               Column("sales_count", _("Sales"), INT), Column("returns_count", _("Returns"), INT),
               Column("voids_count", _("Voids"), INT), Column("gross_sales", _("Gross sales"), MONEY),
               Column("discounts", _("Discounts"), MONEY), Column("returns", _("Returned"), MONEY),
               Column("net_sales", _("Net sales"), MONEY), Column("tax", _("Tax"), MONEY),
               Column("avg_basket", _("Average sale"), MONEY)]
    if compare:
        columns += [Column("prev_period", _("Previous period"), TEXT),
                    Column("prev_sales_count", _("Previous sales"), INT),
                    Column("prev_net_sales", _("Previous net sales"), MONEY),
                    Column("change_pct", _("Change %"), PCT)]
    params = {"from": date_from.isoformat(), "to": date_to.isoformat(), "by": by, "compare": compare,
              "previous_from": prev_from.isoformat() if compare else None,
              "previous_to": prev_to.isoformat() if compare else None,
              "store": ctx.till.store_code, "currency": ctx.till.currency}
    return Report("sales", _("Sales trend"), params, [Table("trend", _("Sales trend"), tuple(columns), rows, totals)],
                  ctx.places)


def daily_figures(ctx: Context, conn, date_from: date, date_to: date) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    """business date → [sales, returns, voids, gross, discounts, returned, sales tax, returned tax] (minor units)."""
    totals = sale_totals(ctx, conn, date_from, date_to, ("business_date",))
    days: dict[str, list[int]] = {}
    for (day,), (sales, gross, discount, _cart, tax, _total) in totals.completed().items():
        days[day] = [sales, 0, 0, gross, discount, 0, tax, 0]
    for (day,), values in totals.voided.items():
        days.setdefault(day, [0] * 8)[2] += values[0]
    for day, count, total, tax in conn.execute(RETURNS_SQL, (date_from.isoformat(), date_to.isoformat())):
        d = days.setdefault(day, [0] * 8)
        d[1] += count
        d[5] += int(total or 0)
        d[7] += int(tax or 0)
    return days


def add_up(days: dict[str, list[int]], start: date, end: date, places: int) -> dict[str, Any]:
    """The figures of the business dates from ``start`` to ``end`` (inclusive)."""
    acc = [0] * 8
    for day in period.days_in(start, end):
        values = days.get(day.isoformat())
        if values:
            acc = [a + v for a, v in zip(acc, values)]
    sales, returns_count, voids, gross, discounts, returned, tax, returned_tax = acc
    avg = money(gross - discounts, places) / sales if sales else None
    return {"sales_count": sales, "returns_count": returns_count, "voids_count": voids,
            "gross_sales": money(gross, places), "discounts": money(discounts, places),
            "returns": money(returned, places), "net_sales": money(gross - discounts - returned, places),
            "tax": money(tax - returned_tax, places),
            "avg_basket": round_half_up(avg, places) if avg is not None else None}


def _change(now: Decimal, before: Decimal) -> Decimal | None:
    return percent(now - before, abs(before)) if before else None
