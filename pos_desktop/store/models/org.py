"""The shop itself: stores, tills, locations, users, settings and counters."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..base import Base

Id = String(36)


class Store(Base):
    __tablename__ = "stores"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    created_at: Mapped[str] = mapped_column(String(32))


class Till(Base):
    __tablename__ = "tills"
    __table_args__ = (UniqueConstraint("store_id", "code"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    code: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[str] = mapped_column(String(32))


class Location(Base):
    """A place stock lives: FLOOR (sales floor), BACK (back room), warehouse, in transit, quarantine."""

    __tablename__ = "locations"
    __table_args__ = (UniqueConstraint("store_id", "code"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="storage")


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[str] = mapped_column(String(32))
    totp_secret: Mapped[str | None] = mapped_column(String(64))   # base32; set: login needs a one-time code


class Setting(Base):
    """Store settings as JSON values, typed by ``core.store_settings``; also the till's identity."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String)


class Counter(Base):
    """Gapless per-till counters (receipt numbers), advanced inside the writing transaction."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
