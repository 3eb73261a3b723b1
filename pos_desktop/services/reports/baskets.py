"""Basket analysis: how big each sale is — value, lines and items — per day, week or month.

A basket is one completed (not voided) sale. ``items`` counts units (a six-pack scanned once is 6 items if
it was sold as 6, as its quantity says); a weighed line (kg) counts as one item. ``avg_value`` = Σ (gross −
discounts) ÷ sales; ``avg_items`` and ``avg_lines`` likewise. The second table spreads the range's baskets
over sizes (1, 2, 3–5, 6–10, 11–20, 21 or more items).
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
from .table import INT, MONEY, PCT, RATIO, QTY, Column, Report, Table, percent

BASKETS_SQL = """SELECT s.business_date, s.subtotal_minor - s.discount_minor, count(*),
       sum(CASE WHEN p.is_weighed THEN 1000 ELSE l.qty_milli END)
FROM sales s CROSS JOIN sale_lines l ON l.sale_id = s.id JOIN products p ON p.id = l.product_id
WHERE s.business_date BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM sale_voids v WHERE v.sale_id = s.id)
GROUP BY s.business_date, s.rowid"""
SIZES = ((1, 1), (2, 2), (3, 5), (6, 10), (11, 20), (21, None))


def size_label(lo: int, hi: int | None) -> str:
    if hi is None:
        return _("{n} or more").format(n=lo)
    return str(lo) if lo == hi else f"{lo}–{hi}"


def basket_report(ctx: Context, date_from: date, date_to: date, by: str = "day") -> Report:
    """Basket size and items per basket between two business dates (inclusive), per ``by`` (day, week,
    month), with the spread of basket sizes over the whole range."""
    buckets = period.buckets(date_from, date_to, by)
    with snapshot(ctx) as conn:
        baskets = conn.execute(BASKETS_SQL, (date_from.isoformat(), date_to.isoformat())).fetchall()
    index = {day.isoformat(): i for i, b in enumerate(buckets) for day in period.days_in(b.start, b.end)}
    acc = [[0, 0, 0, 0, 0] for _b in buckets]          # sales, value, lines, items (milli), largest (milli)
    sizes = [0] * len(SIZES)
    for day, value, lines, items in baskets:
        a = acc[index[day]]
        a[0] += 1
        a[1] += value
        a[2] += lines
        a[3] += items
        a[4] = max(a[4], items)
        count = -(-items // 1000)                      # whole items; 2.5 kg of one weighed line is 1 already
        sizes[next(i for i, (lo, hi) in enumerate(SIZES) if hi is None or count <= hi)] += 1
    rows = [{"period": b.label, "start": b.start.isoformat(), "end": b.end.isoformat(), **_figures(a, ctx.places)}
            for b, a in zip(buckets, acc)]
    whole = [sum(a[i] for a in acc) for i in range(4)] + [max((a[4] for a in acc), default=0)]
    totals = {"period": _("Total"), **_figures(whole, ctx.places)}
    columns = (Column("period", _("Period")), Column("start", _("From")), Column("end", _("To")),
               Column("sales_count", _("Baskets"), INT), Column("net_sales", _("Net sales"), MONEY),
               Column("avg_value", _("Average basket"), MONEY), Column("lines", _("Lines"), INT),
               Column("avg_lines", _("Lines per basket"), RATIO), Column("items", _("Items"), QTY),
               Column("avg_items", _("Items per basket"), RATIO), Column("max_items", _("Largest basket"), QTY))
    spread = [{"size": size_label(lo, hi), "baskets": n, "share_pct": percent(n, whole[0])}
              for (lo, hi), n in zip(SIZES, sizes)]
    spread_table = Table("sizes", _("Basket sizes"), (Column("size", _("Items in the basket")),
                                                      Column("baskets", _("Baskets"), INT),
                                                      Column("share_pct", _("Share %"), PCT)), spread)
    params = {"from": date_from.isoformat(), "to": date_to.isoformat(), "by": by, "store": ctx.till.store_code,
              "currency": ctx.till.currency}
    return Report("baskets", _("Baskets"), params,
                  [Table("baskets", _("Baskets"), columns, rows, totals), spread_table], ctx.places)


def _figures(a: list[int], places: int) -> dict[str, Any]:
    sales, value, lines, items, largest = a

    def avg(x: int | Decimal) -> Decimal | None:
        return round_half_up(Decimal(x) / sales, 2) if sales else None

    return {"sales_count": sales, "net_sales": money(value, places),
            "avg_value": round_half_up(money(value, places) / sales, places) if sales else None,
            "lines": lines, "avg_lines": avg(lines), "items": Decimal(items).scaleb(-3),
            "avg_items": avg(Decimal(items).scaleb(-3)), "max_items": Decimal(largest).scaleb(-3)}
