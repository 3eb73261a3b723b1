"""Sales, returns and voids as the tills made them, projected from their events (never recomputed)."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Code, Id, Time


class Sale(Base):
    __tablename__ = "sales"
    __table_args__ = (Index("ix_sales_store_date", "store_id", "business_date"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    till_code: Mapped[str] = mapped_column(Code)
    event_id: Mapped[str] = mapped_column(String(64))
    receipt_no: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(Time)
    business_date: Mapped[str] = mapped_column(String(10))
    subtotal_minor: Mapped[int] = mapped_column(BigInteger)
    discount_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    rounding_minor: Mapped[int] = mapped_column(BigInteger)
    paid_minor: Mapped[int] = mapped_column(BigInteger)
    change_minor: Mapped[int] = mapped_column(BigInteger)
    customer: Mapped[str | None] = mapped_column(String(30))


class SaleLine(Base):
    __tablename__ = "sale_lines"
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    sku: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    qty_milli: Mapped[int] = mapped_column(BigInteger)
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    gross_minor: Mapped[int] = mapped_column(BigInteger)
    discount_minor: Mapped[int] = mapped_column(BigInteger)
    net_minor: Mapped[int] = mapped_column(BigInteger)
    tax_rate_bp: Mapped[int]
    tax_minor: Mapped[int] = mapped_column(BigInteger)


class Payment(Base):
    __tablename__ = "payments"
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    method: Mapped[str] = mapped_column(String(20))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))


class SaleReturn(Base):
    __tablename__ = "returns"
    __table_args__ = (Index("ix_returns_store_date", "store_id", "business_date"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    till_code: Mapped[str] = mapped_column(Code)
    event_id: Mapped[str] = mapped_column(String(64))
    receipt_no: Mapped[str] = mapped_column(String(40))
    original_sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), index=True)
    created_at: Mapped[str] = mapped_column(Time)
    business_date: Mapped[str] = mapped_column(String(10))
    total_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(200))


class ReturnLine(Base):
    __tablename__ = "return_lines"
    return_id: Mapped[str] = mapped_column(ForeignKey("returns.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    sale_line_no: Mapped[int]
    qty_milli: Mapped[int] = mapped_column(BigInteger)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger)


class Refund(Base):
    __tablename__ = "refunds"
    return_id: Mapped[str] = mapped_column(ForeignKey("returns.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    method: Mapped[str] = mapped_column(String(20))
    amount_minor: Mapped[int] = mapped_column(BigInteger)


class SaleVoid(Base):
    """A void of a sale: the sale row stays as it was (documents are immutable); one void per sale."""

    __tablename__ = "voids"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sales.id"), unique=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    till_code: Mapped[str] = mapped_column(Code)
    event_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str | None] = mapped_column(Time)
