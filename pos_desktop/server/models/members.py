"""Members of the chain's loyalty scheme (enrolled at a till or by head office)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Id, Time


class Member(Base):
    __tablename__ = "members"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(30))
    store_id: Mapped[str | None] = mapped_column(ForeignKey("stores.id"))   # where they enrolled, if at a till
    created_at: Mapped[str] = mapped_column(Time)
    updated_at: Mapped[str] = mapped_column(Time)
