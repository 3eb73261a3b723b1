"""What the server knows, read back: a till's day (the agent's sanity check), a store's summary (head
office), stock per store and location, sales for accounting, and the back office's failed projections.

The figures of a day: ``sales_count`` counts the day's sales that were not voided, ``voids_count`` those that
were, ``returns_count`` the day's returns, and ``net_sales`` is Σ total of the sales not voided − Σ total of
the returns (``business_date`` of each document; a void counts on its sale's day).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from ..core.money import format_money, format_qty, from_minor, milli_to_qty
from .catalog_write import PLACES
from .models import (
    Enrolment,
    EventError,
    Location,
    Payment,
    Product,
    Sale,
    SaleLine,
    SaleReturn,
    SaleVoid,
    StockLevel,
    Store,
)


def money(minor: int | None) -> str:
    return format_money(from_minor(int(minor or 0), PLACES), PLACES)


def _sales(store_id: str, *where: Any) -> Any:
    voided = case((SaleVoid.id.is_not(None), 1), else_=0)
    return (select(Sale.till_code, func.count(Sale.id) - func.sum(voided), func.sum(voided),
                   func.sum(case((SaleVoid.id.is_(None), Sale.total_minor), else_=0)))
            .outerjoin(SaleVoid, SaleVoid.sale_id == Sale.id)
            .where(Sale.store_id == store_id, *where).group_by(Sale.till_code))


def _returns(store_id: str, *where: Any) -> Any:
    return (select(SaleReturn.till_code, func.count(SaleReturn.id), func.sum(SaleReturn.total_minor))
            .where(SaleReturn.store_id == store_id, *where).group_by(SaleReturn.till_code))


def _by_till(session: Session, store_id: str, sale_where: tuple, return_where: tuple) -> dict[str, dict[str, int]]:
    tills: dict[str, dict[str, int]] = {}

    def till(code: str) -> dict[str, int]:
        return tills.setdefault(code, {"sales": 0, "voids": 0, "returns": 0, "net": 0})

    for code, sales, voids, total in session.execute(_sales(store_id, *sale_where)):
        t = till(code)
        t["sales"], t["voids"], t["net"] = int(sales or 0), int(voids or 0), t["net"] + int(total or 0)
    for code, returns, total in session.execute(_returns(store_id, *return_where)):
        t = till(code)
        t["returns"], t["net"] = int(returns or 0), t["net"] - int(total or 0)
    return tills


def till_day(session: Session, store_id: str, till_code: str, day: str) -> dict[str, Any]:
    """``GET /api/v1/summary``: one till's figures of one business date."""
    figures = _by_till(session, store_id, (Sale.till_code == till_code, Sale.business_date == day),
                       (SaleReturn.till_code == till_code, SaleReturn.business_date == day)).get(till_code)
    figures = figures or {"sales": 0, "voids": 0, "returns": 0, "net": 0}
    return {"date": day, "sales_count": figures["sales"], "returns_count": figures["returns"],
            "voids_count": figures["voids"], "net_sales_minor": figures["net"]}


def store_summary(session: Session, store: Store) -> dict[str, Any]:
    """``pos server admin summary``: the store's totals and each till's, with what each has acknowledged."""
    tills = _by_till(session, store.id, (), ())
    acked = dict(session.execute(select(Enrolment.till_code, func.max(Enrolment.next_seq) - 1)
                                 .where(Enrolment.store_id == store.id).group_by(Enrolment.till_code)).all())
    for code in acked:
        tills.setdefault(code, {"sales": 0, "voids": 0, "returns": 0, "net": 0})
    return {
        "store": store.code,
        "sales_count": sum(t["sales"] for t in tills.values()),
        "returns_count": sum(t["returns"] for t in tills.values()),
        "voids_count": sum(t["voids"] for t in tills.values()),
        "net_sales": money(sum(t["net"] for t in tills.values())),
        "by_till": {code: {"sales_count": t["sales"], "returns_count": t["returns"], "voids_count": t["voids"],
                           "net_sales": money(t["net"]), "acked_through_seq": int(acked.get(code) or 0)}
                    for code, t in sorted(tills.items())},
    }


