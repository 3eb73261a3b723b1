"""The stock ledger: immutable movements, and a cache of their sum per product × location × batch."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..base import Base
from .org import Id


class Batch(Base):
    __tablename__ = "batches"
    __table_args__ = (UniqueConstraint("product_id", "lot"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    lot: Mapped[str] = mapped_column(String(40))
    expiry: Mapped[str | None] = mapped_column(String(10))


class StockMovement(Base):
    """One signed change of stock. Never updated, never deleted; on-hand is their sum."""

    __tablename__ = "stock_movements"
    __table_args__ = (Index("ix_stock_movements_product_location", "product_id", "location_id"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batches.id"))
    qty_milli: Mapped[int]
    reason: Mapped[str] = mapped_column(String(20))
    doc_type: Mapped[str] = mapped_column(String(20))
    doc_id: Mapped[str] = mapped_column(Id, index=True)
    till_id: Mapped[str | None] = mapped_column(Id)
    user_id: Mapped[str | None] = mapped_column(Id)
    unit_cost_minor: Mapped[int | None]
    created_at: Mapped[str] = mapped_column(String(32))


class StockLevel(Base):
    """Σ movements per (product, location, batch); ``batch_key`` is the batch id or '' for none."""

    __tablename__ = "stock_levels"
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), primary_key=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"), primary_key=True)
    batch_key: Mapped[str] = mapped_column(String(36), primary_key=True, default="")
    qty_milli: Mapped[int] = mapped_column(default=0)


class StockDocument(Base):
    """An adjustment, an opening balance or another stock document that is not a sale."""

    __tablename__ = "stock_documents"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    approver_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[str] = mapped_column(String(32))


class Alert(Base):
    """Something a manager should look at: negative stock after a sale, for a start."""

    __tablename__ = "alerts"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    product_id: Mapped[str | None] = mapped_column(ForeignKey("products.id"))
    location_id: Mapped[str | None] = mapped_column(ForeignKey("locations.id"))
    doc_id: Mapped[str | None] = mapped_column(Id)
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[str] = mapped_column(String(32))
    resolved_at: Mapped[str | None] = mapped_column(String(32))
