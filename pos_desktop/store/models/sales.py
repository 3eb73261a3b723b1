"""Sales, returns and voids: immutable, uuid-identified documents; a correction is a new document."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..base import Base
from .org import Id


class Shift(Base):
    __tablename__ = "shifts"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"), index=True)
    opened_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[str] = mapped_column(String(32))
    opening_float_minor: Mapped[int] = mapped_column(default=0)
    closed_at: Mapped[str | None] = mapped_column(String(32))
    closed_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    # issue 7 (migration 0006): where the float came from, and how the shift ended
    float_source: Mapped[str | None] = mapped_column(String(10))       # counted | auto | carried
    previous_shift_id: Mapped[str | None] = mapped_column(Id)           # the shift it carries the drawer on from
    close_kind: Mapped[str | None] = mapped_column(String(20))          # count | handover | day_close | auto
    handed_to: Mapped[str | None] = mapped_column(Id)                   # the user who took the drawer over
    expected_cash_minor: Mapped[int | None]
    counted_cash_minor: Mapped[int | None]
    variance_minor: Mapped[int | None]
    variance_note: Mapped[str | None] = mapped_column(String(500))


class Sale(Base):
    __tablename__ = "sales"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"))
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    approver_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"), index=True)
    created_at: Mapped[str] = mapped_column(String(32))
    business_date: Mapped[str] = mapped_column(String(10), index=True)
    tax_inclusive: Mapped[bool]
    subtotal_minor: Mapped[int]
    discount_minor: Mapped[int]
    cart_discount_minor: Mapped[int]
    tax_minor: Mapped[int]
    total_minor: Mapped[int]
    rounding_minor: Mapped[int]
    paid_minor: Mapped[int]
    change_minor: Mapped[int]
    points_earned: Mapped[int] = mapped_column(default=0)
    points_redeemed: Mapped[int] = mapped_column(default=0)


class SaleLine(Base):
    __tablename__ = "sale_lines"
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    barcode: Mapped[str | None] = mapped_column(String(50))
    qty_milli: Mapped[int]
    list_price_minor: Mapped[int]
    unit_price_minor: Mapped[int]
    price_version_id: Mapped[str | None] = mapped_column(Id)
    price_overridden: Mapped[bool] = mapped_column(default=False)
    gross_minor: Mapped[int]
    promo_discount_minor: Mapped[int]
    line_discount_minor: Mapped[int]
    cart_share_minor: Mapped[int]
    net_minor: Mapped[int]
    tax_rate_bp: Mapped[int]
    tax_minor: Mapped[int]
    promotion_id: Mapped[str | None] = mapped_column(Id)
    unit_cost_minor: Mapped[int | None]


class Payment(Base):
    __tablename__ = "payments"
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(String(20))
    amount_minor: Mapped[int]
    reference: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="completed")


class SaleReturn(Base):
    __tablename__ = "returns"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    original_sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"))
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    approver_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(32))
    business_date: Mapped[str] = mapped_column(String(10), index=True)
    total_minor: Mapped[int]
    tax_minor: Mapped[int]
    points_reversed: Mapped[int] = mapped_column(default=0)


class ReturnLine(Base):
    __tablename__ = "return_lines"
    return_id: Mapped[str] = mapped_column(ForeignKey("returns.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True)
    sale_line_no: Mapped[int]
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    qty_milli: Mapped[int]
    amount_minor: Mapped[int]
    tax_minor: Mapped[int]


class Refund(Base):
    __tablename__ = "refunds"
    return_id: Mapped[str] = mapped_column(ForeignKey("returns.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(String(20))
    amount_minor: Mapped[int]


class SaleVoid(Base):
    __tablename__ = "sale_voids"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    approver_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(32))


class SuspendedCart(Base):
    __tablename__ = "suspended_carts"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    label: Mapped[str] = mapped_column(String(100))
    payload: Mapped[str] = mapped_column(String)
    created_at: Mapped[str] = mapped_column(String(32))
    resumed_at: Mapped[str | None] = mapped_column(String(32))
