"""The figures of one business day of this till, straight from the documents (what X and Z reports print).

For the day's completed, not voided, sales and the day's returns (``business_date`` = the day):

- ``gross_sales`` = Σ line gross; ``discounts`` = Σ promotion, line and cart discounts of the lines;
- ``returns`` = Σ refunded amounts; ``net_sales`` = gross_sales − discounts − returns;
- ``tax_total`` = tax of the sales − tax of the returned goods;
- ``by_tender`` = per method: taken − change given (cash) − refunds paid out in it;
- ``by_tax_rate`` = per rate: ``net`` = Σ line net − returned amounts, ``tax`` = Σ line tax − returned tax
  (line net is tax-inclusive in a tax-inclusive store, like ``net_sales``);
- ``by_category``, ``by_cashier`` and ``by_hour`` split ``net_sales`` (each adds up to it);
- ``voids_count`` = the day's sales that were voided (they are in no other figure);
- ``no_sales_count`` = drawer openings without a sale that fall on the day (by the business-date rule);
- ``first_receipt``/``last_receipt`` = the lowest and highest receipt number issued for the day (sales,
  voided sales and returns: the numbers come from one sequence).
Every amount is integer minor units here; ``report_json`` formats them. All queries go through the day's
``business_date`` index, so the cost follows the day's size, not the history's.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..core.money import bp_to_rate, format_money, format_rate, from_minor
from ..store import sql
from .business_day import date_for

NOT_VOIDED = "NOT EXISTS (SELECT 1 FROM sale_voids v WHERE v.sale_id = s.id)"
DAY_SALES = f"s.till_id = :till AND s.business_date = :day AND {NOT_VOIDED}"
DAY_RETURNS = "r.till_id = :till AND r.business_date = :day"
UNCATEGORIZED = "-"

SALES = f"""SELECT count(*), coalesce(sum(s.change_minor), 0), coalesce(sum(s.rounding_minor), 0),
       coalesce(sum(s.points_earned), 0), coalesce(sum(s.points_redeemed), 0) FROM sales s WHERE {DAY_SALES}"""
# the day's lines read once, in groups of every split the report makes (rate, category, cashier, hour): a
# 5,000-sale day has about 20,000 lines, and reading them once per split took most of the Z report's time
LINES = f"""SELECT l.tax_rate_bp, coalesce(c.name, '{UNCATEGORIZED}'), s.user_id, substr(s.created_at, 12, 2),
       sum(l.gross_minor), sum(l.promo_discount_minor), sum(l.line_discount_minor), sum(l.cart_share_minor),
       sum(l.net_minor), sum(l.tax_minor), sum(l.qty_milli)
FROM sales s JOIN sale_lines l ON l.sale_id = s.id LEFT JOIN products p ON p.id = l.product_id
LEFT JOIN categories c ON c.id = p.category_id WHERE {DAY_SALES} GROUP BY 1, 2, 3, 4"""
SALES_WITH_LINES = f"""SELECT s.user_id, substr(s.created_at, 12, 2), count(*) FROM sales s
WHERE {DAY_SALES} AND EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id) GROUP BY 1, 2"""
RETURNS = f"""SELECT count(*), coalesce(sum(r.total_minor), 0), coalesce(sum(r.tax_minor), 0),
       coalesce(sum(r.points_reversed), 0) FROM returns r WHERE {DAY_RETURNS}"""
RETURNS_BY_RATE = f"""SELECT l.tax_rate_bp, sum(rl.amount_minor), sum(rl.tax_minor)
FROM returns r JOIN return_lines rl ON rl.return_id = r.id
JOIN sale_lines l ON l.sale_id = r.original_sale_id AND l.line_no = rl.sale_line_no
WHERE {DAY_RETURNS} GROUP BY l.tax_rate_bp"""
TAKEN = f"""SELECT p.method, sum(p.amount_minor) FROM sales s JOIN payments p ON p.sale_id = s.id
WHERE {DAY_SALES} GROUP BY p.method"""
REFUNDED = f"""SELECT f.method, sum(f.amount_minor) FROM returns r JOIN refunds f ON f.return_id = r.id
WHERE {DAY_RETURNS} GROUP BY f.method"""
VOIDS = """SELECT s.user_id, count(*), sum(s.total_minor) FROM sales s JOIN sale_voids v ON v.sale_id = s.id
WHERE s.till_id = :till AND s.business_date = :day GROUP BY s.user_id"""
CATEGORY_RETURNS = f"""SELECT coalesce(c.name, '{UNCATEGORIZED}'), sum(rl.qty_milli), sum(rl.amount_minor)
FROM returns r JOIN return_lines rl ON rl.return_id = r.id LEFT JOIN products p ON p.id = rl.product_id
LEFT JOIN categories c ON c.id = p.category_id WHERE {DAY_RETURNS} GROUP BY 1"""
CASHIER_RETURNS = f"SELECT r.user_id, count(*), sum(r.total_minor) FROM returns r WHERE {DAY_RETURNS} GROUP BY 1"
HOUR_RETURNS = f"""SELECT substr(r.created_at, 12, 2), count(*), sum(r.total_minor) FROM returns r
WHERE {DAY_RETURNS} GROUP BY 1"""
RECEIPTS = """SELECT receipt_no FROM (SELECT receipt_no FROM sales WHERE till_id = :till AND business_date = :day
                                  UNION ALL SELECT receipt_no FROM returns WHERE till_id = :till AND business_date = :day)
