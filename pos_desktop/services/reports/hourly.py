"""The hourly heat map: completed sales by weekday (or by date) × hour of the range.

The hour is the till's wall-clock hour when the sale was completed (``created_at`` keeps the till's local time
with its offset); the weekday is the business date's. A cell holds the net sales (gross − discounts; returns
are not sales activity) or the number of sales of that weekday and hour over the whole range; ``days`` says
how many of each weekday the range holds, so a chart can show averages per day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...core import periods as period
from ...core.i18n import _
from ..context import Context
from .reading import money, snapshot
from .sale_buckets import sale_totals
from .table import INT, MONEY, Column, Report, Table

MEASURES = ("net_sales", "sales_count")
GROUPS = ("weekday", "date")


def weekday_names() -> list[str]:
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


def hourly_heatmap(ctx: Context, date_from: date, date_to: date, measure: str = "net_sales",
                   by: str = "weekday") -> Report:
    """Weekday (or, ``by="date"``, business date) × hour of the completed sales between two business dates
    (inclusive). Table rows are the weekdays Monday…Sunday (or every date of the range), columns ``h08`` … the
    hours that had sales; ``cells`` in the JSON hold every non-empty cell with both measures."""
    period.check_range(date_from, date_to)
    period.check_by(measure, MEASURES)
    period.check_by(by, GROUPS)
    with snapshot(ctx) as conn:
        totals = sale_totals(ctx, conn, date_from, date_to, ("business_date", "hour")).completed()
    key = (lambda day: date.fromisoformat(day).isoweekday()) if by == "weekday" else (lambda day: day)
    cells: dict[tuple[Any, int], list[int]] = {}
    by_line: dict[Any, list[int]] = {}          # a row's total (weekday or date)
    by_hour: dict[int, list[int]] = {}          # an hour's total
    for (day, hour), (sales, gross, discount, _cart, _tax, _total) in totals.items():
        line, hour = key(day), int(hour)
        for acc in (cells.setdefault((line, hour), [0, 0]), by_line.setdefault(line, [0, 0]),
                    by_hour.setdefault(hour, [0, 0])):
            acc[0] += sales
            acc[1] += gross - discount
    hours = list(range(min(h for _w, h in cells), max(h for _w, h in cells) + 1)) if cells else []
    kind = MONEY if measure == "net_sales" else INT
    value = (lambda c: money(c[1], ctx.places)) if measure == "net_sales" else (lambda c: c[0])
    names = weekday_names()
    if by == "weekday":
        days = [0] * 8
        for day in period.days_in(date_from, date_to):
            days[day.isoweekday()] += 1
        lines = [(weekday, {"weekday": names[weekday - 1], "days": days[weekday]}) for weekday in range(1, 8)]
        first = (Column("weekday", _("Weekday")), Column("days", _("Days"), INT))
    else:
        lines = [(d.isoformat(), {"date": d.isoformat(), "weekday": names[d.isoweekday() - 1]})
                 for d in period.days_in(date_from, date_to)]
        first = (Column("date", _("Date")), Column("weekday", _("Weekday")))
    rows = []
    for line, row in lines:
        for hour in hours:
            row[f"h{hour:02d}"] = value(cells.get((line, hour), [0, 0]))
        row["total"] = value(by_line.get(line, [0, 0]))
        rows.append(row)
    totals_row: dict[str, Any] = {first[0].key: _("Total")}
    if by == "weekday":
        totals_row["days"] = sum(days)
    for hour in hours:
        totals_row[f"h{hour:02d}"] = value(by_hour.get(hour, [0, 0]))
    totals_row["total"] = value([sum(c[i] for c in cells.values()) for i in (0, 1)])
    columns = (*first, *(Column(f"h{hour:02d}", f"{hour:02d}", kind) for hour in hours),
               Column("total", _("Total"), kind))
    peak = max(cells.items(), key=lambda item: (item[1][1] if measure == "net_sales" else item[1][0]), default=None)
    extra = {"hours": hours,
             "cells": [{by: w, "hour": h, "sales_count": c[0], "net_sales": _money_text(c[1], ctx.places)}
                       for (w, h), c in sorted(cells.items())],
             "peak": {by: peak[0][0], "hour": peak[0][1]} if peak else None}
    params = {"from": date_from.isoformat(), "to": date_to.isoformat(), "measure": measure, "by": by,
              "store": ctx.till.store_code, "currency": ctx.till.currency}
    when = (names[peak[0][0] - 1] if by == "weekday" else peak[0][0]) if peak else ""
    notes = [_("Busiest hour: {weekday} {hour}:00").format(weekday=when, hour=f"{peak[0][1]:02d}")] if peak else []
    title = _("Sales by weekday and hour") if by == "weekday" else _("Sales by date and hour")
    return Report("hourly", title, params, [Table("hourly", title, columns, rows, totals_row)], ctx.places, notes,
                  extra)


def _money_text(minor: int, places: int) -> str:
    from ...core.money import format_money
    return format_money(money(minor, places), places)
