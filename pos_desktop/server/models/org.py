"""The chain itself: stores and their stock locations, suppliers, users and settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Code, Id, Json, Time

CHAIN = "chain"   # Setting.scope of a chain-wide setting (else the store's id)


class Store(Base):
    __tablename__ = "stores"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(Code, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    created_at: Mapped[str] = mapped_column(Time)


class Location(Base):
    """Where stock lives in a store: FLOOR and BACK from the start, others as head office adds them."""

    __tablename__ = "locations"
    __table_args__ = (UniqueConstraint("store_id", "code"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    code: Mapped[str] = mapped_column(Code)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="storage")


class Supplier(Base):
    __tablename__ = "suppliers"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    lead_time_days: Mapped[int] = mapped_column(default=3)
    updated_at: Mapped[str] = mapped_column(Time)


class User(Base):
    """A till user; ``store_id`` None means every store of the chain. The PIN is the till's Argon2id hash."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    pin_hash: Mapped[str] = mapped_column(String(200))
    store_id: Mapped[str | None] = mapped_column(ForeignKey("stores.id"))
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[str] = mapped_column(Time)


class Setting(Base):
    """A store setting for the tills (``scope`` is a store's id, or ``chain`` for every store)."""

    __tablename__ = "settings"
    __table_args__ = (UniqueConstraint("scope", "key"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    scope: Mapped[str] = mapped_column(Id)
    key: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(Json)
    updated_at: Mapped[str] = mapped_column(Time)
