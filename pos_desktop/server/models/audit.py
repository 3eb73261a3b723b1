"""Tamper evidence and head office's second factor: the hashes of each till's journal as the till sent them,
the alerts raised when a till's journal no longer fits them, and the head-office TOTP secret."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Code, Id


class JournalLink(Base):
    """One entry of a till's journal as received and verified: its sequence number and hash (the content
    stays on the till; the hash chain is enough to notice any later change)."""

    __tablename__ = "journal_links"
    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolments.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[str] = mapped_column(String(40))


class JournalAlert(Base):
    """A till's journal did not verify: ``first_bad_entry`` is the first entry that was altered, removed or
    moved (as ``pos journal verify`` would name it), ``reason`` says how it was noticed."""

    __tablename__ = "journal_alerts"
    __table_args__ = (Index("ix_journal_alerts_store_till", "store_id", "till_code"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolments.id"))
    store_id: Mapped[str] = mapped_column(ForeignKey("stores.id"))
    till_code: Mapped[str] = mapped_column(Code)
    first_bad_entry: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(200))
    detected_at: Mapped[str] = mapped_column(String(40))


class AdminTotp(Base):
    """Head office's TOTP secret (RFC 6238, base32): when a row exists, ``pos server admin …`` and the admin
    API need a current one-time code. One row at most (``id`` is always ``head-office``)."""

    __tablename__ = "admin_totp"
    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40))
