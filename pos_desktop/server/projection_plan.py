"""Planning a pushed event's projection (``projection``'s first step): the event kinds, what a push is (``Pushed``,
``Origin``), reading payloads strictly, and turning each event into the rows it writes, in Python.

A malformed event fails here with ``ProjectionError``, before anything touches the database; the only writes
are the locations a till made that head office has not (``Resolver.location``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..core.ids import CODE_RE as LOCATION_CODE
from ..core.ids import new_id
from . import catalog_write
from .models import Location, Product, Sale, Store

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
