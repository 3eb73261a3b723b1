"""What a delivery is made of (``ReceiptInput``, ``ReceiptLineInput``) and what a scanned or typed
code names: ``identify`` turns a SKU, a barcode (a pack barcode counts packs) or a GS1 element string
into the product with its lot and expiry.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ...core.barcodes import gtin_lookup_code, normalize_barcode
from ...core.errors import InvalidInput, NotFound
from ...core.gs1 import looks_like_gs1, parse_gs1
from ...core.i18n import _
from ...store import sql
from ..context import Context


@dataclass(frozen=True)
class ReceiptLineInput:
    """One line of a delivery. Exactly one of ``sku``, ``barcode``, ``gs1``. Quantities and the unit cost are
    in units of what the code names (packs for a pack barcode)."""

    sku: str | None = None
    barcode: str | None = None
    gs1: str | None = None
    qty: Decimal = Decimal(0)
    lot: str | None = None
    expiry: date | None = None
    rejected_qty: Decimal = Decimal(0)
    reject_reason: str | None = None
    unit_cost: Decimal | None = None


@dataclass(frozen=True)
class ReceiptInput:
    lines: tuple[ReceiptLineInput, ...]
    location: str | None = None          # default: the order's location, else BACK
    supplier: str | None = None          # default: the order's supplier
    po: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Identified:
    """What a code names: the product, how many product units one scan is, and the lot/expiry it carries."""

    product_id: str
    sku: str
    name: str
    pack_milli: int
    lot: str | None
    expiry: date | None
    code: str | None
    is_weighed: bool
    track_batches: bool
    track_expiry: bool


PRODUCT_COLS = "p.id, p.sku, p.name, p.is_weighed, p.track_batches, p.track_expiry"


def identify(ctx: Context, *, sku: str | None = None, barcode: str | None = None,
             gs1: str | None = None) -> Identified:
    """What a scan or a typed code means (for the receiving screen, before anything is written). A bad check
    digit or malformed GS1 data is a BarcodeError, an unknown code NotFound (both exit 3)."""
    with ctx.db.raw() as conn:
        return _identify(conn, sku, barcode, gs1)


def _identify(conn: sqlite3.Connection, sku: str | None, barcode: str | None, gs1: str | None) -> Identified:
    given = [name for name, value in (("sku", sku), ("barcode", barcode), ("gs1", gs1)) if value]
    if len(given) != 1:
        raise InvalidInput(_("name the product by exactly one of sku, barcode or gs1"), code="product_key")
    if sku:
        row = sql.one(conn, f"SELECT {PRODUCT_COLS}, 1000 FROM products p WHERE p.sku = ?", sku.strip())
        if row is None:
            raise NotFound(_("Unknown SKU {sku}").format(sku=sku), code="unknown_product")
        return _identified(row, None, None, None)
    text = (gs1 or barcode or "").strip()
    lot = expiry = None
    if gs1 or looks_like_gs1(text):
        data = parse_gs1(text)
        if data.gtin is None:
            raise InvalidInput(_("The GS1 barcode {code} holds no GTIN (01)").format(code=text), code="bad_barcode")
        code = gtin_lookup_code(data.gtin)
        lot, expiry = data.lot, data.expiry or data.best_before
    else:
        code = normalize_barcode(text)
    row = sql.one(conn, f"SELECT {PRODUCT_COLS}, b.pack_qty_milli FROM barcodes b JOIN products p "
                        "ON p.id = b.product_id WHERE b.code = ?", code)
    if row is None:
        raise NotFound(_("Unknown barcode {code}").format(code=code), code="unknown_barcode")
    return _identified(row, lot, expiry, text)


def _identified(row: tuple, lot: str | None, expiry: date | None, code: str | None) -> Identified:
    pid, sku, name, weighed, batches, expires, pack = row
    return Identified(pid, sku, name, pack, lot, expiry, code, bool(weighed), bool(batches), bool(expires))
