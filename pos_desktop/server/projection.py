"""Projecting the events tills push into the server's sales, returns, voids and stock, and master data.

A sale is a fact: a projection never rejects an event. An event whose projection fails (an unknown SKU or
location, a return or void of a sale the server does not have, a malformed part) is stored all the same; the
failure goes to ``event_errors`` and the queue moves on. Each event's projection is all or nothing.

How, quickly: the events of a push are first turned into rows in Python (``plan_*``; a malformed event fails
there, without touching the database), then the rows of all of them are written with one executemany per
table inside one savepoint. Only if the database refuses that (a duplicate sale id, a value too long for its
column) are the events written again one by one, each in its own savepoint, so the one that fails is found and
recorded and every other one is kept. The result is the same as one savepoint per event; the common case is
fast. Master-data events (``catalog.upserted``, ``user.created``, ``member.enrolled``) go one at a time, in
order, so a sale after a product created at the till finds that product.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from ..core.errors import PosError
from ..core.ids import CODE_RE as LOCATION_CODE
from ..core.ids import new_id
from . import catalog_write, changes, masterdata
from .models import (
    Barcode,
    EventError,
    Location,
    Payment,
    Product,
    Refund,
    ReturnLine,
    Sale,
    SaleLine,
    SaleReturn,
    SaleVoid,
    StockLevel,
    StockMovement,
    Store,
)

BULK_KINDS = frozenset({"sale.completed", "sale.returned", "sale.voided", "stock.adjusted"})
# documents between stores: the other store's tills need them (the till side: services/sync_apply.py)
TRANSFER_KINDS = frozenset({"transfer.shipped", "transfer.received"})


def moves_stock(event: Pushed) -> bool:
    """Any event whose payload carries ledger movements (sales, receipts of goods, counts, transfers, …) is
    projected into the store's stock: the ledger converges whatever kind of document moved the goods."""
    return event.kind in BULK_KINDS or (isinstance(event.payload, dict)
                                        and isinstance(event.payload.get("movements"), list))
MASTER_KINDS = frozenset({"catalog.upserted", "user.created", "member.enrolled"})
MAX_INT = 2 ** 62
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MISSING = object()
_FAILED_WRITE = (IntegrityError, DataError)


class ProjectionError(Exception):
    """Why an event could not be applied; recorded in ``event_errors``."""


@dataclass(frozen=True)
class Pushed:
    """A stored event to project."""

    event_id: str
    kind: str
    payload: Any
    till_seq: int
    created_at: str | None


@dataclass(frozen=True)
class Origin:
    """Who pushed: the till's store and code, its enrolment, and the time of the push."""

    store: Store
    till_code: str
    enrolment_id: str
    at: str


# --- reading payloads strictly ---------------------------------------------------------------------------------


def _get(data: Any, key: str, default: Any = _MISSING) -> Any:
    if not isinstance(data, dict):
        raise ProjectionError(f"expected an object holding {key!r}")
    if key not in data or data[key] is None:
        if default is _MISSING:
            raise ProjectionError(f"{key!r} is missing")
        return default
    return data[key]


def _int(data: Any, key: str, default: Any = _MISSING) -> Any:
    value = _get(data, key, default)
    if value is default and default is not _MISSING:
        return value
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= MAX_INT:
        raise ProjectionError(f"{key!r} must be an integer, not {value!r:.40}")
    return value


def _str(data: Any, key: str, limit: int, default: Any = _MISSING) -> Any:
    value = _get(data, key, default)
    if value is default and default is not _MISSING:
        return value
    if not isinstance(value, str) or len(value) > limit:
        raise ProjectionError(f"{key!r} must be text of at most {limit} characters, not {value!r:.40}")
    return value


def _list(data: Any, key: str) -> list[Any]:
    value = _get(data, key, [])
    if not isinstance(value, list):
        raise ProjectionError(f"{key!r} must be a list")
    return value


def _date(data: Any, key: str) -> str:
    value = _str(data, key, 10)
    if not _DATE.match(value):
        raise ProjectionError(f"{key!r} must be a date like 2026-11-27, not {value!r}")
    return value


