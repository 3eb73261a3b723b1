"""Cashier figures: what each user rang up, and the voids, returns, discounts and no-sales around them.

Per user, for the range's business dates:
- ``sales_count``, ``net_sales`` (gross − discounts) of their completed sales;
- ``voids_count``/``voids_value``: their sales that were voided (whoever approved the void);
- ``returns_count``/``returns_value``: the returns they took (refunded amounts);
- ``discounts``: manual discounts on their completed sales (line discounts and shares of cart discounts —
  not promotions, which the till gives by itself), on ``discount_lines`` lines; ``price_overrides``: lines
  sold at an overridden price;
- ``no_sales``: drawer openings without a sale (journal entries ``no_sale`` by that user, by local date);
- rates to compare people who sell different amounts: ``void_rate`` = voids ÷ (sales + voids),
  ``return_rate`` = returns value ÷ net sales, ``discount_rate`` = discounts ÷ gross sales, ``no_sale_rate``
  = no-sales per 100 sales — all in %.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ...core import periods as period
from ...core.i18n import _
from ..context import Context
from .reading import journal_entries, money, snapshot
from .sale_buckets import sale_totals
from .table import INT, MONEY, PCT, TEXT, Column, Report, Table, percent

LINES_SQL = """SELECT s.user_id, sum(l.line_discount_minor + l.cart_share_minor),
       sum(l.line_discount_minor + l.cart_share_minor > 0), sum(l.price_overridden)
FROM sales s CROSS JOIN sale_lines l ON l.sale_id = s.id
WHERE s.business_date BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM sale_voids v WHERE v.sale_id = s.id)
GROUP BY s.user_id"""
RETURNS_SQL = """SELECT user_id, count(*), sum(total_minor) FROM returns WHERE business_date BETWEEN ? AND ?
GROUP BY user_id"""
USERS_SQL = "SELECT id, username, display_name, role FROM users"


@dataclass
class CashierFigures:
    """One user's figures, in minor units and counts."""

    user_id: str
    username: str = ""
    name: str = ""
    role: str = ""
    sales: int = 0
    gross: int = 0
    net: int = 0
    voids: int = 0
    voids_value: int = 0
    returns: int = 0
    returns_value: int = 0
    discounts: int = 0
    discount_lines: int = 0
    overrides: int = 0
    no_sales: int = 0
    no_sale_reasons: list[str] = field(default_factory=list)

    def rates(self) -> dict[str, Any]:
        return {"void_rate": percent(self.voids, self.sales + self.voids),
                "return_rate": percent(self.returns_value, self.net),
                "discount_rate": percent(self.discounts, self.gross),
                "no_sale_rate": percent(self.no_sales, self.sales)}


def cashier_figures(ctx: Context, conn: sqlite3.Connection, date_from: date, date_to: date) -> list[CashierFigures]:
    """Every user with anything to show in the range, in the snapshot of ``conn``."""
    span = (date_from.isoformat(), date_to.isoformat())
    people: dict[str, CashierFigures] = {}

    def of(user_id: str) -> CashierFigures:
        return people.setdefault(user_id, CashierFigures(user_id))

    totals = sale_totals(ctx, conn, date_from, date_to, ("user_id",))
    for (user_id,), (sales, gross, discount, _cart, _tax, _total) in totals.completed().items():
        f = of(user_id)
        f.sales, f.gross, f.net = sales, gross, gross - discount
    for (user_id,), (sales, gross, discount, _cart, _tax, _total) in totals.voided.items():
        f = of(user_id)
        f.voids, f.voids_value = sales, gross - discount
    for user_id, discounts, lines, overrides in conn.execute(LINES_SQL, span):
        f = of(user_id)
        f.discounts, f.discount_lines, f.overrides = int(discounts or 0), int(lines or 0), int(overrides or 0)
    for user_id, count, value in conn.execute(RETURNS_SQL, span):
        f = of(user_id)
        f.returns, f.returns_value = count, int(value or 0)
    names = {row[1]: row for row in conn.execute(USERS_SQL)}
    by_id = {row[0]: row for row in names.values()}
    for entry in journal_entries(conn, "no_sale", date_from, date_to):
        user = names.get(entry.get("user"))
        f = of(user[0] if user else f"?{entry.get('user')}")
        f.no_sales += 1
        f.no_sale_reasons.append(str((entry.get("payload") or {}).get("reason") or ""))
    for f in people.values():
        row = by_id.get(f.user_id)
        f.username, f.name, f.role = (row[1], row[2], row[3]) if row else (f.user_id.lstrip("?"), "", "")
    return sorted(people.values(), key=lambda f: (-f.net, f.username))


def cashier_report(ctx: Context, date_from: date, date_to: date) -> Report:
    """Cashier figures between two business dates (inclusive), most net sales first."""
    period.check_range(date_from, date_to)
    with snapshot(ctx) as conn:
        people = cashier_figures(ctx, conn, date_from, date_to)
    p = ctx.places
    rows = [{**rows_of(f, p), **f.rates()} for f in people]
    total = CashierFigures("", username=_("Total"))
    for f in people:
        for name in ("sales", "gross", "net", "voids", "voids_value", "returns", "returns_value", "discounts",
                     "discount_lines", "overrides", "no_sales"):
            setattr(total, name, getattr(total, name) + getattr(f, name))
    totals = {**rows_of(total, p), **total.rates()}
    columns = (Column("user", _("User")), Column("name", _("Name")), Column("role", _("Role"), TEXT),
               Column("sales_count", _("Sales"), INT), Column("net_sales", _("Net sales"), MONEY),
               Column("voids_count", _("Voids"), INT), Column("voids_value", _("Voided"), MONEY),
               Column("returns_count", _("Returns"), INT), Column("returns_value", _("Returned"), MONEY),
               Column("discounts", _("Manual discounts"), MONEY), Column("discount_lines", _("Discounted lines"), INT),
               Column("price_overrides", _("Price overrides"), INT), Column("no_sales", _("No-sales"), INT),
               Column("void_rate", _("Void %"), PCT), Column("return_rate", _("Return %"), PCT),
               Column("discount_rate", _("Discount %"), PCT), Column("no_sale_rate", _("No-sales per 100 sales"), PCT))
    params = {"from": date_from.isoformat(), "to": date_to.isoformat(), "store": ctx.till.store_code,
              "currency": ctx.till.currency}
    return Report("cashiers", _("Cashier figures"), params,
                  [Table("cashiers", _("Cashier figures"), columns, rows, totals)], p)


def rows_of(f: CashierFigures, p: int) -> dict[str, Any]:
    return {"user": f.username, "name": f.name, "role": f.role, "sales_count": f.sales, "net_sales": money(f.net, p),
            "voids_count": f.voids, "voids_value": money(f.voids_value, p), "returns_count": f.returns,
            "returns_value": money(f.returns_value, p), "discounts": money(f.discounts, p),
            "discount_lines": f.discount_lines, "price_overrides": f.overrides, "no_sales": f.no_sales}
