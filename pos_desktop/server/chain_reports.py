"""Chain-wide reports at head office, from the sales, returns and voids the tills pushed (never recomputed).

Figures follow the till's reports (issue 7, docs/close-of-day.md), for each store's completed (not voided)
sales of the range's business dates and the returns taken on those dates:
``sales_count`` · ``voids_count`` (a void counts on its sale's day) · ``returns_count`` · ``gross_sales`` = Σ
subtotal · ``discounts`` = Σ discounts · ``returns`` = Σ refunded amounts · ``net_sales`` = Σ total − Σ
returns (= gross − discounts − returns) · ``tax`` = Σ tax − tax of the returns · ``avg_basket`` = Σ total ÷
sales_count.

Margin where the cost is known: a sale line's unit cost is the one its sale's stock movements carried (the
till's cost at the moment of sale). A line whose sale movements of that product all carry a cost is
*costed*; its cost is round_half_up(unit cost × qty), as the till's margin report rounds it, and a return
line takes the cost of the line it returns. ``margin`` = net sales of the costed lines − their cost (returns
subtracted from both); ``margin_pct`` = margin ÷ those net sales; ``uncosted_sales`` = the rest of the net
sales. A store with no costed line has no margin (null).

The previous period follows the till's rule (``core/periods.py``): the same number of days just
before by day; moved back by whole weeks by week; by the number of calendar months touched by month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, case, func, select, text
from sqlalchemy.orm import Session

from ..core import periods
from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.periods import BY_TIME, buckets, previous_range
from .catalog_write import PLACES
from .models import Product, Sale, SaleLine, SaleReturn, SaleVoid, StockMovement, Store
from .models.sales import ReturnLine
from .reports import money

FIRST_YEAR = 1900          # the previous period of any range from then on is a real date


# --- periods (cut as the till cuts them: core/periods.py) ---------------------------------------------------------


def check_range(date_from: date, date_to: date) -> None:
    periods.check_range(date_from, date_to)
    if date_from.year < FIRST_YEAR:
        raise InvalidInput(_("A report starts in {year} or later").format(year=FIRST_YEAR), code="bad_range")


def check_by(by: str) -> None:
    periods.check_by(by, BY_TIME)


# --- figures ---------------------------------------------------------------------------------------------------


@dataclass
class Figures:
    """One store's (or bucket's) figures in minor units."""

    sales: int = 0
    voids: int = 0
    returns_count: int = 0
    gross: int = 0
    discounts: int = 0
    total: int = 0
    tax: int = 0
    returned: int = 0
    returned_tax: int = 0
    costed_net: int = 0
    cost: int = 0
    by_store: dict[str, "Figures"] = field(default_factory=dict)

    @property
    def net(self) -> int:
        return self.total - self.returned

    def add(self, other: "Figures") -> None:
        for name in ("sales", "voids", "returns_count", "gross", "discounts", "total", "tax", "returned",
                     "returned_tax", "costed_net", "cost"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_json(self, with_margin: bool = False) -> dict[str, Any]:
        avg = (Decimal(self.total).scaleb(-PLACES) / self.sales).quantize(Decimal(1).scaleb(-PLACES),
                                                                           rounding=ROUND_HALF_UP) \
            if self.sales else None
        doc: dict[str, Any] = {
            "sales_count": self.sales, "returns_count": self.returns_count, "voids_count": self.voids,
            "gross_sales": money(self.gross), "discounts": money(self.discounts), "returns": money(self.returned),
            "net_sales": money(self.net), "tax": money(self.tax - self.returned_tax),
            "avg_basket": f"{avg:f}" if avg is not None else None}
        if with_margin:
            costed = self.costed_net != 0 or self.cost != 0
            doc.update({"costed_sales": money(self.costed_net), "cost": money(self.cost),
                        "margin": money(self.costed_net - self.cost) if costed else None,
                        "margin_pct": pct(self.costed_net - self.cost, self.costed_net) if costed else None,
                        "uncosted_sales": money(self.net - self.costed_net)})
        return doc


def pct(part: int, whole: int) -> str | None:
    """``part`` as a percentage of ``whole`` with two decimals (half-up); None when ``whole`` is 0."""
    if not whole:
        return None
    return f"{(Decimal(part) * 100 / Decimal(whole)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"


def _sales_query(date_from: date, date_to: date) -> Any:
    live = SaleVoid.id.is_(None)
    return (select(Sale.store_id, Sale.business_date, func.sum(case((live, 1), else_=0)),
                   func.sum(case((live, 0), else_=1)), func.sum(case((live, Sale.subtotal_minor), else_=0)),
                   func.sum(case((live, Sale.discount_minor), else_=0)),
                   func.sum(case((live, Sale.total_minor), else_=0)), func.sum(case((live, Sale.tax_minor), else_=0)))
            .outerjoin(SaleVoid, SaleVoid.sale_id == Sale.id)
            .where(Sale.business_date.between(date_from.isoformat(), date_to.isoformat()))
            .group_by(Sale.store_id, Sale.business_date))


def _returns_query(date_from: date, date_to: date) -> Any:
    return (select(SaleReturn.store_id, SaleReturn.business_date, func.count(SaleReturn.id),
                   func.sum(SaleReturn.total_minor), func.sum(SaleReturn.tax_minor))
            .where(SaleReturn.business_date.between(date_from.isoformat(), date_to.isoformat()))
            .group_by(SaleReturn.store_id, SaleReturn.business_date))


def daily(session: Session, date_from: date, date_to: date) -> dict[tuple[str, str], Figures]:
    """(store id, business date) → its figures (no margin), for the dates of the range."""
    days: dict[tuple[str, str], Figures] = {}
    for store_id, day, sales, voids, gross, discounts, total, tax in session.execute(_sales_query(date_from,
                                                                                                   date_to)):
        f = days.setdefault((store_id, day), Figures())
        f.sales, f.voids, f.gross, f.discounts = int(sales or 0), int(voids or 0), int(gross or 0), int(discounts or 0)
        f.total, f.tax = int(total or 0), int(tax or 0)
    for store_id, day, count, total, tax in session.execute(_returns_query(date_from, date_to)):
        f = days.setdefault((store_id, day), Figures())
        f.returns_count, f.returned, f.returned_tax = int(count or 0), int(total or 0), int(tax or 0)
    return days


def _line_costs(sale_ids: Any) -> Any:
    """Per (sale, SKU): the unit cost its sale movements carried, and how many of them carried none."""
    return (select(StockMovement.doc_id.label("sale_id"), Product.sku.label("sku"),
                   func.max(StockMovement.unit_cost_minor).label("unit_cost"),
                   (func.count() - func.count(StockMovement.unit_cost_minor)).label("missing"))
            .join(Product, Product.id == StockMovement.product_id)
            .where(StockMovement.doc_type == "sale", StockMovement.doc_id.in_(sale_ids))
            .group_by(StockMovement.doc_id, Product.sku).subquery("line_costs"))


def margins(session: Session, date_from: date, date_to: date) -> dict[str, tuple[int, int]]:
    """store id → (net sales of its costed lines, their cost), returns subtracted from both."""
    span = (date_from.isoformat(), date_to.isoformat())
    in_range = select(Sale.id).where(Sale.business_date.between(*span))
    returned = select(SaleReturn.original_sale_id).where(SaleReturn.business_date.between(*span))
    costs = _line_costs(in_range.union(returned))
    costed = costs.c.missing == 0

    def line_cost(qty: Any) -> Any:
        return (qty * costs.c.unit_cost + 500) // 1000
    sold = (select(Sale.store_id, func.sum(case((costed, SaleLine.net_minor), else_=0)),
                   func.sum(case((costed, line_cost(SaleLine.qty_milli)), else_=0)))
            .join(SaleLine, SaleLine.sale_id == Sale.id).outerjoin(SaleVoid, SaleVoid.sale_id == Sale.id)
            .outerjoin(costs, and_(costs.c.sale_id == Sale.id, costs.c.sku == SaleLine.sku))
            .where(SaleVoid.id.is_(None), Sale.business_date.between(*span)).group_by(Sale.store_id))
    back = (select(SaleReturn.store_id, func.sum(case((costed, ReturnLine.amount_minor), else_=0)),
                   func.sum(case((costed, line_cost(ReturnLine.qty_milli)), else_=0)))
            .join(ReturnLine, ReturnLine.return_id == SaleReturn.id)
            .join(SaleLine, and_(SaleLine.sale_id == SaleReturn.original_sale_id,
                                 SaleLine.line_no == ReturnLine.sale_line_no))
            .outerjoin(costs, and_(costs.c.sale_id == SaleLine.sale_id, costs.c.sku == SaleLine.sku))
            .where(SaleReturn.business_date.between(*span)).group_by(SaleReturn.store_id))
    out: dict[str, tuple[int, int]] = {}
    for sign, query in ((1, sold), (-1, back)):
        for store_id, net, cost in session.execute(query):
            before = out.get(store_id, (0, 0))
            out[store_id] = (before[0] + sign * int(net or 0), before[1] + sign * int(cost or 0))
    return out


# --- the reports -----------------------------------------------------------------------------------------------


def _one_snapshot(session: Session) -> None:
    """Every statement of a report sees the same committed state: a sale pushed meanwhile is in every figure
    or in none. (SQLite's read transaction is one snapshot already; PostgreSQL's default is per statement.)"""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))


def _per_store(session: Session, date_from: date, date_to: date) -> dict[str, Figures]:
    stores: dict[str, Figures] = {}
    for (store_id, _day), f in daily(session, date_from, date_to).items():
        stores.setdefault(store_id, Figures()).add(f)
    for store_id, (net, cost) in margins(session, date_from, date_to).items():
        f = stores.setdefault(store_id, Figures())
        f.costed_net, f.cost = net, cost
    return stores


def _ranks(stores: list[Store], figures: dict[str, Figures]) -> dict[str, int]:
    """store id → its place by net sales (largest first; equal net sales in order of store code)."""
    ordered = sorted(stores, key=lambda s: s.code)
    ordered.sort(key=lambda s: figures.get(s.id, Figures()).net, reverse=True)
    return {s.id: i for i, s in enumerate(ordered, start=1)}


def store_ranking(session: Session, date_from: date, date_to: date) -> dict[str, Any]:
    """Every store ranked by net sales between two business dates (inclusive), each beside its figures of the
    previous period (the same number of days just before). Reads one snapshot; changes nothing."""
    check_range(date_from, date_to)
    _one_snapshot(session)
    prev_from, prev_to = previous_range(date_from, date_to, "day")
    stores = list(session.scalars(select(Store)))
    now, before = _per_store(session, date_from, date_to), _per_store(session, prev_from, prev_to)
    rank, prev_rank = _ranks(stores, now), _ranks(stores, before)
    total, prev_total = Figures(), Figures()
    for store in stores:
        total.add(now.get(store.id, Figures()))
        prev_total.add(before.get(store.id, Figures()))
    rows = []
    for store in sorted(stores, key=lambda s: rank[s.id]):
        f, p = now.get(store.id, Figures()), before.get(store.id, Figures())
        earlier = p.to_json(with_margin=True)
        rows.append({"rank": rank[store.id], "store": store.code, "name": store.name, "currency": store.currency,
                     **f.to_json(with_margin=True), "share_pct": pct(f.net, total.net),
                     "prev_rank": prev_rank[store.id], "prev_sales_count": p.sales,
                     "prev_net_sales": earlier["net_sales"], "prev_avg_basket": earlier["avg_basket"],
                     "prev_margin": earlier["margin"], "change_pct": pct(f.net - p.net, abs(p.net))})
    totals = {"stores": len(stores), **total.to_json(with_margin=True), "prev_sales_count": prev_total.sales,
              "prev_net_sales": money(prev_total.net), "change_pct": pct(total.net - prev_total.net,
                                                                         abs(prev_total.net))}
    return {"from": date_from.isoformat(), "to": date_to.isoformat(), "previous_from": prev_from.isoformat(),
            "previous_to": prev_to.isoformat(), "stores": rows, "totals": totals}


def sales_trend(session: Session, date_from: date, date_to: date, by: str = "day") -> dict[str, Any]:
    """The chain's sales per day, ISO week or month between two business dates (inclusive), each bucket
    beside the same bucket of the previous period and split by store. Reads one snapshot; changes nothing."""
    check_range(date_from, date_to)
    check_by(by)
    _one_snapshot(session)
    prev_from, prev_to = previous_range(date_from, date_to, by)
    codes = dict(session.execute(select(Store.id, Store.code)).all())
    days: dict[str, list[tuple[str, Figures]]] = {}
    for (store_id, day), f in daily(session, prev_from, date_to).items():
        days.setdefault(day, []).append((codes.get(store_id, store_id), f))

    def add_up(start: date, end: date) -> Figures:
        acc = Figures()
        for n in range((end - start).days + 1):
            for code, f in days.get((start + timedelta(days=n)).isoformat(), ()):
                acc.add(f)
                acc.by_store.setdefault(code, Figures()).add(f)
        return acc
    current, previous = buckets(date_from, date_to, by), buckets(prev_from, prev_to, by)
    rows = []
    for i, bucket in enumerate(current):
        f = add_up(bucket.start, bucket.end)
        before = previous[i] if i < len(previous) else None
        p = add_up(before.start, before.end) if before else None
        rows.append({"period": bucket.label, "start": bucket.start.isoformat(), "end": bucket.end.isoformat(),
                     **f.to_json(), "stores_selling": sum(1 for s in f.by_store.values() if s.sales),
                     "prev_period": before.label if before else None,
                     "prev_sales_count": p.sales if p else None, "prev_net_sales": money(p.net) if p else None,
                     "change_pct": pct(f.net - p.net, abs(p.net)) if p else None,
                     "by_store": {code: {"sales_count": s.sales, "net_sales": money(s.net)}
                                  for code, s in sorted(f.by_store.items())}})
    total, prev_total = add_up(date_from, date_to), add_up(prev_from, prev_to)
    totals = {**total.to_json(), "prev_sales_count": prev_total.sales, "prev_net_sales": money(prev_total.net),
              "change_pct": pct(total.net - prev_total.net, abs(prev_total.net))}
    return {"from": date_from.isoformat(), "to": date_to.isoformat(), "by": by,
            "previous_from": prev_from.isoformat(), "previous_to": prev_to.isoformat(), "buckets": rows,
            "totals": totals}
