"""The change log the tills pull (``GET /api/v1/changes``): master data and stock movements, in commit order.

``xact`` is the writing transaction's id on PostgreSQL (``pg_current_xact_id()``), 0 on SQLite; the feed
orders by ``(xact, id)`` and serves only what no transaction still in flight can precede (``changes.py``).
``store_id`` None is for every store; ``origin_enrolment_id`` marks a till's own movements, which it is not
sent back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, Json, Serial, Time


class Change(Base):
    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_order", "xact", "id"),)
    id: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    xact: Mapped[int] = mapped_column(BigInteger)
    store_id: Mapped[str | None] = mapped_column(Id)
    origin_enrolment_id: Mapped[str | None] = mapped_column(Id)
    kind: Mapped[str] = mapped_column(String(20))
    data: Mapped[Any] = mapped_column(Json)
    created_at: Mapped[str] = mapped_column(Time)
