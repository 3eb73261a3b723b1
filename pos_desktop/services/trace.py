"""Lot traceability for recalls: everything that touched a lot, from the ledger joined to its documents.

The ledger holds every movement of a batch (``stock_movements.batch_id``, indexed for this); each movement
names its document (``doc_id``). ``trace_lot`` reads the movements of the lot's batches in time order and
looks each document up where it lives — goods receipts (with the supplier), transfers, stock counts, sales
(receipt number and member), returns, voids, adjustments and opening stock — so a recall sees who delivered
the lot, where it went, who bought it, and what is left where. Reads only; no permission needed (members are
named by code and name, as on receipts).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..core.errors import NotFound
from ..core.i18n import _
from ..core.money import ZERO, format_qty, milli_to_qty
from ..store import sql
from .context import Context

CHUNK = 500


@dataclass(frozen=True)
class TraceEvent:
    at: str
    kind: str                 # receipt, transfer, count, sale, return, void, adjustment, opening, …
    reference: str | None     # receipt number, transfer or count number, goods receipt number
    doc_id: str
    sku: str
    lot: str
    location: str
    qty: Decimal
    reason: str
    user: str | None
    member: dict[str, str] | None
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at, "kind": self.kind, "reference": self.reference, "doc_id": self.doc_id,
                "sku": self.sku, "lot": self.lot, "location": self.location, "qty": format_qty(self.qty),
                "reason": self.reason, "user": self.user, "member": self.member, **self.detail}


@dataclass(frozen=True)
class LotTrace:
    lot: str
    batches: tuple[dict[str, Any], ...]      # sku, name, expiry, on_hand per location
    events: tuple[TraceEvent, ...]

    def to_json(self) -> dict[str, Any]:
        sold = sum((-e.qty for e in self.events if e.kind == "sale"), ZERO)
        returned = sum((e.qty for e in self.events if e.kind in ("return", "void")), ZERO)
        members = {}
        for e in self.events:
            if e.member and e.kind == "sale":
                members.setdefault(e.member["code"], {**e.member, "receipts": []})["receipts"].append(e.reference)
        return {"lot": self.lot, "batches": list(self.batches), "events": [e.to_json() for e in self.events],
                "sold": format_qty(sold), "returned": format_qty(returned),
                "members": sorted(members.values(), key=lambda m: m["code"])}


def trace_lot(ctx: Context, lot: str, sku: str | None = None) -> LotTrace:
    """Every movement of ``lot`` (of every product that has such a lot, or of ``sku``), oldest first, with its
    document. Raises NotFound when no batch has that lot."""
    with ctx.db.read() as session:
        conn = sql.dbapi(session.connection())
        batches = sql.rows(conn, "SELECT b.id, p.sku, p.name, b.expiry FROM batches b JOIN products p ON "
                                 "p.id = b.product_id WHERE b.lot = ? AND (? IS NULL OR p.sku = ?) ORDER BY p.sku",
                           lot, sku, sku)
        if not batches:
            raise NotFound(_("No batch has the lot {lot}").format(lot=lot), code="unknown_lot")
        ids = [b[0] for b in batches]
        marks = ", ".join("?" * len(ids))
        moves = sql.rows(conn, f"""
            SELECT m.created_at, m.doc_type, m.doc_id, p.sku, l.code, m.qty_milli, m.reason, u.username
            FROM stock_movements m INDEXED BY ix_stock_movements_batch
            JOIN products p ON p.id = m.product_id JOIN locations l ON l.id = m.location_id
            LEFT JOIN users u ON u.id = m.user_id
            WHERE m.batch_id IN ({marks}) ORDER BY m.created_at, m.rowid""", *ids)
        on_hand = sql.rows(conn, f"""SELECT sl.batch_key, l.code, sl.qty_milli FROM stock_levels sl JOIN locations l
            ON l.id = sl.location_id WHERE sl.batch_key IN ({marks}) AND sl.qty_milli != 0 ORDER BY l.code""", *ids)
        docs = _documents(conn, sorted({m[2] for m in moves}))
    where: dict[str, list[dict[str, str]]] = {}
    for batch, loc, qty in on_hand:
        where.setdefault(batch, []).append({"location": loc, "qty": format_qty(milli_to_qty(qty))})
    described = tuple({"sku": s, "name": n, "lot": lot, "expiry": e, "on_hand": where.get(b, [])}
                      for b, s, n, e in batches)
    events = []
    for at, doc_type, doc_id, sku_, loc, qty, reason, user in moves:
        kind, reference, member, detail = docs.get(doc_id, (doc_type, None, None, {}))
        events.append(TraceEvent(at, kind, reference, doc_id, sku_, lot, loc, milli_to_qty(qty), reason, user,
                                 member, detail))
    return LotTrace(lot, described, tuple(events))


def _documents(conn, doc_ids: list[str]) -> dict[str, tuple[str, str | None, dict | None, dict]]:  # type: ignore[no-untyped-def]
    """doc id → (kind, reference, member, detail) from whichever table holds that document."""
    found: dict[str, tuple[str, str | None, dict | None, dict]] = {}
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for start in range(0, len(doc_ids), CHUNK):
        chunk = doc_ids[start:start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        for doc_id, no, code, name in conn.execute(
                f"SELECT s.id, s.receipt_no, c.code, c.name FROM sales s LEFT JOIN customers c ON c.id = s.customer_id "
                f"WHERE s.id IN ({marks})", chunk):
            found[doc_id] = ("sale", no, {"code": code, "name": name} if code else None, {})
        for doc_id, no, original, code, name in conn.execute(
                f"SELECT r.id, r.receipt_no, s.receipt_no, c.code, c.name FROM returns r JOIN sales s ON "
                f"s.id = r.original_sale_id LEFT JOIN customers c ON c.id = s.customer_id WHERE r.id IN ({marks})",
                chunk):
            found[doc_id] = ("return", no, {"code": code, "name": name} if code else None,
                             {"original_receipt": original})
        for doc_id, no, code, name in conn.execute(
                f"SELECT v.id, s.receipt_no, c.code, c.name FROM sale_voids v JOIN sales s ON s.id = v.sale_id "
                f"LEFT JOIN customers c ON c.id = s.customer_id WHERE v.id IN ({marks})", chunk):
            found[doc_id] = ("void", no, {"code": code, "name": name} if code else None, {})
        if "goods_receipts" in tables:
            for doc_id, no, supplier, supplier_name in conn.execute(
                    f"SELECT g.id, g.receipt_no, s.code, s.name FROM goods_receipts g LEFT JOIN suppliers s ON "
                    f"s.id = g.supplier_id WHERE g.id IN ({marks})", chunk):
                found[doc_id] = ("receipt", no, None, {"supplier": supplier, "supplier_name": supplier_name})
        for doc_id, number, from_store, from_loc, to_store, to_loc in conn.execute(
                f"SELECT id, number, from_store, from_location, to_store, to_location FROM transfers "
                f"WHERE id IN ({marks})", chunk):
            found[doc_id] = ("transfer", number, None, {"from": f"{from_store}:{from_loc}",
                                                        "to": f"{to_store}:{to_loc}"})
        for doc_id, number in conn.execute(f"SELECT id, number FROM stock_counts WHERE id IN ({marks})", chunk):
            found[doc_id] = ("count", number, None, {})
        for doc_id, kind, note in conn.execute(
                f"SELECT id, kind, note FROM stock_documents WHERE id IN ({marks})", chunk):
            found.setdefault(doc_id, (kind, None, None, {"note": note} if note else {}))
    return found
