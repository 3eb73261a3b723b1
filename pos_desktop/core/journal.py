"""The tamper-evident journal: ``hash = sha256(prev_hash + canonical_json(entry))``.

An entry is a plain dict (seq, kind, doc_id, at, user, approver, payload). Because the hash covers the
sequence number and the previous hash, editing, deleting or reordering any entry breaks every hash after it,
and verification names the first entry that no longer fits.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Mapping

GENESIS = "0" * 64


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    raise TypeError(f"cannot put {type(value).__name__} in the journal")


def canonical_json(entry: Mapping[str, object]) -> str:
    """Sorted keys, no spaces, UTF-8 text kept as is: the same entry always gives the same bytes."""
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def entry_hash(prev_hash: str, entry: Mapping[str, object]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(entry)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredEntry:
    seq: int
    entry: Mapping[str, object]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_bad_entry: int | None = None
    reason: str | None = None


def verify_chain(rows: Iterable[StoredEntry]) -> ChainReport:
    """Recompute the chain in sequence order; stop at the first entry that was altered, removed or moved."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for row in rows:
        if row.seq != expected_seq:
            return ChainReport(False, count, expected_seq, f"entry {expected_seq} is missing")
        if row.entry.get("seq") != row.seq:
            return ChainReport(False, count, row.seq, "sequence number was changed")
        if row.prev_hash != prev:
            return ChainReport(False, count, row.seq, "previous hash does not match")
        if entry_hash(prev, row.entry) != row.hash:
            return ChainReport(False, count, row.seq, "content does not match its hash")
        prev = row.hash
        expected_seq += 1
        count += 1
    return ChainReport(True, count)
