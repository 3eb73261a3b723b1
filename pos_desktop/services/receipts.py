"""Building receipts (``core.receipt``) from stored sales, for the sale itself and for reprints."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.errors import NotFound
from ..core.i18n import _
from ..core.money import bp_to_rate, from_minor, milli_to_qty
from ..core.receipt import Receipt, ReceiptLine
from ..store.models import Customer, Payment, Sale, SaleLine, SaleVoid, Store, Till, User


def receipt_from_rows(sale: dict[str, Any], lines: list[dict[str, Any]], payments: list[dict[str, Any]], *,
                      store_name: str, till_code: str, cashier: str, places: int, customer: str | None = None,
                      points_balance: int | None = None, voided: bool = False,
                      warnings: tuple[str, ...] = ()) -> Receipt:
    money = lambda minor: from_minor(minor, places)  # noqa: E731
    return Receipt(
        receipt_no=sale["receipt_no"], sale_id=sale["id"], created_at=sale["created_at"],
        store_name=store_name, till_code=till_code, cashier=cashier,
        subtotal=money(sale["subtotal_minor"]), discount_total=money(sale["discount_minor"]),
        tax_total=money(sale["tax_minor"]), total=money(sale["total_minor"]),
        rounding=money(sale["rounding_minor"]), paid=money(sale["paid_minor"]),
        change=money(sale["change_minor"]),
        lines=tuple(ReceiptLine(
            ln["line_no"], ln["sku"], ln["name"], milli_to_qty(ln["qty_milli"]), money(ln["unit_price_minor"]),
            money(ln["gross_minor"]),
            money(ln["promo_discount_minor"] + ln["line_discount_minor"] + ln["cart_share_minor"]),
            money(ln["net_minor"]), bp_to_rate(ln["tax_rate_bp"]), money(ln["tax_minor"])) for ln in lines),
        payments=tuple((p["method"], money(p["amount_minor"])) for p in payments),
        customer=customer, points_earned=sale.get("points_earned", 0), points_balance=points_balance,
        voided=voided, warnings=warnings, places=places)


def _as_dict(row: object) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}  # type: ignore[attr-defined]


def load_receipt(session: Session, receipt_no: str, places: int) -> Receipt:
    """The receipt of a stored sale (for a reprint or ``pos sales show``)."""
    sale = session.scalar(select(Sale).where(Sale.receipt_no == receipt_no))
    if sale is None:
        raise NotFound(_("No sale with receipt number {no}").format(no=receipt_no), code="unknown_receipt")
    lines = session.scalars(select(SaleLine).where(SaleLine.sale_id == sale.id).order_by(SaleLine.line_no))
    payments = session.scalars(select(Payment).where(Payment.sale_id == sale.id).order_by(Payment.seq))
    till = session.get(Till, sale.till_id)
    store = session.get(Store, till.store_id) if till else None
    cashier = session.get(User, sale.user_id)
    customer = session.get(Customer, sale.customer_id) if sale.customer_id else None
    voided = session.scalar(select(SaleVoid.id).where(SaleVoid.sale_id == sale.id)) is not None
    return receipt_from_rows(
        _as_dict(sale), [_as_dict(ln) for ln in lines], [_as_dict(p) for p in payments],
        store_name=store.name if store else "", till_code=till.code if till else "",
        cashier=cashier.display_name if cashier else "", places=places,
        customer=customer.code if customer else None, voided=voided)
