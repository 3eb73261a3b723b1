"""Inventory turnover and days of stock, from the stock ledger.

Per product, over the store's stock locations (sales floor, back room, warehouses — not goods in transit or in
quarantine), with dates being the local dates of the movements:
- ``closing`` = on hand at the end of the range = today's on hand − the movements after the range;
- ``opening`` = closing − the movements in the range;
- ``sold`` = units that left through sales in the range, net of voids and returns;
- ``turnover`` = sold ÷ average on hand ((opening + closing) ÷ 2) — how many times the stock was sold through
  in the range (empty when the average stock is not above zero);
- ``days_of_stock`` = closing ÷ (sold ÷ days of the range) — how long the stock left lasts at the range's pace
  (empty when nothing sold).
By category the same in value at each product's current cost (units of different goods do not add up):
turnover = Σ sold value ÷ Σ average stock value, days of stock = Σ closing value ÷ (Σ sold value ÷ days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ...core import periods as period
from ...core.i18n import _
from ...core.money import round_half_up
from ..context import Context
from .margin import BY, product_info, sort_rows
from .reading import div_half_up, money, qty, snapshot
from .table import DAYS, INT, MONEY, QTY, RATIO, Column, Report, Table

SORTS = ("stock_value", "days_of_stock", "turnover", "sold_value", "sku")
STOCK_LOCATIONS = "SELECT id FROM locations WHERE kind NOT IN ('transit', 'quarantine')"
LEVELS_SQL = f"""SELECT product_id, sum(qty_milli) FROM stock_levels WHERE location_id IN ({STOCK_LOCATIONS})
GROUP BY product_id"""
# one pass over the ledger in storage order (NOT INDEXED: walking the product index to save the GROUP BY's sort
# fetches every movement at random, three times slower)
MOVES_SQL = f"""SELECT product_id,
       sum(CASE WHEN substr(created_at, 1, 10) > :to THEN qty_milli ELSE 0 END),
       sum(CASE WHEN substr(created_at, 1, 10) <= :to THEN qty_milli ELSE 0 END),
       sum(CASE WHEN substr(created_at, 1, 10) <= :to AND reason IN ('sale', 'void', 'return') THEN -qty_milli
                ELSE 0 END)
