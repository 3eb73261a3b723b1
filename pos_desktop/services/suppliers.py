"""Suppliers: contacts, lead time, minimum order value, payment days, pack sizes and contract prices.

Suppliers are master data (head office normally sends them down); a store may keep its own too. Each write
here is one transaction with a journal entry and an outbox event (``supplier.saved``, ``supplier.item_set``)
and needs ``purchase.manage`` (manager). The readers (``list_suppliers``, ``supplier_details``) need nothing.

A contract price is per product unit (the unit the product is sold and stocked in), valid from a date to a
date (inclusive, or open-ended); on a given date the newest ``valid_from`` that covers it wins. The pack size
is the supplier's order multiple: orders are rounded up to it.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..core.errors import InvalidInput, NotFound
from ..core.i18n import _
from ..core.ids import new_id
from ..core.money import format_money, format_qty, from_minor, milli_to_qty, qty_to_milli, to_minor
from ..core.permissions import Action
from ..store import sql
from .auth import Operator, require
from .context import Context
from .unit import Unit, write

SUPPLIER_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,29}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_DAYS = 365


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class SupplierInput:
    """A supplier as a manager or head office describes it. ``contacts=None`` keeps the stored contacts."""

    code: str
    name: str
    lead_time_days: int = 3
    min_order: Decimal = Decimal(0)
    payment_days: int = 30
    contacts: tuple[Contact, ...] | None = None


# ---------------------------------------------------------------------------------------------- look-ups


def supplier_row(conn: sqlite3.Connection, code: str) -> tuple[str, str, str, int]:
    """(id, code, name, lead time) of the supplier with ``code``; NotFound (exit 3) otherwise."""
    row = sql.one(conn, "SELECT id, code, name, lead_time_days FROM suppliers WHERE code = ?", code.strip())
    if row is None:
        raise NotFound(_("Unknown supplier {code}").format(code=code), code="unknown_supplier")
    return row


def product_row(conn: sqlite3.Connection, sku: str) -> tuple[str, str, str, bool, int | None]:
    """(id, sku, name, is_weighed, cost) of the product with ``sku``; NotFound otherwise."""
    row = sql.one(conn, "SELECT id, sku, name, is_weighed, cost_minor FROM products WHERE sku = ?", sku)
    if row is None:
        raise NotFound(_("Unknown SKU {sku}").format(sku=sku), code="unknown_product")
    return row[0], row[1], row[2], bool(row[3]), row[4]


CONTRACT_PRICE_SQL = """SELECT price_minor FROM supplier_prices
WHERE supplier_id = ? AND product_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)
ORDER BY valid_from DESC, created_at DESC, rowid DESC LIMIT 1"""


def contract_price(conn: sqlite3.Connection, supplier_id: str, product_id: str, on: date) -> int | None:
    """The supplier's contract price (minor units per product unit) valid on ``on``, or None."""
    day = on.isoformat()
    return sql.scalar(conn, CONTRACT_PRICE_SQL, supplier_id, product_id, day, day)


def pack_qty_milli(conn: sqlite3.Connection, supplier_id: str | None, product_id: str) -> int:
    """The supplier's order multiple for the product in thousandths (1000 = single units when none is set)."""
    if supplier_id is None:
        return 1000
    found = sql.scalar(conn, "SELECT pack_qty_milli FROM supplier_items WHERE supplier_id = ? AND product_id = ?",
                       supplier_id, product_id)
    return found or 1000


# ---------------------------------------------------------------------------------------------- writers


def _check(data: SupplierInput) -> SupplierInput:
    if not SUPPLIER_CODE_RE.match(data.code or ""):
        raise InvalidInput(_("A supplier code is 1 to 30 letters, digits, '.', '-' or '_', not {code!r}").format(
            code=data.code), code="bad_supplier_code")
    if not (data.name or "").strip():
        raise InvalidInput(_("The supplier needs a name"), code="missing_field")
    for value in (data.lead_time_days, data.payment_days):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_DAYS:
            raise InvalidInput(_("Lead time and payment terms are whole days from 0 to {max}, not {value!r}")
                               .format(max=MAX_DAYS, value=value), code="bad_days")
    if data.min_order < 0:
        raise InvalidInput(_("The minimum order value cannot be negative"), code="bad_amount")
    for contact in data.contacts or ():
        if not contact.name.strip():
            raise InvalidInput(_("Each contact needs a name"), code="missing_field")
        if contact.email and not EMAIL_RE.match(contact.email):
            raise InvalidInput(_("{email} is not an e-mail address").format(email=contact.email),
                               code="bad_email")
    return data


