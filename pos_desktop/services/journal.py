"""Verifying the tamper-evident journal, and that every document still matches its entry."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select

from ..core.journal import ChainReport, StoredEntry, entry_hash, verify_chain
from ..store.models import JournalEntry, Sale, SaleReturn, SaleVoid, StockDocument
from .context import Context

# document table → the journal kind that must exist for each of its rows, and the fields to compare
DOCUMENTS = (
    (Sale, "sale", ("receipt_no", "total_minor")),
    (SaleReturn, "return", ("receipt_no", "total_minor")),
    (SaleVoid, "void", ()),
    (StockDocument, "stock_adjustment", ()),
)


def verify(ctx: Context) -> ChainReport:
    """Recompute the hash chain, then check that no journaled document was removed from the journal or
    changed after it was journaled. Names the first entry that fails."""
    with ctx.db.read() as session:
        rows = session.execute(select(JournalEntry.seq, JournalEntry.entry, JournalEntry.prev_hash,
                                      JournalEntry.hash).order_by(JournalEntry.seq))
        entries: dict[str, dict[str, Any]] = {}
        stored = []
        for seq, text, prev, digest in rows:
            try:
                entry = json.loads(text)
            except (ValueError, TypeError):
                return ChainReport(False, len(stored), seq, "the entry is no longer readable")
            if not isinstance(entry, dict):
                return ChainReport(False, len(stored), seq, "the entry is no longer readable")
            stored.append(StoredEntry(seq, entry, prev, digest))
            if entry.get("doc_id"):
                entries.setdefault(f'{entry["kind"]}:{entry["doc_id"]}', entry)
        report = verify_chain(stored)
        if not report.ok:
            return report
        return _check_documents(session, entries, report.entries) or report


def _check_documents(session, entries: dict[str, dict[str, Any]], count: int) -> ChainReport | None:  # type: ignore[no-untyped-def]
    for model, kind, fields in DOCUMENTS:
        if model is StockDocument:
            query = select(model).where(StockDocument.kind == "adjustment")
        else:
            query = select(model)
        for doc in session.scalars(query):
            entry = entries.get(f"{kind}:{doc.id}")
            if entry is None:
                return ChainReport(False, count, count + 1,
                                   f"the journal entry of {kind} {getattr(doc, 'receipt_no', doc.id)} is missing")
            for name in fields:
                if entry["payload"].get(name) != getattr(doc, name):
                    return ChainReport(False, count, entry["seq"],
                                       f"{kind} {getattr(doc, 'receipt_no', doc.id)}: {name} no longer matches "
                                       "its journal entry")
    return None


def entries_after(ctx: Context, after: int, limit: int) -> list[dict[str, Any]]:
    """The journal's rows after ``after``, as stored (for the server to re-verify; nothing recomputed)."""
    with ctx.db.read() as session:
        rows = session.execute(select(JournalEntry.seq, JournalEntry.entry, JournalEntry.prev_hash,
                                      JournalEntry.hash).where(JournalEntry.seq > after)
                               .order_by(JournalEntry.seq).limit(limit))
        return [{"seq": seq, "entry": text, "prev_hash": prev, "hash": digest} for seq, text, prev, digest in rows]


def audit_checks(ctx: Context, start: int, end: int) -> list[tuple[int, str]]:
    """For each row from ``start`` to ``end`` still present: its seq and the check value the server compares
    with the hashes it holds (``server.journal_check.audit_check``: prev_hash, hash and the content's hash)."""
    with ctx.db.read() as session:
        rows = session.execute(select(JournalEntry.seq, JournalEntry.entry, JournalEntry.prev_hash,
                                      JournalEntry.hash).where(JournalEntry.seq >= start, JournalEntry.seq <= end)
                               .order_by(JournalEntry.seq))
        return [(seq, check_value(prev, digest, _content_hash(prev, text))) for seq, text, prev, digest in rows]


def check_value(prev_hash: str, stored_hash: str, content_hash: str) -> str:
    return hashlib.sha256(f"{prev_hash}|{stored_hash}|{content_hash}".encode()).hexdigest()[:16]


def _content_hash(prev: str, text: str) -> str:
    try:
        entry = json.loads(text)
        return entry_hash(prev, entry) if isinstance(entry, dict) else "unreadable"
    except (ValueError, TypeError):
        return "unreadable"


def last_seq(ctx: Context) -> int:
    with ctx.db.read() as session:
        return int(session.scalar(select(func.max(JournalEntry.seq))) or 0)
