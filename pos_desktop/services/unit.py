"""The one transaction of a service call, and what every write appends inside it.

``with write(ctx) as unit:`` opens a BEGIN IMMEDIATE transaction. The service inserts its document, and in
the same transaction its stock movements (``unit.move``), its journal entry (``unit.journal``) and its
outbox event (``unit.outbox``). Either all of it is committed, durably (``synchronous=FULL``), or none.
These helpers use plain SQL (``store.sql``): they run several times in every sale.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Iterator

from sqlalchemy.orm import Session

from ..core.clock import iso
from ..core.ids import new_id
from ..core.journal import GENESIS, canonical_json, entry_hash
from ..store import sql
from .context import Context

LEVEL_UPSERT = ("ON CONFLICT (product_id, location_id, batch_key) "
                "DO UPDATE SET qty_milli = qty_milli + excluded.qty_milli")


@dataclass(frozen=True)
class Movement:
    product_id: str
    location_id: str
    qty_milli: int
    reason: str
    batch_id: str | None = None
    unit_cost_minor: int | None = None


@dataclass
class Unit:
    session: Session
    ctx: Context
    now: datetime
    _moves: list[dict[str, Any]] = field(default_factory=list)
    _names: dict[str, str] = field(default_factory=dict)

    @cached_property
    def at(self) -> str:
        return iso(self.now)

    @cached_property
    def conn(self) -> sqlite3.Connection:
        """The transaction's sqlite3 connection, for plain SQL (``store.sql``)."""
        return sql.dbapi(self.session.connection())

    def insert(self, table: str, rows: list[dict[str, Any]] | dict[str, Any]) -> None:
        sql.insert_rows(self.conn, table, [rows] if isinstance(rows, dict) else rows)

    def next_counter(self, name: str) -> int:
        value = sql.scalar(self.conn, "UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value", name)
        if value is None:
            self.insert("counters", {"name": name, "value": 1})
            value = 1
        return int(value)

    def journal(self, kind: str, doc_id: str | None, payload: dict[str, Any], *,
                user: str | None, approver: str | None = None) -> str:
        """Append a hash-chained journal entry; returns its hash."""
        last = sql.one(self.conn, "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        entry = {"seq": seq, "kind": kind, "doc_id": doc_id, "at": self.at, "till": self.ctx.till.till_code,
                 "user": user, "approver": approver, "payload": payload}
        digest = entry_hash(prev, entry)
        self.insert("journal", {"seq": seq, "kind": kind, "doc_id": doc_id, "entry": canonical_json(entry),
                                "prev_hash": prev, "hash": digest})
        return digest

    def outbox(self, kind: str, payload: dict[str, Any], journal_hash: str | None = None) -> int:
        """Queue an event for the server with the next gapless ``till_seq``."""
        till_seq = (sql.scalar(self.conn, "SELECT max(till_seq) FROM outbox") or 0) + 1
        self.insert("outbox", {"till_seq": till_seq, "event_id": new_id(), "kind": kind,
                               "payload": json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
                               "journal_hash": journal_hash, "created_at": self.at, "sent_at": None})
        return till_seq

    def move(self, move: Movement, *, doc_type: str, doc_id: str, user_id: str | None) -> dict[str, Any]:
        """Record a stock movement; written with the stock-level update at ``flush_moves``."""
        row = {"id": new_id(), "product_id": move.product_id, "location_id": move.location_id,
               "batch_id": move.batch_id, "qty_milli": move.qty_milli, "reason": move.reason,
               "doc_type": doc_type, "doc_id": doc_id, "till_id": self.ctx.till.till_id, "user_id": user_id,
               "unit_cost_minor": move.unit_cost_minor, "created_at": self.at}
        self._moves.append(row)
        return row

    def flush_moves(self) -> list[dict[str, Any]]:
        """Insert the pending movements and add them to the cached stock levels, in this transaction.

        Returns them as they go into outbox events: with the product's SKU, the location's code and the batch's
        lot and expiry beside the local ids, because ids of this till mean nothing to the server or other tills.
        """
        moves, self._moves = self._moves, []
        if moves:
            self.insert("stock_movements", moves)
            apply_to_levels(self.conn, moves)
        return [self._describe(move) for move in moves]

    def _describe(self, move: dict[str, Any]) -> dict[str, Any]:
        names = self._names
        if move["product_id"] not in names:
            names[move["product_id"]] = sql.scalar(self.conn, "SELECT sku FROM products WHERE id = ?",
                                                   move["product_id"])
        if move["location_id"] not in names:
            names[move["location_id"]] = sql.scalar(self.conn, "SELECT code FROM locations WHERE id = ?",
                                                    move["location_id"])
        lot = expiry = None
        if move["batch_id"]:
            lot, expiry = sql.one(self.conn, "SELECT lot, expiry FROM batches WHERE id = ?", move["batch_id"])
        return {**move, "sku": names[move["product_id"]], "location": names[move["location_id"]], "lot": lot,
                "expiry": expiry}


def apply_to_levels(conn: sqlite3.Connection, moves: list[dict[str, Any]]) -> None:
    totals: dict[tuple[str, str, str], int] = {}
    for m in moves:
        key = (m["product_id"], m["location_id"], m["batch_id"] or "")
        totals[key] = totals.get(key, 0) + m["qty_milli"]
    sql.insert_rows(conn, "stock_levels", [
        {"product_id": p, "location_id": loc, "batch_key": b, "qty_milli": q} for (p, loc, b), q in totals.items()],
        upsert=LEVEL_UPSERT)


@contextmanager
def write(ctx: Context) -> Iterator[Unit]:
    with ctx.db.write() as session:
        unit = Unit(session, ctx, ctx.clock.now())
        yield unit
        unit.flush_moves()