ORDER BY length(receipt_no) {order}, receipt_no {order} LIMIT 1"""
USERS = "SELECT id, username FROM users"
CLOSED_DAYS = "SELECT business_date, journal_seq FROM z_reports WHERE till_id = ? ORDER BY journal_seq"
LAST_SALE_BEFORE = """SELECT max(j.seq) FROM journal j WHERE j.doc_id = (SELECT id FROM sales WHERE till_id = ?
                      AND business_date < ? ORDER BY business_date DESC, created_at DESC LIMIT 1)"""
NO_SALES = "SELECT seq, entry FROM journal WHERE seq > ? AND kind = 'no_sale' ORDER BY seq"


@dataclass
class DayFigures:
    """One day's figures in minor units (see the module notes for each definition)."""

    day: date
    sales_count: int = 0
    returns_count: int = 0
    voids_count: int = 0
    voids_amount: int = 0
    no_sales_count: int = 0
    gross_sales: int = 0
    promotion_discounts: int = 0
    line_discounts: int = 0
    cart_discounts: int = 0
    sales_net: int = 0
    sales_tax: int = 0
    returns: int = 0
    returns_tax: int = 0
    change_given: int = 0
    rounding: int = 0
    points_earned: int = 0
    points_redeemed: int = 0
    points_reversed: int = 0
    taken: dict[str, int] = field(default_factory=dict)
    refunded: dict[str, int] = field(default_factory=dict)
    by_tax_rate: dict[int, list[int]] = field(default_factory=dict)  # rate bp → [net, tax]
    by_category: dict[str, list[int]] = field(default_factory=dict)  # name → [qty_milli, net]
    by_cashier: dict[str, dict[str, int]] = field(default_factory=dict)
    by_hour: dict[str, list[int]] = field(default_factory=dict)  # "09" → [sales_count, net]
    first_receipt: str | None = None
    last_receipt: str | None = None

    @property
    def discounts(self) -> int:
        return self.promotion_discounts + self.line_discounts + self.cart_discounts

    @property
    def net_sales(self) -> int:
        return self.gross_sales - self.discounts - self.returns

    @property
    def tax_total(self) -> int:
        return self.sales_tax - self.returns_tax

    @property
    def by_tender(self) -> dict[str, int]:
        out = {}
        for method in sorted(set(self.taken) | set(self.refunded)):
            out[method] = self.taken.get(method, 0) - self.refunded.get(method, 0) - \
                (self.change_given if method == "cash" else 0)
        return out


def compute(conn: sqlite3.Connection, till_id: str, day: date) -> DayFigures:
    """The figures of ``day`` on ``till_id`` as the database stands in ``conn``'s transaction."""
    p = {"till": till_id, "day": day.isoformat()}
    run = lambda query: conn.execute(query, p).fetchall()  # noqa: E731
    f = DayFigures(day)
    (f.sales_count, f.change_given, f.rounding, f.points_earned, f.points_redeemed) = run(SALES)[0]
    lines = run(LINES)
    for bp, _cat, _user, _hour, gross, promo, line_disc, cart, net, tax, _qty in lines:
        f.gross_sales += gross
        f.promotion_discounts += promo
        f.line_discounts += line_disc
        f.cart_discounts += cart
        f.sales_net += net
        f.sales_tax += tax
        by_rate = f.by_tax_rate.setdefault(bp, [0, 0])
        by_rate[0] += net
        by_rate[1] += tax
    f.returns_count, _total, f.returns_tax, f.points_reversed = run(RETURNS)[0]
    for bp, amount, tax in run(RETURNS_BY_RATE):
        net_tax = f.by_tax_rate.setdefault(bp, [0, 0])
        net_tax[0] -= amount
        net_tax[1] -= tax
    f.taken = {method: amount for method, amount in run(TAKEN)}
    f.refunded = {method: amount for method, amount in run(REFUNDED)}
    f.returns = sum(f.refunded.values())
    _split(f, lines, run, conn)
    _no_sales(f, conn, till_id)
    first = conn.execute(RECEIPTS.format(order="ASC"), p).fetchone()
    last = conn.execute(RECEIPTS.format(order="DESC"), p).fetchone()
    f.first_receipt, f.last_receipt = (first[0] if first else None), (last[0] if last else None)
    return f