def save_supplier(ctx: Context, operator: Operator, data: SupplierInput,
                  approver: Operator | None = None) -> dict[str, Any]:
    """Create the supplier ``data.code``, or update it when it exists (a catalog import creates suppliers
    with only a code). Needs ``purchase.manage``. One transaction: the supplier, its terms, its contacts
    (replaced when given), a journal entry ``supplier_saved`` and an outbox event ``supplier.saved``.
    Returns the supplier as ``supplier_details`` shows it, plus ``created``."""
    approved = require(operator, Action.PURCHASE, approver)
    data = _check(data)
    min_order = to_minor(data.min_order, ctx.places)
    with write(ctx) as unit:
        conn = unit.conn
        found = sql.one(conn, "SELECT id FROM suppliers WHERE code = ?", data.code)
        first = data.contacts[0] if data.contacts else None
        if found is None:
            supplier_id = new_id()
            unit.insert("suppliers", {"id": supplier_id, "code": data.code, "name": data.name.strip(),
                                      "contact": first.name if first else None, "phone": first.phone if first else None,
                                      "lead_time_days": data.lead_time_days})
        else:
            supplier_id = found[0]
            sql.execute(conn, "UPDATE suppliers SET name = ?, lead_time_days = ? WHERE id = ?", data.name.strip(),
                        data.lead_time_days, supplier_id)
            if first is not None:
                sql.execute(conn, "UPDATE suppliers SET contact = ?, phone = ? WHERE id = ?", first.name,
                            first.phone, supplier_id)
        sql.execute(conn, "INSERT INTO supplier_terms (supplier_id, min_order_minor, payment_days, updated_at) "
                          "VALUES (?, ?, ?, ?) ON CONFLICT (supplier_id) DO UPDATE SET "
                          "min_order_minor = excluded.min_order_minor, payment_days = excluded.payment_days, "
                          "updated_at = excluded.updated_at", supplier_id, min_order, data.payment_days, unit.at)
        if data.contacts is not None:
            sql.execute(conn, "DELETE FROM supplier_contacts WHERE supplier_id = ?", supplier_id)
            unit.insert("supplier_contacts", [{"id": new_id(), "supplier_id": supplier_id, "name": c.name.strip(),
                                               "phone": c.phone, "email": c.email} for c in data.contacts])
        payload = {"supplier_id": supplier_id, "code": data.code, "name": data.name.strip(),
                   "lead_time_days": data.lead_time_days, "min_order_minor": min_order,
                   "payment_days": data.payment_days,
                   "contacts": None if data.contacts is None else
                   [{"name": c.name, "phone": c.phone, "email": c.email} for c in data.contacts]}
        digest = unit.journal("supplier_saved", supplier_id, payload, user=operator.username,
                              approver=approved.username if approved else None)
        unit.outbox("supplier.saved", payload, digest)
        details = _details(unit.conn, ctx, data.code, unit.now.date())
    return {**details, "created": found is None}


def set_item(ctx: Context, operator: Operator, *, supplier: str, sku: str, price: Decimal | None = None,
             valid_from: date | None = None, valid_to: date | None = None, pack_qty: Decimal | None = None,
             supplier_sku: str | None = None, approver: Operator | None = None) -> dict[str, Any]:
    """Record that ``supplier`` delivers ``sku``: its pack size (order multiple) and/or a contract price valid
    from ``valid_from`` (default today) to ``valid_to`` (open when None). Needs ``purchase.manage``. One
    transaction with a journal entry ``supplier_item_set`` and an outbox event ``supplier.item_set``."""
    approved = require(operator, Action.PURCHASE, approver)
    if price is None and pack_qty is None and supplier_sku is None:
        raise InvalidInput(_("Give a price, a pack size or the supplier's item code"), code="missing_field")
    if price is not None and price < 0:
        raise InvalidInput(_("A contract price cannot be negative"), code="bad_amount")
    if pack_qty is not None and pack_qty <= 0:
        raise InvalidInput(_("A pack size must be more than 0"), code="bad_qty")
    with write(ctx) as unit:
        supplier_id, code, _name, _lead = supplier_row(unit.conn, supplier)
        product_id, sku, _pname, is_weighed, _cost = product_row(unit.conn, sku)
        if pack_qty is not None and not is_weighed and pack_qty != pack_qty.to_integral_value():
            raise InvalidInput(_("{sku} is counted in whole units: a pack of {qty} cannot be").format(
                sku=sku, qty=format_qty(pack_qty)), code="bad_qty")
        start = valid_from or unit.now.date()
        if valid_to is not None and valid_to < start:
            raise InvalidInput(_("A price cannot end ({end}) before it starts ({start})").format(
                end=valid_to.isoformat(), start=start.isoformat()), code="bad_date")
        payload = _write_item(unit, supplier_id, product_id, price, start, valid_to, pack_qty, supplier_sku)
        payload.update({"supplier": code, "sku": sku})
        digest = unit.journal("supplier_item_set", supplier_id, payload, user=operator.username,
                              approver=approved.username if approved else None)
        unit.outbox("supplier.item_set", payload, digest)
        item = next(i for i in _details(unit.conn, ctx, code, unit.now.date())["items"] if i["sku"] == sku)
    return {"supplier": code, **item}


