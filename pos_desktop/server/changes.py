"""The change feed the tills pull: appending to the log in the writer's transaction, and reading it in
commit order.

PostgreSQL hands out ids (sequence values) when rows are inserted, not when they commit, so a reader could
see id 11 before a slower transaction commits id 10 — and a cursor past 11 would skip 10 for ever. So each
row stores its transaction's id (``pg_current_xact_id()``), rows are served ordered by ``(xact, id)`` with the
cursor ``xact:id``, and a page only serves rows whose transaction is older than every transaction that could
still commit change rows: no row can then ever appear below the cursor (a transaction that gets its id after
the reading snapshot gets one ≥ the snapshot's ``xmax``).

Which transactions could still commit change rows? docs/sync-protocol.md says: any transaction in flight
(serve only below the snapshot's ``xmin``). That is safe, but ``xmin`` is cluster-wide: an idle transaction in
another database, or a long report, would hold every till's feed back. So the bound here is narrower, with the
same guarantee: every server write transaction first takes a shared advisory lock (``db.WRITER_LOCK``, before
it has a transaction id), and the bound is the oldest transaction of the reading snapshot's in-progress list
(``pg_snapshot_xip``) that holds that lock in this database — or that cannot be identified any more (it ended
after the snapshot was taken: it is waited for, conservatively, until the next read). Transactions known to
be running without the lock never write change rows and are not waited for; with none to wait for, the bound
is the snapshot's ``xmax``. On SQLite one writer at a time holds the lock from BEGIN to COMMIT, so row ids are
already commit-ordered and the cursor is the id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, literal_column, or_, select, text, tuple_
from sqlalchemy.orm import Session

from ..core.errors import InvalidInput
from .db import WRITER_LOCK
from .models import Change

MAX_LIMIT = 5000
DEFAULT_LIMIT = 500
_CHANGES = Change.__table__
_PG_XACT = literal_column("pg_current_xact_id()::text::bigint")
# The bound described above, computed in the same statement (and so from the same snapshot) as the page.
_PG_BOUND = text(f"""(
  WITH snap AS (SELECT pg_current_snapshot() AS s),
  writers AS (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND classid = {WRITER_LOCK[0]} AND objid = {WRITER_LOCK[1]} AND objsubid = 2),
  others AS (SELECT transactionid::text::bigint AS xid FROM pg_locks
             WHERE locktype = 'transactionid' AND mode = 'ExclusiveLock' AND granted
             AND pid NOT IN (SELECT pid FROM writers))
  SELECT coalesce(min(x::text::bigint), (SELECT pg_snapshot_xmax(s)::text::bigint FROM snap))
  FROM snap, pg_snapshot_xip(snap.s) AS x
  WHERE x::text::bigint % 4294967296 NOT IN (SELECT xid FROM others))""")


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
        query = query.where(c.xact < _PG_BOUND)
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

