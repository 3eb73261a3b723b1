"""Reading sales back: lists by business date and receipts for reprints."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from ..core.money import format_money, from_minor
from ..core.receipt import Receipt
from ..store.models import Sale, SaleReturn, SaleVoid
from .context import Context
from .receipts import load_receipt


def list_sales(ctx: Context, date_from: date | None = None, date_to: date | None = None) -> list[dict[str, Any]]:
    """Sales and returns of this database between two business dates (inclusive), oldest first."""
    m = lambda minor: format_money(from_minor(minor, ctx.places), ctx.places)  # noqa: E731
    with ctx.db.read() as session:
        sales = select(Sale.receipt_no, Sale.id, Sale.created_at, Sale.total_minor, SaleVoid.id, Sale.business_date)\
            .outerjoin(SaleVoid, SaleVoid.sale_id == Sale.id)
        returns = select(SaleReturn.receipt_no, SaleReturn.id, SaleReturn.created_at, SaleReturn.total_minor,
                         SaleReturn.business_date)
        if date_from:
            sales = sales.where(Sale.business_date >= date_from.isoformat())
            returns = returns.where(SaleReturn.business_date >= date_from.isoformat())
        if date_to:
            sales = sales.where(Sale.business_date <= date_to.isoformat())
            returns = returns.where(SaleReturn.business_date <= date_to.isoformat())
        rows = [{"receipt_no": no, "sale_id": sid, "created_at": at, "status": "voided" if void else "completed",
                 "total": m(total)} for no, sid, at, total, void, _d in session.execute(sales)]
        rows += [{"receipt_no": no, "sale_id": rid, "created_at": at, "status": "return", "total": m(-total)}
                 for no, rid, at, total, _d in session.execute(returns)]
    return sorted(rows, key=lambda r: r["receipt_no"])


def receipt(ctx: Context, receipt_no: str) -> Receipt:
    with ctx.db.read() as session:
        return load_receipt(session, receipt_no.strip().upper(), ctx.places)
