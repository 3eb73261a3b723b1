"""Cash in the drawer and the close of the day: cash movements, counts by denomination, the per-tender close
of a shift, and the Z reports that close a business day (issue 7). The ``shifts`` table itself is in
``sales.py`` (sales reference it).

Z reports are immutable: migration 0006 adds triggers that refuse any UPDATE or DELETE of ``z_reports``, and
any sale, return or void dated on a business day this till has already closed.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..base import Base
from .org import Id


class CashMovement(Base):
    """A pay-in (``in``), a pay-out (``out``) or a safe drop (``drop``) of cash during a shift."""

    __tablename__ = "cash_movements"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), index=True)
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"))
    kind: Mapped[str] = mapped_column(String(10))
    amount_minor: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    approver_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[str] = mapped_column(String(32))


class CashCount(Base):
    """Cash counted in the drawer: the opening float, the closing count or the count at a hand-over."""

    __tablename__ = "cash_counts"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    total_minor: Mapped[int]
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[str] = mapped_column(String(32))


class CashCountLine(Base):
    """How many notes or coins of one value a count found (``value_minor`` in fen)."""

    __tablename__ = "cash_count_lines"
    count_id: Mapped[str] = mapped_column(ForeignKey("cash_counts.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    value_minor: Mapped[int] = mapped_column(primary_key=True)
    quantity: Mapped[int]


class ShiftTender(Base):
    """Expected against counted for one tender at the close (or hand-over) of a shift."""

    __tablename__ = "shift_tenders"
    shift_id: Mapped[str] = mapped_column(ForeignKey("shifts.id"), primary_key=True)
    method: Mapped[str] = mapped_column(String(20), primary_key=True)
    expected_minor: Mapped[int]
    counted_minor: Mapped[int | None]
    variance_minor: Mapped[int | None]


class ZReport(Base):
    """The Z report that closed one business day of one till: numbered per till, stored once, never changed.

    ``report`` holds the whole report as JSON (what ``pos report z --json`` prints for it).
    """

    __tablename__ = "z_reports"
    __table_args__ = (UniqueConstraint("till_id", "business_date"), UniqueConstraint("till_id", "z_number"))
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    till_id: Mapped[str] = mapped_column(ForeignKey("tills.id"))
    business_date: Mapped[str] = mapped_column(String(10))
    z_number: Mapped[int]
    created_at: Mapped[str] = mapped_column(String(32))
    closed_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    net_sales_minor: Mapped[int]
    gross_sales_minor: Mapped[int]
    grand_total_minor: Mapped[int]
    gross_grand_total_minor: Mapped[int]
    report: Mapped[str] = mapped_column(String)
    journal_seq: Mapped[int]
    journal_hash: Mapped[str] = mapped_column(String(64))
