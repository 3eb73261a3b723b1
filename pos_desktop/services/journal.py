"""Verifying the tamper-evident journal, and that every document still matches its entry."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from ..core.journal import ChainReport, StoredEntry, verify_chain
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
