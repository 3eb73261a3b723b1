"""``POST /api/v1/push``: storing a till's outbox events exactly once, acknowledging the contiguous run.

Each push is one transaction, serialised per enrolment by a lock on its row. Events go in with
``INSERT … ON CONFLICT DO NOTHING`` against the unique constraints on ``event_id`` and on
``(enrolment_id, till_seq)`` — never check-then-insert — and whatever did not go in is compared with what is
stored: the same event (same id and content hash, from this till under any of its enrolments) is a
duplicate and acknowledged again; anything else is a sequence conflict (a cloned or restored till): the
whole request is rolled back, the enrolment flagged, and 409 returned. New events are then projected
(``projection.py``), and ``next_seq`` — the first seq not yet stored — moves over every seq now present.
A deadlock or serialisation failure on PostgreSQL retries the whole push (it is idempotent).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm import Session

from ..core.clock import utc_text
from ..core.errors import InvalidInput
from ..core.ids import new_id
from . import access, catalog_write, projection
from .db import Database
from .errors import SequenceConflict
from .models import Enrolment, Event
from .projection_write import dialect_insert

log = logging.getLogger(__name__)
MAX_EVENTS = 500
RETRIES = 3
_RETRY_STATES = {"40P01", "40001"}   # deadlock detected, serialization failure


@dataclass(frozen=True)
class PushResult:
    acked_through: int
    accepted: int
    duplicates: int
    failed: int = 0


@dataclass(frozen=True)
class _Incoming:
    till_seq: int
    event_id: str
    kind: str
    payload: Any
    journal_hash: str | None
    created_at: str | None
    content_hash: str


def content_hash(kind: str, payload: Any) -> str:
    """SHA-256 of the canonical JSON of ``{kind, payload}`` (sorted keys, no spaces, UTF-8 as is)."""
    try:
        text = json.dumps({"kind": kind, "payload": payload}, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise InvalidInput("An event payload holds a number JSON cannot carry (NaN or infinity)",
                           code="invalid_payload") from None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def push(db: Database, authorization: str | None, events: list[dict[str, Any]], now: datetime) -> PushResult:
    """Store and project a batch of events; see the module docstring."""
    incoming = _incoming(events)
    for attempt in range(RETRIES):
        try:
            with db.write() as session:
                return _push(session, authorization, incoming, now)
        except _Conflict as conflict:
            with db.write() as session:
                access.flag_conflict(session, conflict.enrolment_id, conflict.till_seq, now)
            log.warning("sequence conflict on enrolment %s at till_seq %s: %s", conflict.enrolment_id,
                        conflict.till_seq, conflict.why)
            raise SequenceConflict(
                f"Event {conflict.till_seq} clashes with what this till pushed before ({conflict.why}): it "
                f"looks cloned or restored from a backup; re-enrol this till", till_seq=conflict.till_seq) from None
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) not in _RETRY_STATES or attempt == RETRIES - 1:
                raise
            log.info("push retried after %s", getattr(exc.orig, "sqlstate", exc))
        except DataError as exc:   # an event the database cannot store at all (e.g. a NUL in its text)
            raise InvalidInput(f"An event cannot be stored: {str(exc.orig).splitlines()[0]}",
                               code="invalid_payload") from None
    raise AssertionError("unreachable")


class _Conflict(Exception):
    def __init__(self, enrolment_id: str, till_seq: int, why: str) -> None:
        super().__init__(why)
        self.enrolment_id, self.till_seq, self.why = enrolment_id, till_seq, why


def _incoming(events: list[dict[str, Any]]) -> list[_Incoming]:
    if len(events) > MAX_EVENTS:
        raise InvalidInput(f"At most {MAX_EVENTS} events per push, not {len(events)}", code="too_many_events")
    return [_Incoming(int(e["till_seq"]), str(e["event_id"]), str(e["kind"]), e.get("payload"),
                      e.get("journal_hash"), e.get("created_at"), content_hash(str(e["kind"]), e.get("payload")))
            for e in events]


def _push(session: Session, authorization: str | None, incoming: list[_Incoming], now: datetime) -> PushResult:
    till = access.authenticate_till(session, authorization, lock=True)
    enrolment, at = till.enrolment, utc_text(now)
    if enrolment.conflict_at is not None:
        raise _Conflict(enrolment.id, enrolment.conflict_seq or 0, "this enrolment is flagged already")
    events = _deduplicated(enrolment, incoming)
    inserted = _insert(session, till, events, at)
    repeats = [e for e in events if e.event_id not in inserted]
    covered = _check_repeats(session, till, repeats)
    fresh = [e for e in events if e.event_id in inserted]
    origin = projection.Origin(till.store, enrolment.till_code, enrolment.id, at)
    failed = projection.project(session, origin, [
        projection.Pushed(e.event_id, e.kind, e.payload, e.till_seq, e.created_at) for e in fresh])
    enrolment.next_seq = _advance(session, enrolment, covered)
    enrolment.last_seen_at = at
    return PushResult(enrolment.next_seq - 1, len(fresh), len(repeats), failed)


def _insert(session: Session, till: access.TillIdentity, events: list[_Incoming], at: str) -> set[str]:
    """``INSERT … ON CONFLICT DO NOTHING`` every event; the ids of those this request stored.

    Which rows went in is read back by the request's own ``push_id`` rather than with ``RETURNING``: a
    plain executemany is pipelined by psycopg, while ``RETURNING`` over many rows needs one huge statement
    that psycopg parses anew each time (it was half of the push's time)."""
    if not events:
        return set()
    table, push_id = Event.__table__, new_id()
    rows = [{"event_id": e.event_id, "enrolment_id": till.enrolment.id, "store_id": till.store.id,
             "till_code": till.enrolment.till_code, "till_seq": e.till_seq, "kind": e.kind, "payload": e.payload,
             "content_hash": e.content_hash, "journal_hash": e.journal_hash, "created_at": e.created_at,
             "received_at": at, "push_id": push_id} for e in events]
    session.execute(dialect_insert(session, table).on_conflict_do_nothing(), rows)
    inserted: set[str] = set()
    for chunk in catalog_write.chunks([e.event_id for e in events]):
        inserted.update(session.scalars(select(table.c.event_id).where(table.c.event_id.in_(chunk),
                                                                        table.c.push_id == push_id)))
    return inserted


def _deduplicated(enrolment: Enrolment, incoming: list[_Incoming]) -> list[_Incoming]:
    """The request's events in seq order, each once; a seq or event id used twice differently conflicts."""
    by_seq: dict[int, _Incoming] = {}
    seq_of: dict[str, int] = {}
    for event in incoming:
        same = by_seq.get(event.till_seq)
        if same is not None and (same.event_id, same.content_hash) != (event.event_id, event.content_hash):
            raise _Conflict(enrolment.id, event.till_seq, "two different events with one till_seq in a push")
        if seq_of.get(event.event_id, event.till_seq) != event.till_seq:
            raise _Conflict(enrolment.id, event.till_seq, "one event id at two till_seqs in a push")
        by_seq[event.till_seq] = event
        seq_of[event.event_id] = event.till_seq
    return [by_seq[seq] for seq in sorted(by_seq)]


def _check_repeats(session: Session, till: access.TillIdentity, repeats: list[_Incoming]) -> set[int]:
    """Compare the events that did not go in with what is stored: a duplicate, or a conflict. Returns the
    seqs covered by a duplicate stored under an earlier enrolment of this till."""
    if not repeats:
        return set()
    enrolment = till.enrolment
    t = Event.__table__.c
    stored = {}
    taken = {}
    for chunk in catalog_write.chunks([e.event_id for e in repeats]):
        stored.update({row.event_id: row for row in session.execute(
            select(t.event_id, t.content_hash, t.enrolment_id, t.store_id, t.till_code, t.till_seq)
            .where(t.event_id.in_(chunk)))})
    for chunk in catalog_write.chunks([e.till_seq for e in repeats]):
        taken.update(dict(session.execute(select(t.till_seq, t.event_id).where(
            t.enrolment_id == enrolment.id, t.till_seq.in_(chunk))).all()))
    covered = set()
    for event in repeats:
        row = stored.get(event.event_id)
        if row is None:
            raise _Conflict(enrolment.id, event.till_seq, "another event is stored at this till_seq")
        if row.content_hash != event.content_hash:
            raise _Conflict(enrolment.id, event.till_seq, "the same event id with different content")
        if (row.store_id, row.till_code) != (till.store.id, enrolment.till_code):
            raise _Conflict(enrolment.id, event.till_seq, "this event id belongs to another till")
        if row.enrolment_id == enrolment.id and row.till_seq != event.till_seq:
            raise _Conflict(enrolment.id, event.till_seq, "this event is stored at another till_seq")
        if taken.get(event.till_seq, event.event_id) != event.event_id:
            raise _Conflict(enrolment.id, event.till_seq, "another event is stored at this till_seq")
        if row.enrolment_id != enrolment.id:
            covered.add(event.till_seq)
    return covered


def _advance(session: Session, enrolment: Enrolment, covered: set[int], chunk: int = 5000) -> int:
    """The first seq from ``next_seq`` on that is neither stored for this enrolment nor ``covered``."""
    seq = enrolment.next_seq
    t = Event.__table__.c
    while True:
        stored = session.scalars(select(t.till_seq).where(t.enrolment_id == enrolment.id, t.till_seq >= seq)
                                 .order_by(t.till_seq).limit(chunk)).all()
        present = set(stored) | {s for s in covered if s >= seq}
        start = seq
        while seq in present:
            seq += 1
        if len(stored) < chunk or seq - start < len(stored):
            return seq
