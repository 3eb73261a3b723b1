"""The change feed the tills pull: appending to the log in the writer's transaction, and reading it in
commit order.

PostgreSQL hands out ids (sequence values) when rows are inserted, not when they commit, so a reader could
see id 11 before a slower transaction commits id 10 — and a cursor past 11 would skip 10 for ever. So each
row stores its transaction's id (``pg_current_xact_id()``), and a page only serves rows whose transaction is
older than the reading statement's snapshot ``xmin``: every transaction below ``xmin`` has ended, so no row
can ever appear below the cursor later (a transaction that gets its id after the snapshot gets one ≥ ``xmin``).
Rows come ordered by ``(xact, id)``; the cursor is ``xact:id``. A transaction left open holds ``xmin`` back and
the feed waits for it, which is the price of never skipping. On SQLite one writer at a time holds the lock from
BEGIN to COMMIT, so row ids are already commit-ordered and the cursor is the id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, literal_column, or_, select, tuple_
from sqlalchemy.orm import Session

from ..core.errors import InvalidInput
from .models import Change

MAX_LIMIT = 5000
DEFAULT_LIMIT = 500
_CHANGES = Change.__table__
_PG_XACT = literal_column("pg_current_xact_id()::text::bigint")
_PG_XMIN = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def append(session: Session, rows: list[dict[str, Any]], at: str) -> None:
    """Add changes in the caller's transaction: each ``{"kind", "data", "store_id"?, "origin"?}``."""
    if not rows:
        return
    stmt = insert(_CHANGES).values(xact=_PG_XACT if is_postgres(session) else 0)
    session.execute(stmt, [{"kind": row["kind"], "data": row["data"], "store_id": row.get("store_id"),
                            "origin_enrolment_id": row.get("origin"), "created_at": at} for row in rows])


@dataclass(frozen=True)
class Page:
    changes: list[dict[str, Any]]
    next: str
    more: bool


def parse_cursor(cursor: str | None) -> tuple[int, int]:
    if not cursor:
        return (-1, 0)
    xact, colon, ident = cursor.partition(":")
    if not colon:
        xact, ident = "0", xact
    try:
        position = (int(xact), int(ident))
    except ValueError:
        position = None
    if position is None or position[0] < 0 or position[1] < 0 or max(position) > 2 ** 63 - 1:
        raise InvalidInput(f"{cursor[:40]!r} is not a cursor this server gave out",
                           code="bad_cursor")
    return position


def _cursor(xact: int, ident: int, postgres: bool) -> str:
    return f"{xact}:{ident}" if postgres else str(ident)


def read(session: Session, *, store_id: str, enrolment_id: str | None, after: str | None,
         limit: int = DEFAULT_LIMIT) -> Page:
    """One page for a till of ``store_id``: chain-wide changes, its store's, never its own movements."""
    postgres = is_postgres(session)
    position = parse_cursor(after)
    limit = max(1, min(int(limit), MAX_LIMIT))
    c = _CHANGES.c
    query = select(c.id, c.xact, c.kind, c.data).where(or_(c.store_id.is_(None), c.store_id == store_id))
    if position[0] >= 0:
        query = query.where(tuple_(c.xact, c.id) > tuple_(*position))
    if enrolment_id is not None:
        query = query.where(or_(c.origin_enrolment_id.is_(None), c.origin_enrolment_id != enrolment_id))
    if postgres:
        query = query.where(c.xact < _PG_XMIN)
    rows = session.execute(query.order_by(c.xact, c.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    changes = [{"cursor": _cursor(x, i, postgres), "kind": kind, "data": data} for i, x, kind, data in rows]
    if rows:
        next_cursor = changes[-1]["cursor"]
    else:
        next_cursor = after or ""
    return Page(changes, next_cursor, more)


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(_CHANGES)) or 0)

