"""The sync protocol's routes (``docs/sync-protocol.md``): enrol, push, changes, status, summary."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from . import access, changes, ingest, reports
from .app import ServerState, state
from .schemas import ERRORS, ChangesOut, EnrolIn, EnrolOut, PushIn, PushOut, StatusOut, SummaryOut
from .security import split_credential

router = APIRouter(prefix="/api/v1", tags=["tills"], responses=ERRORS)
till_bearer = HTTPBearer(auto_error=False, scheme_name="till",
                         description="`<enrolment_id>.<secret>` as `POST /api/v1/enrol` returned them")


def credential(cred: HTTPAuthorizationCredentials | None = Depends(till_bearer)) -> str | None:
    return f"Bearer {cred.credentials}" if cred else None


@router.post("/enrol", response_model=EnrolOut, summary="Enrol a till with a one-time code")
def enrol(body: EnrolIn, request: Request, pos: ServerState = Depends(state)) -> dict:
    """Spend a one-time enrolment code: the till gets an enrolment id and a secret (shown once, stored hashed).
    403 for an unknown, spent or expired code or one for another store or till."""
    pos.limit(pos.enrol_limiter, request.client.host if request.client else "?", "enrolments")
    with pos.db.write() as session:
        enrolment, secret, store = access.enrol(
            session, code=body.code, till_uuid=body.till_uuid, store_code=body.store_code,
            till_code=body.till_code, next_seq=body.next_seq, now=pos.now())
        return {"enrolment_id": enrolment.id, "secret": secret, "store_code": store.code,
                "till_code": enrolment.till_code, "server_time": pos.now_text()}


@router.post("/push", response_model=PushOut, summary="Push outbox events")
def push(body: PushIn, pos: ServerState = Depends(state), auth: str | None = Depends(credential)) -> dict:
    """Store events once (unique `event_id` and `(enrolment, till_seq)`), project them into sales and stock
    (a failed projection is recorded, never refused), and acknowledge the highest contiguous `till_seq`.
    409 when the till's sequence clashes with what it pushed before; 429 when it pushes too often."""
    ident = split_credential(auth)
    if ident is not None:
        pos.limit(pos.push_limiter, ident[0], "pushes")
    events = [{"till_seq": e.till_seq, "event_id": e.event_id, "kind": e.kind, "payload": e.payload,
               "journal_hash": e.journal_hash, "created_at": e.created_at} for e in body.events]
    result = ingest.push(pos.db, auth, events, pos.now())
    return {"acked_through": result.acked_through, "accepted": result.accepted, "duplicates": result.duplicates,
            "server_time": pos.now_text()}


@router.get("/changes", response_model=ChangesOut, summary="Pull master data and other tills' movements")
def pull(after: str | None = Query(None, max_length=60, description="The `next` of the previous page"),
         limit: int = Query(changes.DEFAULT_LIMIT, ge=1, le=changes.MAX_LIMIT),
         pos: ServerState = Depends(state), auth: str | None = Depends(credential)) -> dict:
    """Changes in commit order after a cursor: products, promotions, users, settings, locations, members of
    the chain and the till's store, and stock movements of the store's other tills."""
    with pos.db.read() as session:
        till = access.authenticate_till(session, auth)
        page = changes.read(session, store_id=till.store.id, enrolment_id=till.enrolment.id, after=after,
                            limit=limit)
    return {"changes": page.changes, "next": page.next, "more": page.more, "server_time": pos.now_text()}


@router.get("/status", response_model=StatusOut, summary="What the server holds of this till")
def status(pos: ServerState = Depends(state), auth: str | None = Depends(credential)) -> dict:
    with pos.db.read() as session:
        till = access.authenticate_till(session, auth)
        e = till.enrolment
        return {"enrolment_id": e.id, "store_code": till.store.code, "till_code": e.till_code,
                "acked_through": e.next_seq - 1, "conflict": e.conflict_at is not None,
                "server_time": pos.now_text()}


@router.get("/summary", response_model=SummaryOut, summary="This till's figures of one business date")
def summary(date: date = Query(description="Business date, YYYY-MM-DD"), pos: ServerState = Depends(state),
            auth: str | None = Depends(credential)) -> dict:
    """For the agent's sanity check (all enrolments of this till count)."""
    with pos.db.read() as session:
        till = access.authenticate_till(session, auth)
        figures = reports.till_day(session, till.store.id, till.enrolment.till_code, date.isoformat())
    return {**figures, "server_time": pos.now_text()}
