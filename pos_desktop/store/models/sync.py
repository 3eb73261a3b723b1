"""The till's side of the sync with the central server: one row (id 1)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..base import Base


class SyncState(Base):
    """Where the pull stands (``cursor``), what the server acknowledged, and how the last attempt went.

    Written by ``services.sync_state`` and ``services.sync_apply`` only; times are the till's clock (ISO with
    offset), ``server_time`` is the server's as it last said it.
    """

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    cursor: Mapped[str] = mapped_column(String(100))
    acked_through: Mapped[int | None]
    last_attempt: Mapped[str | None] = mapped_column(String(32))
    last_sync: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(String)
    online: Mapped[bool]
    push_acked: Mapped[bool]
    needs_reenrol: Mapped[bool]
    server_time: Mapped[str | None] = mapped_column(String(40))
    clock_skew_seconds: Mapped[int | None]
    clock_skew_since: Mapped[str | None] = mapped_column(String(32))
    sanity: Mapped[str | None] = mapped_column(String)