# --- planning: an event's rows, in Python ------------------------------------------------------------------------


@dataclass
class Plan:
    event: Pushed
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    movements: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # (row, change data)
    forwards: list[dict[str, Any]] = field(default_factory=list)  # changes for other stores' tills

    def add(self, table: str, *rows: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).extend(rows)


class Resolver:
    """SKUs, location codes and sale ids of one store, looked up in bulk for a group of events."""

    def __init__(self, session: Session, origin: Origin, events: list[Pushed]) -> None:
        self.session, self.origin = session, origin
        skus: set[str] = set()
        sale_ids: set[str] = set()
        for event in events:
            payload = event.payload if isinstance(event.payload, dict) else {}
            moves = payload.get("movements")
            for move in moves if isinstance(moves, list) else []:
                if isinstance(move, dict) and isinstance(move.get("sku"), str):
                    skus.add(move["sku"])
            head = payload.get("return")
            for ref in (payload.get("sale_id"), head.get("original_sale_id") if isinstance(head, dict) else None):
                if isinstance(ref, str):
                    sale_ids.add(ref)
        self.products = catalog_write.ids_by(session, Product.sku, Product.id, skus)
        self.locations = dict(session.execute(select(Location.code, Location.id)
                                              .where(Location.store_id == origin.store.id)).all())
        self.sales: set[str] = set()
        for chunk in catalog_write.chunks(sale_ids):
            self.sales.update(session.scalars(select(Sale.id).where(Sale.id.in_(chunk),
                                                                   Sale.store_id == origin.store.id)))

    def product(self, sku: str) -> str:
        found = self.products.get(sku)
        if found is None:
            raise ProjectionError(f"unknown SKU {sku}")
        return found

    def store_id(self, code: str) -> str | None:
        return self.session.scalar(select(Store.id).where(Store.code == code))

    def location(self, code: str) -> str:
        code = code.upper()
        found = self.locations.get(code)
        if found is None:
            # a till made a location head office has not (quarantine, in transit, …): the goods are there all
            # the same, so the location is added rather than the movement refused (a sale is a fact)
            if not LOCATION_CODE.fullmatch(code):
                raise ProjectionError(f"location code {code!r} is not valid")
            found = new_id()
            self.session.execute(insert(Location.__table__).values(
                id=found, store_id=self.origin.store.id, code=code, name=code, kind="storage"))
            self.locations[code] = found
        return found


