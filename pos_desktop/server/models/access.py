"""Who may call the server: enrolled tills, one-time enrolment codes, and API keys for head office and
integrations. Secrets are kept only as SHA-256 hashes."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Code, Id


class Enrolment(Base):
    """One enrolment of a till (a store and till code). ``next_seq`` is the first ``till_seq`` not yet
    acknowledged: every seq from the enrolment's start up to ``next_seq - 1`` is stored."""

    __tablename__ = "enrolments"
    __table_args__ = (Index("ix_enrolments_store_till", "store_id", "till_code"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    till_code: Mapped[str] = mapped_column(Code)
    till_uuid: Mapped[str] = mapped_column(String(64))
    secret_hash: Mapped[str] = mapped_column(String(64))
    start_seq: Mapped[int] = mapped_column(BigInteger)
    next_seq: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[str] = mapped_column(String(40))
    last_seen_at: Mapped[str | None] = mapped_column(String(40))
    revoked_at: Mapped[str | None] = mapped_column(String(40))
    conflict_at: Mapped[str | None] = mapped_column(String(40))
    conflict_seq: Mapped[int | None] = mapped_column(BigInteger)


class EnrolCode(Base):
    """A one-time enrolment code for a store's till; spent by the first enrolment that uses it."""

    __tablename__ = "enrol_codes"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    till_code: Mapped[str] = mapped_column(Code)
    created_at: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[str] = mapped_column(String(40))
    used_at: Mapped[str | None] = mapped_column(String(40))
    enrolment_id: Mapped[str | None] = mapped_column(ForeignKey("enrolments.id"))


class ApiKey(Base):
    """A key for head office (scope ``admin``) or an integration (``sales:read``, ``stock:read``,
    ``catalog:write``); ``scopes`` is a space-separated list."""

    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(40))
    revoked_at: Mapped[str | None] = mapped_column(String(40))
