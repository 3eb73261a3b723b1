"""The stock ledger of every store: each movement once (by its till-made id), and the cached on-hand per
(store, product, location, lot), updated in the same transaction as the movements that move it."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Code, Id, Time


class StockMovement(Base):
    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_stock_movements_store_product", "store_id", "product_id"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    lot: Mapped[str | None] = mapped_column(String(50))
    expiry: Mapped[str | None] = mapped_column(String(10))
    qty_milli: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(30))
    doc_type: Mapped[str] = mapped_column(String(30))
    doc_id: Mapped[str] = mapped_column(String(64))
    till_code: Mapped[str | None] = mapped_column(Code)
    event_id: Mapped[str | None] = mapped_column(String(64))
    unit_cost_minor: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[str] = mapped_column(Time)


class StockLevel(Base):
    """Σ of the movements per (store, product, location, lot); ``lot_key`` is '' for goods without a lot."""

    __tablename__ = "stock_levels"
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), primary_key=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    lot_key: Mapped[str] = mapped_column(String(50), primary_key=True)
    expiry: Mapped[str | None] = mapped_column(String(10))
    qty_milli: Mapped[int] = mapped_column(BigInteger)