def plan(event: Pushed, resolver: Resolver) -> Plan:
    """The rows of one event, or ProjectionError. A planned sale counts as known to later events."""
    result = Plan(event)
    kind, payload, o = event.kind, event.payload, resolver.origin
    doc = {"store_id": o.store.id, "till_code": o.till_code, "event_id": event.event_id}
    if kind == "sale.completed":
        sale = _get(payload, "sale")
        sale_id = _str(sale, "id", 36)
        total = _int(sale, "total_minor")
        result.add("sales", {
            "id": sale_id, **doc, "receipt_no": _str(sale, "receipt_no", 40),
            "created_at": _str(sale, "created_at", 40), "business_date": _date(sale, "business_date"),
            "subtotal_minor": _int(sale, "subtotal_minor", total), "discount_minor": _int(sale, "discount_minor", 0),
            "tax_minor": _int(sale, "tax_minor", 0), "total_minor": total,
            "rounding_minor": _int(sale, "rounding_minor", 0), "paid_minor": _int(sale, "paid_minor", total),
            "change_minor": _int(sale, "change_minor", 0),
            "customer": _str(payload, "customer", 30, None)})
        for line in _list(payload, "lines"):
            net = _int(line, "net_minor")
            discount = sum(_int(line, key, 0) for key in ("promo_discount_minor", "line_discount_minor",
                                                          "cart_share_minor"))
            result.add("sale_lines", {
                "sale_id": sale_id, "line_no": _int(line, "line_no"), "sku": _str(line, "sku", 50),
                "name": _str(line, "name", 200, ""), "qty_milli": _int(line, "qty_milli"),
                "unit_price_minor": _int(line, "unit_price_minor", 0), "gross_minor": _int(line, "gross_minor", net),
                "discount_minor": discount, "net_minor": net, "tax_rate_bp": _int(line, "tax_rate_bp", 0),
                "tax_minor": _int(line, "tax_minor", 0)})
        for number, pay in enumerate(_list(payload, "payments"), start=1):
            result.add("payments", {"sale_id": sale_id, "seq": _int(pay, "seq", number),
                                    "method": _str(pay, "method", 20), "amount_minor": _int(pay, "amount_minor"),
                                    "status": _str(pay, "status", 20, "completed")})
        resolver.sales.add(sale_id)
    elif kind == "sale.returned":
        head = _get(payload, "return")
        return_id, original = _str(head, "id", 36), _str(head, "original_sale_id", 36)
        if original not in resolver.sales:
            raise ProjectionError(f"return {_str(head, 'receipt_no', 40, '?')} of sale "
                                  f"{_str(payload, 'original_receipt', 40, original)}, which this server does "
                                  f"not have")
        result.add("returns", {
            "id": return_id, **doc, "receipt_no": _str(head, "receipt_no", 40), "original_sale_id": original,
            "created_at": _str(head, "created_at", 40), "business_date": _date(head, "business_date"),
            "total_minor": _int(head, "total_minor"), "tax_minor": _int(head, "tax_minor", 0),
            "reason": _str(head, "reason", 200, "")})
        for number, line in enumerate(_list(payload, "lines"), start=1):
            result.add("return_lines", {
                "return_id": return_id, "line_no": _int(line, "line_no", number),
                "sale_line_no": _int(line, "sale_line_no"), "qty_milli": _int(line, "qty_milli"),
                "amount_minor": _int(line, "amount_minor"), "tax_minor": _int(line, "tax_minor", 0)})
        for number, refund in enumerate(_list(payload, "refunds"), start=1):
            result.add("refunds", {"return_id": return_id, "seq": _int(refund, "seq", number),
                                   "method": _str(refund, "method", 20),
                                   "amount_minor": _int(refund, "amount_minor")})
    elif kind == "sale.voided":
        sale_id = _str(payload, "sale_id", 36)
        if sale_id not in resolver.sales:
            raise ProjectionError(f"void of sale {_str(payload, 'receipt_no', 40, sale_id)}, which this server "
                                  f"does not have")
        result.add("voids", {"id": _str(payload, "void_id", 36), "sale_id": sale_id, **doc,
                             "reason": _str(payload, "reason", 200, ""), "created_at": event.created_at})
    for move in _list(payload, "movements"):
        result.movements.append(_movement(move, resolver, doc, event))
    if kind in TRANSFER_KINDS:
        result.forwards.extend(_forwards(event, resolver))
    return result


def _forwards(event: Pushed, resolver: Resolver) -> list[dict[str, Any]]:
    """A transfer between stores travels on: ``transfer.shipped`` to the receiving store's tills,
    ``transfer.received`` to the tills of both stores (never back to the till that pushed it)."""
    payload = event.payload
    data = {key: value for key, value in payload.items() if key != "movements"}
    to_store, from_store = _str(payload, "to_store", 10, None), _str(payload, "from_store", 10, None)
    stores = [to_store] if event.kind == "transfer.shipped" else [from_store, to_store]
    rows = []
    for code in dict.fromkeys(code for code in stores if code):
        store_id = resolver.store_id(code)
        if store_id is None:
            raise ProjectionError(f"{event.kind} names store {code}, which this server does not have")
        rows.append({"kind": event.kind, "store_id": store_id, "origin": resolver.origin.enrolment_id,
                     "data": data})
    return rows


