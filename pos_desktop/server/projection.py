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

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from ..core.errors import PosError
from . import catalog_write, masterdata
from .models import Barcode, EventError, Product
from .projection_plan import (
    MASTER_KINDS,
    TRANSFER_KINDS,
    Origin,
    ProjectionError,
    Pushed,
    Resolver,
    _list,
    _str,
    moves_stock,
    plan,
)
from .projection_write import write

_FAILED_WRITE = (IntegrityError, DataError)


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
