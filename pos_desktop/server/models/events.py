"""Every event a till pushed, stored once and for ever (the dedupe is permanent), and the events whose
projection failed (for the back office; they never block a till's queue)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Code, Id, Json, Serial, Time


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("enrolment_id", "till_seq"),
                      Index("ix_events_store_till", "store_id", "till_code"))
    id: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolments.id"))
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    till_code: Mapped[str] = mapped_column(Code)
    till_seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(50))
    payload: Mapped[Any] = mapped_column(Json)
    content_hash: Mapped[str] = mapped_column(String(64))
    journal_hash: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[str | None] = mapped_column(Time)
    received_at: Mapped[str] = mapped_column(Time)
    push_id: Mapped[str] = mapped_column(Id)            # the request that stored it (tells new from repeated)


class EventError(Base):
    """Why an event could not be projected (unknown SKU, a return of an unknown sale, a malformed part)."""

    __tablename__ = "event_errors"
    id: Mapped[int] = mapped_column(Serial, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.event_id"), index=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Time)
    resolved_at: Mapped[str | None] = mapped_column(Time)   # a later replay projected the event