def _movement(move: Any, resolver: Resolver, doc: dict[str, Any], event: Pushed) -> tuple[dict, dict]:
    sku, location = _str(move, "sku", 50), _str(move, "location", 10).upper()
    lot, expiry = _str(move, "lot", 50, None) or None, _str(move, "expiry", 10, None) or None
    row = {"id": _str(move, "id", 36), "store_id": doc["store_id"], "product_id": resolver.product(sku),
           "location_id": resolver.location(location), "lot": lot, "expiry": expiry,
           "qty_milli": _int(move, "qty_milli"), "reason": _str(move, "reason", 30, ""),
           "doc_type": _str(move, "doc_type", 30, ""), "doc_id": _str(move, "doc_id", 64, ""),
           "till_code": doc["till_code"], "event_id": doc["event_id"],
           "unit_cost_minor": _int(move, "unit_cost_minor", None),
           "created_at": _str(move, "created_at", 40, event.created_at or "")}
    data = {key: row[key] for key in ("id", "lot", "expiry", "qty_milli", "reason", "doc_type", "doc_id",
                                       "created_at", "unit_cost_minor", "till_code")}
    return row, {**data, "sku": sku, "location": location}


# --- writing ---------------------------------------------------------------------------------------------------

TABLES = (("sales", Sale), ("sale_lines", SaleLine), ("payments", Payment), ("returns", SaleReturn),
          ("return_lines", ReturnLine), ("refunds", Refund), ("voids", SaleVoid))


def dialect_insert(session: Session, table: Any) -> Any:
    module = postgresql if changes.is_postgres(session) else sqlite
    return module.insert(table)


def write(session: Session, origin: Origin, plans: list[Plan]) -> None:
    """Insert the planned rows; movements once each (by id), their stock levels, and their changes."""
    for name, model in TABLES:
        rows = [row for p in plans for row in p.rows.get(name, ())]
        if rows:
            session.execute(insert(model.__table__), rows)
    changes.append(session, [row for p in plans for row in p.forwards], origin.at)
    moves = {row["id"]: (row, data) for p in plans for row, data in p.movements}
    if not moves:
        return
    table = StockMovement.__table__
    session.execute(dialect_insert(session, table).on_conflict_do_nothing(index_elements=["id"]),
                    [row for row, _data in moves.values()])
    # A movement stored before (by another event) keeps that event's id: only ours are new. (Read back
    # rather than RETURNING, for the reason in ingest._insert.)
    fresh: set[str] = set()
    for chunk in catalog_write.chunks(list(moves)):
        fresh.update(ident for ident, event_id in session.execute(
            select(table.c.id, table.c.event_id).where(table.c.id.in_(chunk))) if event_id == moves[ident][0]["event_id"])
    deltas: dict[tuple[str, str, str, str], list[Any]] = {}
    for ident in fresh:
        row = moves[ident][0]
        key = (row["store_id"], row["product_id"], row["location_id"], row["lot"] or "")
        entry = deltas.setdefault(key, [0, None])
        entry[0] += row["qty_milli"]
        entry[1] = row["expiry"] or entry[1]
    if deltas:
        levels = StockLevel.__table__
        upsert = dialect_insert(session, levels)
        upsert = upsert.on_conflict_do_update(
            index_elements=["store_id", "product_id", "location_id", "lot_key"],
            set_={"qty_milli": levels.c.qty_milli + upsert.excluded.qty_milli,
                  "expiry": func.coalesce(upsert.excluded.expiry, levels.c.expiry)})
        # Sorted, so two pushes touching the same levels lock them in the same order (no deadlock).
        session.execute(upsert, [{"store_id": s, "product_id": p, "location_id": loc, "lot_key": lot,
                                  "qty_milli": q, "expiry": e} for (s, p, loc, lot), (q, e) in sorted(deltas.items())])
    changes.append(session, [{"kind": "movement", "store_id": origin.store.id, "origin": origin.enrolment_id,
                              "data": data} for ident, (_row, data) in moves.items() if ident in fresh],
                   origin.at)


# --- the events of one push --------------------------------------------------------------------------------------


def project(session: Session, origin: Origin, events: list[Pushed]) -> int:
    """Project newly stored events in ``till_seq`` order; returns how many failed (recorded)."""
    failed = attempt(session, origin, events)
    if failed:
        session.execute(insert(EventError.__table__), [
            {"event_id": event.event_id, "store_id": origin.store.id, "kind": event.kind,
             "message": message[:2000], "created_at": origin.at} for event, message in failed])
    return len(failed)


