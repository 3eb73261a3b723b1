"""Tamper evidence over the API (``journal_check.py``): tills send their journal, head office reads the alerts."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from . import access, journal_check, masterdata
from .app import ServerState, state
from .routes_admin import ADMIN, CODE
from .routes_sync import credential
from .schemas import ERRORS, SEQ_MAX, Out

HASH = Field(min_length=1, max_length=64)


class JournalEntryIn(BaseModel):
    seq: int = Field(ge=1, le=SEQ_MAX)
    entry: str = Field(max_length=100_000, description="The entry as the till stored it (canonical JSON)")
    prev_hash: str = HASH
    hash: str = HASH


class JournalAuditIn(BaseModel):
    from_: int = Field(alias="from", ge=1, le=SEQ_MAX)
    to: int = Field(ge=1, le=SEQ_MAX)
    checks: list[tuple[int, str]] = Field(max_length=journal_check.MAX_AUDIT, description=(
        "[seq, check] for each entry of from..to still on the till: the first 16 hex digits of "
        "sha256(prev_hash|hash|sha256(prev_hash + entry))"))


class JournalIn(BaseModel):
    entries: list[JournalEntryIn] = Field(default=[], max_length=journal_check.MAX_ENTRIES,
                                          description="Entries after `through`, in seq order")
    audit: JournalAuditIn | None = None


class JournalOut(Out):
    through: int = Field(description="The last entry the server holds for this enrolment")
    ok: bool = Field(description="False: the journal does not verify (head office is alerted)")
    first_bad_entry: int | None = None
    reason: str | None = None


class JournalAlertOut(BaseModel):
    till: str
    enrolment_id: str
    first_bad_entry: int
    reason: str
    detected_at: str


class JournalAlertsOut(Out):
    alerts: list[JournalAlertOut]


router = APIRouter(prefix="/api/v1", tags=["tills"], responses=ERRORS)
admin_router = APIRouter(prefix="/api/v1/admin", tags=["admin"], responses=ERRORS, dependencies=ADMIN)


@router.get("/journal", response_model=JournalOut, summary="How much of this till's journal the server holds")
def journal_head(pos: ServerState = Depends(state), auth: str | None = Depends(credential)) -> dict:
    with pos.db.read() as session:
        till = access.authenticate_till(session, auth)
        through = journal_check.enrolment_through(session, till.enrolment)
    return {"through": through, "ok": True, "server_time": pos.now_text()}


@router.post("/journal", response_model=JournalOut, summary="Send journal entries to be verified and kept")
def journal(body: JournalIn, pos: ServerState = Depends(state), auth: str | None = Depends(credential)) -> dict:
    """New entries are re-verified (hash, previous hash, gapless seq) and their hashes kept; the audit of
    older ones is compared with the kept hashes. A failure is answered `ok: false` and recorded as an alert
    for head office (`GET /api/v1/admin/stores/{store}/journal-alerts`, `pos server admin summary`)."""
    entries = [e.model_dump() for e in body.entries]
    audit = body.audit.model_dump(by_alias=True) if body.audit else None
    with pos.db.write() as session:
        till = access.authenticate_till(session, auth, lock=True)
        verdict = journal_check.receive(session, till, entries, audit, pos.now())
    return {"through": verdict.through, "ok": verdict.ok, "first_bad_entry": verdict.first_bad_entry,
            "reason": verdict.reason, "server_time": pos.now_text()}


@admin_router.get("/stores/{store}/journal-alerts", response_model=JournalAlertsOut,
                  summary="Tills of a store whose journal did not verify (newest first)")
def journal_alerts(store: str = CODE, pos: ServerState = Depends(state)) -> dict:
    with pos.db.read() as session:
        return {"alerts": journal_check.alerts(session, masterdata.store_by_code(session, store)),
                "server_time": pos.now_text()}