def _write_item(unit: Unit, supplier_id: str, product_id: str, price: Decimal | None, start: date,
                end: date | None, pack_qty: Decimal | None, supplier_sku: str | None) -> dict[str, Any]:
    pack_milli = qty_to_milli(pack_qty) if pack_qty is not None else None
    sql.execute(unit.conn, "INSERT INTO supplier_items (supplier_id, product_id, pack_qty_milli, supplier_sku) "
                           "VALUES (?, ?, ?, ?) ON CONFLICT (supplier_id, product_id) DO UPDATE SET "
                           "pack_qty_milli = coalesce(?, pack_qty_milli), supplier_sku = coalesce(?, supplier_sku)",
                supplier_id, product_id, pack_milli or 1000, supplier_sku, pack_milli, supplier_sku)
    price_minor = to_minor(price, unit.ctx.places) if price is not None else None
    if price_minor is not None:
        unit.insert("supplier_prices", {"id": new_id(), "supplier_id": supplier_id, "product_id": product_id,
                                        "price_minor": price_minor, "valid_from": start.isoformat(),
                                        "valid_to": end.isoformat() if end else None, "created_at": unit.at})
    return {"price_minor": price_minor, "valid_from": start.isoformat() if price_minor is not None else None,
            "valid_to": end.isoformat() if end and price_minor is not None else None, "pack_qty_milli": pack_milli,
            "supplier_sku": supplier_sku}


# ---------------------------------------------------------------------------------------------- readers


def list_suppliers(ctx: Context) -> list[dict[str, Any]]:
    """``pos supplier list --json``: every supplier with its terms and contacts, by code."""
    with ctx.db.raw() as conn:
        codes = [r[0] for r in sql.rows(conn, "SELECT code FROM suppliers ORDER BY code")]
        today = ctx.clock.now().date()
        return [_summary(conn, ctx, code, today) for code in codes]


def supplier_details(ctx: Context, code: str, on: date | None = None) -> dict[str, Any]:
    """``pos supplier show CODE --json``: terms, contacts, and each product with its pack size, the contract
    price valid ``on`` (default today) and every contract price recorded."""
    with ctx.db.raw() as conn:
        return _details(conn, ctx, code, on or ctx.clock.now().date())


def _summary(conn: sqlite3.Connection, ctx: Context, code: str, today: date) -> dict[str, Any]:
    supplier_id, code, name, lead = supplier_row(conn, code)
    terms = sql.one(conn, "SELECT min_order_minor, payment_days FROM supplier_terms WHERE supplier_id = ?",
                    supplier_id) or (0, 30)
    legacy = sql.one(conn, "SELECT contact, phone FROM suppliers WHERE id = ?", supplier_id)
    contacts = [{"name": n, "phone": p, "email": e} for n, p, e in sql.rows(
        conn, "SELECT name, phone, email FROM supplier_contacts WHERE supplier_id = ? ORDER BY rowid", supplier_id)]
    if not contacts and legacy and legacy[0]:
        contacts = [{"name": legacy[0], "phone": legacy[1], "email": None}]
    products = sql.scalar(conn, "SELECT count(*) FROM products WHERE supplier_id = ?", supplier_id)
    return {"code": code, "name": name, "lead_time_days": lead,
            "min_order": format_money(from_minor(terms[0], ctx.places), ctx.places), "payment_days": terms[1],
            "contacts": contacts, "products": products}


def _details(conn: sqlite3.Connection, ctx: Context, code: str, on: date) -> dict[str, Any]:
    summary = _summary(conn, ctx, code, on)
    supplier_id = supplier_row(conn, code)[0]
    money = lambda minor: None if minor is None else format_money(from_minor(minor, ctx.places), ctx.places)
    items = []
    rows = sql.rows(conn, """SELECT p.id, p.sku, p.name, i.pack_qty_milli, i.supplier_sku FROM supplier_items i
                             JOIN products p ON p.id = i.product_id WHERE i.supplier_id = ? ORDER BY p.sku""",
                    supplier_id)
    for product_id, sku, name, pack, supplier_sku in rows:
        prices = sql.rows(conn, "SELECT price_minor, valid_from, valid_to FROM supplier_prices WHERE supplier_id = ? "
                                "AND product_id = ? ORDER BY valid_from, created_at, rowid", supplier_id, product_id)
        items.append({"sku": sku, "name": name, "pack_qty": format_qty(milli_to_qty(pack)),
                      "supplier_sku": supplier_sku,
                      "price": money(contract_price(conn, supplier_id, product_id, on)), "price_date": on.isoformat(),
                      "prices": [{"price": money(p), "valid_from": f, "valid_to": t} for p, f, t in prices]})
    return {**summary, "items": items}
