"""The chain's catalog: products with their barcodes and price versions, categories, promotions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, Json, Time


class Category(Base):
    __tablename__ = "categories"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Product(Base):
    """A product of the chain's catalog, with its current price (``price_versions`` keeps the history)."""

    __tablename__ = "products"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    sku: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(10), default="pcs")
    category_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"))
    supplier_id: Mapped[str | None] = mapped_column(ForeignKey("suppliers.id"))
    tax_rate_bp: Mapped[int] = mapped_column(default=1300)
    price_minor: Mapped[int] = mapped_column(BigInteger)                  # the newest price version's
    member_price_minor: Mapped[int | None] = mapped_column(BigInteger)
    cost_minor: Mapped[int | None] = mapped_column(BigInteger)
    reorder_point_milli: Mapped[int | None] = mapped_column(BigInteger)
    reorder_qty_milli: Mapped[int | None] = mapped_column(BigInteger)
    track_batches: Mapped[bool] = mapped_column(default=False)
    track_expiry: Mapped[bool] = mapped_column(default=False)
    is_weighed: Mapped[bool] = mapped_column(default=False)
    plu: Mapped[str | None] = mapped_column(String(10), unique=True)
    template_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"))
    attributes: Mapped[Any | None] = mapped_column(Json)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[str] = mapped_column(Time)
    updated_at: Mapped[str] = mapped_column(Time)


class Barcode(Base):
    """One of a product's codes; a pack barcode sells ``pack_qty`` units at one scan."""

    __tablename__ = "barcodes"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    pack_qty_milli: Mapped[int] = mapped_column(BigInteger, default=1000)


class PriceVersion(Base):
    """A price from ``valid_from`` (UTC text) on; the newest one is the product's price."""

    __tablename__ = "price_versions"
    __table_args__ = (Index("ix_price_versions_product_from", "product_id", "valid_from"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    member_price_minor: Mapped[int | None] = mapped_column(BigInteger)
    valid_from: Mapped[str] = mapped_column(Time)
    created_at: Mapped[str] = mapped_column(Time)


class Promotion(Base):
    """A promotion on one product or one category (``core.promotions`` applies it at the till)."""

    __tablename__ = "promotions"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"))
    category_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"))
    percent_bp: Mapped[int | None]
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    buy_n: Mapped[int] = mapped_column(default=0)
    get_m: Mapped[int] = mapped_column(default=0)
    starts_utc: Mapped[str | None] = mapped_column(Time)
    ends_utc: Mapped[str | None] = mapped_column(Time)
    members_only: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[str] = mapped_column(Time)