def attempt(session: Session, origin: Origin, events: list[Pushed]) -> list[tuple[Pushed, str]]:
    """Project ``events`` (each all or nothing); the ones that failed, with why — not recorded here."""
    failed: list[tuple[Pushed, str]] = []
    group: list[Pushed] = []
    for event in events:
        if moves_stock(event) or event.kind in TRANSFER_KINDS:
            group.append(event)
        elif event.kind in MASTER_KINDS:
            failed += _bulk(session, origin, group)
            group = []
            failed += _master(session, origin, event)
    failed += _bulk(session, origin, group)
    return failed


def _bulk(session: Session, origin: Origin, events: list[Pushed]) -> list[tuple[Pushed, str]]:
    if not events:
        return []
    resolver = Resolver(session, origin, events)
    plans, failed = [], []
    for event in events:
        try:
            plans.append(plan(event, resolver))
        except ProjectionError as exc:
            failed.append((event, str(exc)))
    try:
        with session.begin_nested():
            write(session, origin, plans)
        return failed
    except _FAILED_WRITE:
        pass
    for one in plans:            # the database refused the batch: find the event(s) it refused
        try:
            with session.begin_nested():
                write(session, origin, [one])
        except _FAILED_WRITE as exc:
            failed.append((one.event, _db_message(exc)))
    failed.sort(key=lambda item: item[0].till_seq)
    return failed


def _db_message(exc: Exception) -> str:
    original = getattr(exc, "orig", exc)
    return f"{type(original).__name__}: {str(original).strip().splitlines()[0] if str(original).strip() else ''}"


def _master(session: Session, origin: Origin, event: Pushed) -> list[tuple[Pushed, str]]:
    try:
        with session.begin_nested():
            _apply_master(session, origin, event)
    except (ProjectionError, PosError, KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as exc:
        return [(event, getattr(exc, "message", None) or str(exc) or type(exc).__name__)]
    except _FAILED_WRITE as exc:
        return [(event, _db_message(exc))]
    return []


def _apply_master(session: Session, origin: Origin, event: Pushed) -> None:
    payload, at = event.payload, origin.at
    if event.kind == "user.created":
        masterdata.put_user(session, _str(payload, "username", 50), at, role=_str(payload, "role", 20),
                            pin_hash=_str(payload, "pin_hash", 200), display_name=_str(payload, "display_name",
                                                                                    100, None),
                            store=origin.store)
    elif event.kind == "member.enrolled":
        masterdata.put_member(session, _str(payload, "code", 30), _str(payload, "name", 100), at,
                              phone=_str(payload, "phone", 30, None), member_id=_str(payload, "member_id", 36, None),
                              store=origin.store)
    elif event.kind == "catalog.upserted":
        rows = [catalog_write.row_from_doc(doc) for doc in _list(payload, "products")]
        _check_codes(session, rows)
        catalog_write.upsert_products(session, rows, at)


def _check_codes(session: Session, rows: list[Any]) -> None:
    """A barcode or PLU a till gives to a product must not belong to another product of the chain."""
    mine = {code: row.sku for row in rows for code, _pack in row.barcodes}
    for chunk in catalog_write.chunks(set(mine)):
        for code, sku in session.execute(select(Barcode.code, Product.sku).join(Product)
                                         .where(Barcode.code.in_(chunk))):
            if sku != mine[code]:
                raise ProjectionError(f"barcode {code} of SKU {mine[code]} belongs to SKU {sku} at head office")
    plus = {row.plu: row.sku for row in rows if row.plu}
    for chunk in catalog_write.chunks(set(plus)):
        for plu, sku in session.execute(select(Product.plu, Product.sku).where(Product.plu.in_(chunk))):
            if sku != plus[plu]:
                raise ProjectionError(f"PLU {plu} of SKU {plus[plu]} belongs to SKU {sku} at head office")
