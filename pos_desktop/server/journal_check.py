"""Tamper evidence on the server: each till sends its journal (``POST /api/v1/journal``) and the server
re-verifies the hash chain, keeps every verified entry's hash, and raises an alert per till when the chain
no longer fits.

* New entries (after the last one the server holds for the enrolment) come with their content: the server
  recomputes ``sha256(prev_hash + canonical_json(entry))``, checks the sequence numbers are gapless and that
  each ``prev_hash`` is the hash it holds for the entry before. An entry edited, removed or moved on the till
  before it was sent breaks one of these.
* Entries sent before are audited: the till sends, for a window of them, a short check value made of the
  row's ``prev_hash``, its ``hash`` and the hash its content gives now; the server computes what the value
  must be from the hashes it holds. An entry edited, removed or moved after it was sent no longer matches —
  even when the whole chain on the till was recomputed to hide it.

An alert names the first bad entry, the same number ``pos journal verify`` gives. Sales are never refused
because of it (a sale is a fact): head office sees the alert in the summary and investigates.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.clock import utc_text
from ..core.ids import new_id
from ..core.journal import GENESIS, entry_hash
from .access import TillIdentity
from .models import Enrolment, JournalAlert, JournalLink, Store

log = logging.getLogger(__name__)
MAX_ENTRIES = 500
MAX_AUDIT = 2000


def audit_check(prev_hash: str, stored_hash: str, content_hash: str) -> str:
    """The value a till sends for one entry already on the server (16 hex digits: 64 bits is plenty to
    notice a change, and keeps an audit of 500 entries near 20 kB)."""
    return hashlib.sha256(f"{prev_hash}|{stored_hash}|{content_hash}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Verdict:
    through: int
    first_bad_entry: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_entry is None


def head(session: Session, enrolment_id: str) -> tuple[int, str]:
    """The last entry the server holds for the enrolment: (seq, hash), (0, GENESIS) when none."""
    seq = session.scalar(select(func.max(JournalLink.seq)).where(JournalLink.enrolment_id == enrolment_id))
    if not seq:
        return 0, GENESIS
    digest = session.scalar(select(JournalLink.hash).where(JournalLink.enrolment_id == enrolment_id,
                                                           JournalLink.seq == seq))
    return int(seq), str(digest)


def receive(session: Session, till: TillIdentity, entries: list[dict[str, Any]], audit: dict[str, Any] | None,
            now: datetime) -> Verdict:
    """Verify and keep ``entries`` (new ones) and check ``audit`` (old ones); record an alert if either fails."""
    enrolment = till.enrolment
    through, last = head(session, enrolment.id)
    bad = _check_audit(session, enrolment.id, through, audit) if audit else None
    if bad is None:
        through, bad = _append(session, enrolment.id, through, last, entries, utc_text(now))
    if bad is not None:
        _alert(session, till, bad[0], bad[1], now)
        return Verdict(through, bad[0], bad[1])
    return Verdict(through)


def _append(session: Session, enrolment_id: str, through: int, last: str, entries: list[dict[str, Any]],
            at: str) -> tuple[int, tuple[int, str] | None]:
    known: dict[int, str] = {}
    old = [int(e["seq"]) for e in entries if int(e["seq"]) <= through]
    if old:
        known = dict(session.execute(select(JournalLink.seq, JournalLink.hash).where(
            JournalLink.enrolment_id == enrolment_id, JournalLink.seq.in_(old))).all())
    for item in sorted(entries, key=lambda e: int(e["seq"])):
        seq = int(item["seq"])
        if seq <= through:
            if known.get(seq) != item["hash"]:
                return through, (seq, "the entry differs from what this till sent before")
            continue
        if seq != through + 1:
            return through, (through + 1, "the entry is missing")
        problem = _problem(seq, item, last)
        if problem:
            return through, (seq, problem)
        session.add(JournalLink(enrolment_id=enrolment_id, seq=seq, hash=item["hash"], received_at=at))
        through, last = seq, item["hash"]
    return through, None


def _problem(seq: int, item: dict[str, Any], prev: str) -> str | None:
    try:
        entry = json.loads(item["entry"])
    except (ValueError, TypeError):
        return "the entry is no longer readable"
    if not isinstance(entry, dict):
        return "the entry is no longer readable"
    if entry.get("seq") != seq:
        return "sequence number was changed"
    if item["prev_hash"] != prev:
        return "previous hash does not match"
    try:
        if entry_hash(prev, entry) != item["hash"]:
            return "content does not match its hash"
    except (TypeError, ValueError):
        return "the entry is no longer readable"
    return None


def _check_audit(session: Session, enrolment_id: str, through: int, audit: dict[str, Any]) -> tuple[int, str] | None:
    start, end = int(audit["from"]), min(int(audit["to"]), through)
    if start < 1 or end < start:
        return None
    links = dict(session.execute(select(JournalLink.seq, JournalLink.hash).where(
        JournalLink.enrolment_id == enrolment_id, JournalLink.seq >= start - 1, JournalLink.seq <= end))
        .all())
    links[0] = GENESIS
    sent = {int(row[0]): str(row[1]) for row in audit.get("checks", [])}
    for seq in range(start, end + 1):
        if seq not in sent:
            return seq, "the entry was removed after it was sent"
        if sent[seq] != audit_check(links[seq - 1], links[seq], links[seq]):
            return seq, "the entry was changed after it was sent"
    return None


def _alert(session: Session, till: TillIdentity, seq: int, reason: str, now: datetime) -> None:
    """One alert per enrolment, entry and reason: a till that keeps sending the same broken chain does not
    flood head office."""
    enrolment = till.enrolment
    seen = session.scalar(select(JournalAlert.id).where(
        JournalAlert.enrolment_id == enrolment.id, JournalAlert.first_bad_entry == seq,
        JournalAlert.reason == reason))
    if seen:
        return
    log.warning("journal of till %s of store %s does not verify at entry %s: %s", enrolment.till_code,
                till.store.code, seq, reason)
    session.add(JournalAlert(id=new_id(), enrolment_id=enrolment.id, store_id=till.store.id,
                             till_code=enrolment.till_code, first_bad_entry=seq, reason=reason,
                             detected_at=utc_text(now)))


def alerts(session: Session, store: Store) -> list[dict[str, Any]]:
    """A store's tamper alerts, newest first."""
    rows = session.scalars(select(JournalAlert).where(JournalAlert.store_id == store.id)
                           .order_by(JournalAlert.detected_at.desc(), JournalAlert.first_bad_entry))
    return [{"till": a.till_code, "enrolment_id": a.enrolment_id, "first_bad_entry": a.first_bad_entry,
             "reason": a.reason, "detected_at": a.detected_at} for a in rows]


def enrolment_through(session: Session, enrolment: Enrolment) -> int:
    return head(session, enrolment.id)[0]