def _split(f: DayFigures, lines: list[tuple], run, conn: sqlite3.Connection) -> None:  # type: ignore[no-untyped-def]
    """By category, cashier and hour (``lines``: the rows of ``LINES``)."""
    sold: dict[str, list[int]] = {}                 # user id → [sales, net, discounts]
    for _bp, name, user_id, hour, _gross, promo, line_disc, cart, net, _tax, qty in lines:
        entry = f.by_category.setdefault(name, [0, 0])
        entry[0] += qty
        entry[1] += net
        mine = sold.setdefault(user_id, [0, 0, 0])
        mine[1] += net
        mine[2] += promo + line_disc + cart
        f.by_hour.setdefault(hour, [0, 0])[1] += net
    for user_id, hour, count in run(SALES_WITH_LINES):
        sold.setdefault(user_id, [0, 0, 0])[0] += count
        f.by_hour.setdefault(hour, [0, 0])[0] += count
    for name, qty, amount in run(CATEGORY_RETURNS):
        entry = f.by_category.setdefault(name, [0, 0])
        entry[0] -= qty
        entry[1] -= amount
    users = dict(sql.rows(conn, USERS))
    blank = lambda: {"sales_count": 0, "net_sales": 0, "discounts": 0, "returns_count": 0,  # noqa: E731
                     "returns": 0, "voids_count": 0}
    for user_id, (count, total, discount) in sold.items():
        c = f.by_cashier.setdefault(users.get(user_id, user_id), blank())
        c.update(sales_count=count, net_sales=c["net_sales"] + total, discounts=discount)
    for user_id, count, total in run(CASHIER_RETURNS):
        c = f.by_cashier.setdefault(users.get(user_id, user_id), blank())
        c.update(returns_count=count, returns=total, net_sales=c["net_sales"] - total)
    for user_id, count, total in run(VOIDS):
        f.voids_count += count
        f.voids_amount += total
        f.by_cashier.setdefault(users.get(user_id, user_id), blank())["voids_count"] = count
    for hour, _count, total in run(HOUR_RETURNS):
        f.by_hour.setdefault(hour, [0, 0])[1] -= total


def _no_sales(f: DayFigures, conn: sqlite3.Connection, till_id: str) -> None:
    """No-sale drawer openings whose business date (the rule of ``business_day``, applied with the days that
    were closed at the moment of each opening) is the day. Only the journal after the last Z before the day, and
    after the last sale of an earlier day, is read (a till's first Z does not read years of journal)."""
    closed = sql.rows(conn, CLOSED_DAYS, till_id)
    since = max((seq for d, seq in closed if d < f.day.isoformat()), default=0)
    since = max(since, sql.scalar(conn, LAST_SALE_BEFORE, till_id, f.day.isoformat()) or 0)
    for seq, entry in sql.rows(conn, NO_SALES, since):
        at = datetime.fromisoformat(json.loads(entry)["at"])
        last = max((date.fromisoformat(d) for d, zseq in closed if zseq < seq), default=None)
        if date_for(at, last) == f.day:
            f.no_sales_count += 1


def report_json(f: DayFigures, places: int, **head: Any) -> dict[str, Any]:
    """The report as ``pos report x|z --json`` prints it: ``head`` (kind, date, store, till, z_number, …)
    then the fixed fields of the issue, then the extra detail. Money as fixed-decimal strings."""
    m = lambda minor: format_money(from_minor(minor, places), places)  # noqa: E731
    doc: dict[str, Any] = dict(head)
    doc.update({
        "sales_count": f.sales_count, "returns_count": f.returns_count, "voids_count": f.voids_count,
        "gross_sales": m(f.gross_sales), "discounts": m(f.discounts), "returns": m(f.returns),
        "net_sales": m(f.net_sales), "tax_total": m(f.tax_total),
        "by_tender": {method: m(amount) for method, amount in f.by_tender.items()},
        "by_tax_rate": {format_rate(bp_to_rate(bp)): {"net": m(net), "tax": m(tax)}
                        for bp, (net, tax) in sorted(f.by_tax_rate.items(), reverse=True)},
        "first_receipt": f.first_receipt, "last_receipt": f.last_receipt,
    })
    doc.update({
        "voids_amount": m(f.voids_amount), "no_sales_count": f.no_sales_count,
        "promotion_discounts": m(f.promotion_discounts), "line_discounts": m(f.line_discounts),
        "cart_discounts": m(f.cart_discounts), "sales_tax": m(f.sales_tax), "returns_tax": m(f.returns_tax),
        "change_given": m(f.change_given), "rounding": m(f.rounding),
        "taken_by_tender": {k: m(v) for k, v in sorted(f.taken.items())},
        "refunds_by_tender": {k: m(v) for k, v in sorted(f.refunded.items())},
        "by_category": {name: {"qty": f"{from_minor(qty, 3):f}", "net_sales": m(net)}
                        for name, (qty, net) in sorted(f.by_category.items())},
        "by_cashier": {name: {k: (m(v) if k in ("net_sales", "discounts", "returns") else v)
                              for k, v in c.items()} for name, c in sorted(f.by_cashier.items())},
        "by_hour": {hour: {"sales_count": count, "net_sales": m(net)}
                    for hour, (count, net) in sorted(f.by_hour.items())},
        "points_earned": f.points_earned, "points_redeemed": f.points_redeemed,
        "points_reversed": f.points_reversed,
    })
    return doc
