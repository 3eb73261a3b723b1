"""Applying pulled master data to the till (``sync_apply``'s appliers for products, users, settings, locations,
members and promotions), and the page report and savepoint helpers every applier shares.

Products go in as one bulk write per page (one at a time only if the database refuses the batch); the small
kinds go one change at a time, each in a savepoint, so a bad one is skipped and logged, never fatal.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..core.clock import utc_text
from ..core.errors import PosError
from ..core.ids import new_id
from ..core.money import qty_to_milli, rate_to_bp, to_minor
from ..core.permissions import parse_role
from ..core.promotions import PromoKind
from ..core.store_settings import SETTINGS, parse_setting
from ..store import sql
from .products import ProductRow, upsert_products
from .unit import Unit

log = logging.getLogger(__package__ + ".sync_apply")   # the pull's log, under the same name as before the split

IDENTITY_SETTINGS = frozenset({"store_id", "till_id"})
CHUNK = 500
BAD_DATA = (KeyError, TypeError, ValueError, InvalidOperation, AttributeError, PosError)


@dataclass
class PageReport:
    applied: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(self.applied.values())

    def add(self, kind: str, n: int = 1) -> None:
        self.applied[kind] = self.applied.get(kind, 0) + n

    def skip(self, kind: str, data: Any, why: object) -> None:
        text = f"{kind} {_name(data)}: {why}"
        self.skipped.append(text)
        log.warning("pulled change skipped: %s", text)


def _name(data: Any) -> str:
    if isinstance(data, dict):
        for key in ("sku", "id", "username", "code", "key"):
            if data.get(key):
                return str(data[key])
    return "?"


@contextmanager
def _savepoint(conn: sqlite3.Connection, name: str = "pulled") -> Iterator[None]:
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        conn.execute(f"ROLLBACK TO {name}")
        conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")


def _each(unit: Unit, kind: str, items: list[Any], report: PageReport, apply: Callable[[dict], None]) -> None:
    """Apply small kinds one change at a time, each in a savepoint: a bad one is skipped, not fatal."""
    for data in items:
        try:
            with _savepoint(unit.conn):
                apply(data)
        except (*BAD_DATA, sqlite3.IntegrityError) as exc:
            report.skip(kind, data, exc)
        else:
            report.add(kind)


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _marks(items: list[Any]) -> str:
    return ", ".join("?" * len(items))


# -- products ------------------------------------------------------------------------------------------------------

def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        raise ValueError(f"{value!r}: amounts come as strings")
    return Decimal(str(value))


def product_row(data: dict[str, Any], places: int) -> ProductRow:
    """A pulled product as the catalog writer takes it; raises on anything malformed (checked here, so the
    bulk write of a page cannot fail on it)."""
    price = _decimal(data["price"])
    if price is None:
        raise ValueError("no price")
    money = {key: _decimal(data.get(key)) for key in ("cost", "member_price")}
    for amount in (price, *money.values()):
        if amount is not None:
            to_minor(amount, places)
    tax_rate = _decimal(data.get("tax_rate"))
    barcodes = tuple((str(b["code"]), _decimal(b.get("pack_qty")) or Decimal(1))
                     for b in data.get("barcodes") or ())
    for _code, pack in barcodes:
        qty_to_milli(pack)
    row = ProductRow(
        sku=str(data["sku"]), name=str(data["name"]), price=price,
        tax_rate=tax_rate if tax_rate is not None else Decimal("0.13"), barcodes=barcodes,
        cost=money["cost"], member_price=money["member_price"], unit=str(data.get("unit") or "pcs"),
        category=data.get("category") or None, supplier=data.get("supplier") or None,
        reorder_point=_decimal(data.get("reorder_point")), reorder_qty=_decimal(data.get("reorder_qty")),
        track_batches=bool(data.get("track_batches")), track_expiry=bool(data.get("track_expiry")),
        is_weighed=bool(data.get("is_weighed")), plu=data.get("plu") or None,
        variant_of=data.get("variant_of") or None, attributes=dict(data.get("attributes") or {}))
    rate_to_bp(row.tax_rate)
    if not row.sku or not row.name:
        raise ValueError("a product needs a SKU and a name")
    return row


def _apply_products(unit: Unit, items: list[Any], report: PageReport) -> None:
    latest: dict[str, tuple[ProductRow, bool, bool]] = {}   # sku → (row, active, barcodes given)
    for data in items:
        try:
            row = product_row(data, unit.ctx.places)
        except BAD_DATA as exc:
            report.skip("product", data, exc)
            continue
        latest.pop(row.sku, None)
        latest[row.sku] = (row, data.get("active", True) is not False, data.get("barcodes") is not None)
    rows = _unique_codes([row for row, _a, _b in latest.values()])
    if not rows:
        return
    try:
        with _savepoint(unit.conn, "products"):
            _write_products(unit, rows, latest)
        report.add("product", len(rows))
    except sqlite3.Error as exc:   # something the checks above missed: find the culprit one row at a time
        log.warning("pulled products did not go in as one batch (%s); applying them one by one", exc)
        for row in rows:
            try:
                with _savepoint(unit.conn, "product"):
                    _write_products(unit, [row], latest)
            except sqlite3.Error as one:
                report.skip("product", {"sku": row.sku}, one)
            else:
                report.add("product")


def _unique_codes(rows: list[ProductRow]) -> list[ProductRow]:
    """Within one page a PLU or barcode belongs to the last product that claims it."""
    plus: set[str] = set()
    codes: set[str] = set()
    kept = []
    for row in reversed(rows):
        plu = row.plu if row.plu not in plus else None
        mine = tuple((code, pack) for code, pack in row.barcodes if code not in codes)
        plus.update([plu] if plu else [])
        codes.update(code for code, _pack in mine)
        changed = plu != row.plu or len(mine) != len(row.barcodes)
        kept.append(replace(row, plu=plu, barcodes=mine) if changed else row)
    return kept[::-1]


def _write_products(unit: Unit, rows: list[ProductRow], latest: dict[str, tuple[ProductRow, bool, bool]]) -> None:
    conn = unit.conn
    plus = [row.plu for row in rows if row.plu]
    for chunk in _chunks(plus):   # free the PLUs first; upsert gives each to its product again
        conn.execute(f"UPDATE products SET plu = NULL WHERE plu IN ({_marks(chunk)})", chunk)
    owner = {code: row.sku for row in rows for code, _pack in row.barcodes}
    listed = [row.sku for row in rows if latest[row.sku][2]]
    stale = []
    for chunk in _chunks(sorted(owner)):
        stale += [code for code, sku in sql.rows(
            conn, f"SELECT b.code, p.sku FROM barcodes b JOIN products p ON p.id = b.product_id "
                  f"WHERE b.code IN ({_marks(chunk)})", *chunk) if sku != owner[code]]
    for chunk in _chunks(listed):
        stale += [code for code, _sku in sql.rows(
            conn, f"SELECT b.code, p.sku FROM barcodes b JOIN products p ON p.id = b.product_id "
                  f"WHERE p.sku IN ({_marks(chunk)})", *chunk) if code not in owner]
    for chunk in _chunks(stale):
        conn.execute(f"DELETE FROM barcodes WHERE code IN ({_marks(chunk)})", chunk)
    upsert_products(unit, rows, unit.ctx.places)
    inactive = [row.sku for row in rows if not latest[row.sku][1]]
    for chunk in _chunks(inactive):
        conn.execute(f"UPDATE products SET active = 0 WHERE sku IN ({_marks(chunk)})", chunk)


# -- small kinds ---------------------------------------------------------------------------------------------------

def _apply_users(unit: Unit, items: list[Any], report: PageReport) -> None:
    def one(data: dict[str, Any]) -> None:
        username, pin_hash = str(data["username"]), str(data["pin_hash"])
        role = parse_role(str(data["role"])).value
        display = str(data.get("display_name") or username)
        active = data.get("active", True) is not False
        if not unit.conn.execute("UPDATE users SET display_name = ?, role = ?, pin_hash = ?, active = ? "
                                 "WHERE username = ?", (display, role, pin_hash, active, username)).rowcount:
            unit.insert("users", {"id": new_id(), "username": username, "display_name": display, "role": role,
                                  "pin_hash": pin_hash, "active": active, "failed_attempts": 0,
                                  "locked_until": None, "created_at": unit.at})
    _each(unit, "user", items, report, one)


def _apply_settings(unit: Unit, items: list[Any], report: PageReport) -> None:
    def one(data: dict[str, Any]) -> None:
        key = str(data["key"])
        if key in IDENTITY_SETTINGS:
            raise ValueError("the till's identity is not head office's to change")
        if key not in SETTINGS:
            raise ValueError("a setting this till does not know")
        value = parse_setting(key, data["value"])
        unit.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) "
                          "DO UPDATE SET value = excluded.value", (key, json.dumps(value, ensure_ascii=False)))
        report.settings[key] = value
    _each(unit, "setting", items, report, one)


def _apply_locations(unit: Unit, items: list[Any], report: PageReport) -> None:
    def one(data: dict[str, Any]) -> None:
        code = str(data["code"]).upper()
        name, kind = str(data.get("name") or code), str(data.get("kind") or "storage")
        if not unit.conn.execute("UPDATE locations SET name = ?, kind = ? WHERE code = ? AND store_id = ?",
                                 (name, kind, code, unit.ctx.till.store_id)).rowcount:
            unit.insert("locations", {"id": new_id(), "store_id": unit.ctx.till.store_id, "code": code,
                                      "name": name, "kind": kind})
    _each(unit, "location", items, report, one)


def _apply_members(unit: Unit, items: list[Any], report: PageReport) -> None:
    def one(data: dict[str, Any]) -> None:
        code, name = str(data["code"]), str(data["name"])
        phone = data.get("phone") or None
        if phone and sql.scalar(unit.conn, "SELECT 1 FROM customers WHERE phone = ? AND code <> ?", phone, code):
            raise ValueError(f"phone {phone} belongs to another member on this till")
        if not unit.conn.execute("UPDATE customers SET name = ?, phone = ? WHERE code = ?",
                                 (name, phone, code)).rowcount:
            unit.insert("customers", {"id": data.get("member_id") or data.get("id") or new_id(), "code": code,
                                      "name": name, "phone": phone, "points": 0, "created_at": unit.at})
    _each(unit, "member", items, report, one)


def _when(value: Any) -> str | None:
    """A promotion's start or end: ISO 8601 with offset, or already the UTC text the till stores."""
    if not value:
        return None
    text = str(value)
    if text.endswith("Z") and len(text) == 20:
        return text
    return utc_text(datetime.fromisoformat(text))