def stock(session: Session, store: Store, *, sku: str | None = None, location: str | None = None) -> list[dict]:
    """On-hand per product, location and lot of a store, as ``pos stock --json`` lists it (zeros left out)."""
    query = (select(Product.sku, Location.code, StockLevel.lot_key, StockLevel.expiry, StockLevel.qty_milli)
             .join(Product, Product.id == StockLevel.product_id)
             .join(Location, Location.id == StockLevel.location_id)
             .where(StockLevel.store_id == store.id, StockLevel.qty_milli != 0)
             .order_by(Product.sku, Location.code, StockLevel.expiry, StockLevel.lot_key))
    if sku:
        query = query.where(Product.sku == sku)
    if location:
        query = query.where(Location.code == location.upper())
    return [{"sku": s, "location": loc, "batch": lot or None, "expiry": expiry, "qty": format_qty(milli_to_qty(q))}
            for s, loc, lot, expiry, q in session.execute(query)]


def sales(session: Session, store: Store, *, date_from: str | None, date_to: str | None, after: str | None,
          limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """Sales of a store between two business dates (inclusive), with lines and payments; paged by
    ``(business_date, id)``: (sales, the cursor of the next page or None)."""
    query = (select(Sale, SaleVoid.id, SaleVoid.reason).outerjoin(SaleVoid, SaleVoid.sale_id == Sale.id)
             .where(Sale.store_id == store.id).order_by(Sale.business_date, Sale.id).limit(limit + 1))
    if date_from:
        query = query.where(Sale.business_date >= date_from)
    if date_to:
        query = query.where(Sale.business_date <= date_to)
    if after:
        day, _sep, ident = after.partition("|")
        query = query.where(or_(Sale.business_date > day, and_(Sale.business_date == day, Sale.id > ident)))
    rows = session.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [sale.id for sale, _v, _r in rows]
    lines: dict[str, list[dict[str, Any]]] = {}
    pays: dict[str, list[dict[str, Any]]] = {}
    if ids:
        for line in session.scalars(select(SaleLine).where(SaleLine.sale_id.in_(ids))
                                    .order_by(SaleLine.sale_id, SaleLine.line_no)):
            lines.setdefault(line.sale_id, []).append({
                "line_no": line.line_no, "sku": line.sku, "name": line.name,
                "qty": format_qty(milli_to_qty(line.qty_milli)), "unit_price": money(line.unit_price_minor),
                "discount": money(line.discount_minor), "net": money(line.net_minor), "tax": money(line.tax_minor)})
        for pay in session.scalars(select(Payment).where(Payment.sale_id.in_(ids))
                                   .order_by(Payment.sale_id, Payment.seq)):
            pays.setdefault(pay.sale_id, []).append({"method": pay.method, "amount": money(pay.amount_minor),
                                                     "status": pay.status})
    out = [{"sale_id": sale.id, "receipt_no": sale.receipt_no, "till": sale.till_code,
            "created_at": sale.created_at, "business_date": sale.business_date,
            "status": "voided" if void_id else "completed", "void_reason": reason, "total": money(sale.total_minor),
            "tax": money(sale.tax_minor), "discount": money(sale.discount_minor), "customer": sale.customer,
            "lines": lines.get(sale.id, []), "payments": pays.get(sale.id, [])} for sale, void_id, reason in rows]
    next_cursor = f"{rows[-1][0].business_date}|{rows[-1][0].id}" if more and rows else None
    return out, next_cursor


def event_errors(session: Session, store: Store | None, limit: int = 100) -> list[dict[str, Any]]:
    query = select(EventError).order_by(EventError.id.desc()).limit(limit)
    if store is not None:
        query = query.where(EventError.store_id == store.id)
    return [{"event_id": e.event_id, "kind": e.kind, "message": e.message, "at": e.created_at,
             "resolved_at": e.resolved_at} for e in session.scalars(query)]
