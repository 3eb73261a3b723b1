"""Products, their barcodes, prices and promotions; categories and suppliers."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..base import Base
from .org import Id


class Category(Base):
    __tablename__ = "categories"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"))


class Supplier(Base):
    __tablename__ = "suppliers"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    lead_time_days: Mapped[int] = mapped_column(default=3)


class Product(Base):
    """A sellable item, or a template whose variants (size, colour) are products of their own."""

    __tablename__ = "products"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    sku: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(10), default="pcs")
    category_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"), index=True)
    supplier_id: Mapped[str | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    tax_rate_bp: Mapped[int] = mapped_column(default=1300)
    cost_minor: Mapped[int | None]
    reorder_point_milli: Mapped[int | None]
    reorder_qty_milli: Mapped[int | None]
    track_batches: Mapped[bool] = mapped_column(default=False)
    track_expiry: Mapped[bool] = mapped_column(default=False)
    is_weighed: Mapped[bool] = mapped_column(default=False)
    plu: Mapped[str | None] = mapped_column(String(10), unique=True)
    template_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"), index=True)
    attributes: Mapped[str | None] = mapped_column(String)
    search_key: Mapped[str | None] = mapped_column(String(100), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))


class Barcode(Base):
    """One of a product's codes; a pack barcode sells ``pack_qty`` units at one scan."""

    __tablename__ = "barcodes"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    pack_qty_milli: Mapped[int] = mapped_column(default=1000)


class PriceVersion(Base):
    """A price from ``valid_from`` (UTC) on; a sale line keeps the version it used."""

    __tablename__ = "price_versions"
    __table_args__ = (Index("ix_price_versions_product_from", "product_id", "valid_from"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    price_minor: Mapped[int]
    member_price_minor: Mapped[int | None]
    valid_from: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[str] = mapped_column(String(32))


class Promotion(Base):
    __tablename__ = "promotions"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"), index=True)
    category_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"), index=True)
    percent_bp: Mapped[int | None]
    amount_minor: Mapped[int | None]
    buy_n: Mapped[int] = mapped_column(default=0)
    get_m: Mapped[int] = mapped_column(default=0)
    starts_utc: Mapped[str | None] = mapped_column(String(32))
    ends_utc: Mapped[str | None] = mapped_column(String(32))
    members_only: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