def _apply_promotions(unit: Unit, items: list[Any], report: PageReport) -> None:
    places = unit.ctx.places

    def one(data: dict[str, Any]) -> None:
        kind = PromoKind(str(data["kind"])).value
        sku, category = data.get("sku"), data.get("category")
        product_id = category_id = None
        if sku:
            product_id = sql.scalar(unit.conn, "SELECT id FROM products WHERE sku = ?", sku)
            if product_id is None:
                raise ValueError(f"unknown SKU {sku}")
        elif category:
            category_id = sql.scalar(unit.conn, "SELECT id FROM categories WHERE name = ?", category)
            if category_id is None:
                category_id = new_id()
                unit.insert("categories", {"id": category_id, "name": category, "parent_id": None})
        else:
            raise ValueError("a promotion is for one product or one category")
        percent, amount = _decimal(data.get("percent")), _decimal(data.get("amount"))
        row = {"id": str(data.get("id") or new_id()), "name": str(data["name"]), "kind": kind,
               "product_id": product_id, "category_id": category_id,
               "percent_bp": to_minor(percent, 2) if percent is not None else data.get("percent_bp"),
               "amount_minor": to_minor(amount, places) if amount is not None else data.get("amount_minor"),
               "buy_n": int(data.get("buy_n") or 0), "get_m": int(data.get("get_m") or 0),
               "starts_utc": _when(data.get("starts") or data.get("starts_utc")),
               "ends_utc": _when(data.get("ends") or data.get("ends_utc")),
               "members_only": bool(data.get("members_only")), "active": data.get("active", True) is not False}
        columns = [c for c in row if c != "id"]
        sql.insert_rows(unit.conn, "promotions", [row], upsert="ON CONFLICT (id) DO UPDATE SET " + ", ".join(
            f"{c} = excluded.{c}" for c in columns))
    _each(unit, "promotion", items, report, one)
    if report.applied.get("promotion"):
        unit.next_counter("promotions")   # open tills reload their cached promotions
