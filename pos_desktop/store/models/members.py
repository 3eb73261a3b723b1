"""Members (customers) and their points ledger; ``points`` caches the ledger's sum."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..base import Base
from .org import Id


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(30), unique=True)
    points: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[str] = mapped_column(String(32))


class PointsEntry(Base):
    __tablename__ = "points_ledger"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    delta: Mapped[int]
    reason: Mapped[str] = mapped_column(String(20))
    doc_id: Mapped[str | None] = mapped_column(Id, index=True)
    created_at: Mapped[str] = mapped_column(String(32))
