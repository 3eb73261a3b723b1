"""Projecting again the events whose projection failed, once the back office has fixed the cause (created the
missing product or location): ``pos server admin replay-errors``.

Projections are all or nothing per event, so a failed event left no rows behind and replaying it cannot count
anything twice. Events are replayed in the order they were received (a sale before its return); one that
projects now has its errors marked resolved, one that still fails keeps them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from ..core.clock import utc_text
from .db import Database
from .masterdata import store_by_code
from .models import Event, EventError, Store
from .projection import Origin, Pushed, attempt


def replay_errors(db: Database, now: datetime, store: str | None = None, limit: int = 10_000) -> dict[str, Any]:
    """``{"replayed", "resolved", "still_failing": [{"event_id", "message"}]}``, in one transaction."""
    at = utc_text(now)
    with db.write() as session:
        query = (select(Event).where(Event.event_id.in_(
            select(EventError.event_id).where(EventError.resolved_at.is_(None)))).order_by(Event.id).limit(limit))
        if store:
            query = query.where(Event.store_id == store_by_code(session, store).id)
        events = list(session.scalars(query))
        stores = {s.id: s for s in session.scalars(select(Store))}
        resolved, failing = 0, []
        for event in events:
            origin = Origin(stores[event.store_id], event.till_code, event.enrolment_id, at)
            failed = attempt(session, origin, [Pushed(event.event_id, event.kind, event.payload, event.till_seq,
                                                      event.created_at)])
            if failed:
                failing.append({"event_id": event.event_id, "message": failed[0][1]})
                continue
            session.execute(update(EventError).where(EventError.event_id == event.event_id,
                                                     EventError.resolved_at.is_(None)).values(resolved_at=at))
            resolved += 1
        return {"replayed": len(events), "resolved": resolved, "still_failing": failing}