FROM stock_movements NOT INDEXED WHERE created_at >= :start AND location_id IN ({STOCK_LOCATIONS})
GROUP BY product_id"""


@dataclass
class Stock:
    """One product's (or category's) stock in the range: thousandths of units, and values in minor units."""

    opening: int = 0
    closing: int = 0
    sold: int = 0
    cost: int = 0

    def value(self, milli: int) -> int:
        return div_half_up(self.cost * milli, 1000)


def stock_in(conn, date_from: date, date_to: date) -> dict[str, Stock]:  # type: ignore[no-untyped-def]
    """product id → its opening, closing and sold units in the range (every product stocked or moved)."""
    stock = {pid: Stock(opening=int(q or 0), closing=int(q or 0)) for pid, q in conn.execute(LEVELS_SQL)}
    for pid, after, during, sold in conn.execute(MOVES_SQL, {"to": date_to.isoformat(),
                                                               "start": date_from.isoformat()}):
        s = stock.setdefault(pid, Stock())
        s.closing -= int(after or 0)
        s.opening = s.closing - int(during or 0)
        s.sold = int(sold or 0)
    return {pid: s for pid, s in stock.items() if s.opening or s.closing or s.sold}


def turnover_report(ctx: Context, date_from: date, date_to: date, by: str = "product", sort: str = "stock_value",
                    limit: int | None = None) -> Report:
    """Turnover and days of stock per product or category between two dates (inclusive), sorted by
    ``sort`` (largest first; ``sku`` alphabetically)."""
    period.check_range(date_from, date_to)
    period.check_by(by, BY)
    period.check_by(sort, SORTS)
    days = (date_to - date_from).days + 1
    with snapshot(ctx) as conn:
        stock = stock_in(conn, date_from, date_to)
        info = product_info(conn, stock)
        costs = _costs(conn, list(stock))
    for pid, s in stock.items():
        s.cost = costs.get(pid) or 0
    p = ctx.places
    if by == "product":
        rows = [{"sku": i.sku if i else pid, "name": i.name if i else "", "category": _category(i),
                 "opening": qty(s.opening), "closing": qty(s.closing), "sold": qty(s.sold),
                 "stock_value": money(s.value(s.closing), p), "sold_value": money(s.value(s.sold), p),
                 "turnover": _turnover(Decimal(s.sold), Decimal(s.opening + s.closing) / 2),
                 "days_of_stock": _days_of_stock(Decimal(s.closing), Decimal(s.sold), days)}
                for pid, s in stock.items() for i in [info.get(pid)]]
        columns = [Column("sku", _("SKU")), Column("name", _("Item")), Column("category", _("Category")),
                   Column("opening", _("Opening stock"), QTY), Column("closing", _("Closing stock"), QTY),
                   Column("sold", _("Sold"), QTY)]
    else:
        cats: dict[str, list[int]] = {}
        for pid, s in stock.items():
            acc = cats.setdefault(_category(info.get(pid)), [0, 0, 0, 0])
            acc[0] += s.value(s.opening)
            acc[1] += s.value(s.closing)
            acc[2] += s.value(s.sold)
            acc[3] += 1
        rows = [_category_row(name, *acc, days=days, places=p) for name, acc in cats.items()]
        columns = [Column("category", _("Category")), Column("products", _("Items"), INT),
                   Column("opening_value", _("Opening stock value"), MONEY)]
    columns += [Column("stock_value", _("Closing stock value"), MONEY), Column("sold_value", _("Sold at cost"), MONEY),
                Column("turnover", _("Turnover"), RATIO), Column("days_of_stock", _("Days of stock"), DAYS)]
    rows = sort_rows(rows, sort)
    all_rows = len(rows)
    if limit is not None:
        rows = rows[:max(limit, 0)]
    t = [sum(s.value(s.opening) for s in stock.values()), sum(s.value(s.closing) for s in stock.values()),
         sum(s.value(s.sold) for s in stock.values())]
    totals = _category_row(_("Total"), *t, len(stock), days=days, places=p)
    if by == "product":
        totals = {"sku": _("Total"), **{k: v for k, v in totals.items() if k != "category"}}
    params = {"from": date_from.isoformat(), "to": date_to.isoformat(), "by": by, "sort": sort, "limit": limit,
              "rows_total": all_rows, "days": days, "store": ctx.till.store_code, "currency": ctx.till.currency}
    return Report("turnover", _("Inventory turnover and days of stock"), params,
                  [Table("turnover", _("Inventory turnover and days of stock"), tuple(columns), rows, totals)], p,
                  [_("Values at each item's current cost; stock in transit and in quarantine is left out.")])


def _category_row(name: str, opening: int, closing: int, sold: int, products: int, *, days: int,
                  places: int) -> dict[str, Any]:
    return {"category": name, "products": products, "opening_value": money(opening, places),
            "stock_value": money(closing, places), "sold_value": money(sold, places),
            "turnover": _turnover(Decimal(sold), Decimal(opening + closing) / 2),
            "days_of_stock": _days_of_stock(Decimal(closing), Decimal(sold), days)}


def _turnover(sold: Decimal, average: Decimal) -> Decimal | None:
    return round_half_up(sold / average, 2) if average > 0 else None


def _days_of_stock(closing: Decimal, sold: Decimal, days: int) -> Decimal | None:
    if sold <= 0:
        return None
    return round_half_up(max(closing, Decimal(0)) * days / sold, 1)


def _category(info) -> str:  # type: ignore[no-untyped-def]
    return (info.category if info else None) or _("(no category)")


def _costs(conn, ids: list[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    out: dict[str, int] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out.update(conn.execute(f"SELECT id, cost_minor FROM products WHERE id IN ({', '.join('?' * len(chunk))})",
                                chunk).fetchall())
    return out
