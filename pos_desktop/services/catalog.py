"""Finding products: by scan (barcode, in-store scale label, GS1-128), SKU or id, with today's price.

These are the till's hottest reads, so they go through ``store.lookup.ProductIndex`` (plain SQL on a
per-thread connection) instead of the ORM.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text

from ..core.barcodes import InStoreLayouts, Scan, parse_scan
from ..core.cart import ProductInfo
from ..core.clock import utc_text
from ..core.errors import InvalidInput, NotFound
from ..core.i18n import _
from ..core.money import (QTY_PLACES, bp_to_rate, format_money, format_qty, format_rate, from_minor, milli_to_qty,
                          round_half_up)
from ..store.models import Barcode, Category, PriceVersion, Product, Supplier
from .context import Context


@dataclass(frozen=True)
class ScanResult:
    """What one scan puts in the cart: the product, how many, and a fixed price from a scale label."""

    product: ProductInfo
    qty: Decimal
    fixed_gross: Decimal | None
    barcode: str
    scan: Scan


def to_product(row: tuple, places: int) -> ProductInfo:
    (pid, sku, name, unit, tax_bp, category_id, is_weighed, track_batches, active, pv_id, price, member_price,
     _pack) = row
    if not active:
        raise InvalidInput(_("{name} ({sku}) is no longer sold").format(name=name, sku=sku), code="inactive")
    if price is None:
        raise InvalidInput(_("{name} ({sku}) has no price yet").format(name=name, sku=sku), code="no_price")
    return ProductInfo(
        id=pid, sku=sku, name=name, unit=unit, unit_price=from_minor(price, places),
        tax_rate=bp_to_rate(tax_bp), category_id=category_id, is_weighed=bool(is_weighed),
        track_batches=bool(track_batches), price_version_id=pv_id,
        member_price=from_minor(member_price, places) if member_price is not None else None)


def layouts(ctx: Context) -> InStoreLayouts:
    return _layouts(json.dumps(ctx.setting("instore_layouts"), sort_keys=True))


@lru_cache(maxsize=8)
def _layouts(key: str) -> InStoreLayouts:
    """Layouts are validated when built; a scan must not pay for that, so they are built once per value."""
    custom = json.loads(key)
    return InStoreLayouts.from_dict(custom) if custom else InStoreLayouts.default()


def lookup_scan(ctx: Context, raw: str, symbology: str | None = None) -> ScanResult:
    """Understand a scan and find its product. A bad check digit or an unknown code raises, never guesses."""
    scan = parse_scan(raw, layouts(ctx), symbology)
    at = utc_text(ctx.clock.now())
    if scan.kind == "instore":
        row = ctx.products.by_plu(scan.plu or "", at)
        if row is None:
            raise NotFound(_("No product has the scale code {plu} (from {code})").format(
                plu=scan.plu, code=scan.raw.strip()), code="unknown_barcode")
        return _instore(scan, to_product(row, ctx.places), ctx.places)
    row = ctx.products.by_barcode(scan.code, at)
    if row is None:
        raise NotFound(_("Unknown barcode {code}").format(code=scan.code), code="unknown_barcode")
    product = to_product(row, ctx.places)
    qty = milli_to_qty(row[-1])
    if scan.count is not None:
        qty = qty * scan.count
    return ScanResult(product, qty, None, scan.code, scan)


def _instore(scan: Scan, product: ProductInfo, places: int) -> ScanResult:
    price = from_minor(scan.price_minor, places) if scan.price_minor is not None else None
    if scan.weight_g is not None:
        qty = milli_to_qty(scan.weight_g)
    elif price is not None and product.is_weighed and product.unit_price > 0:
        qty = round_half_up(price / product.unit_price, QTY_PLACES)
    else:
        qty = Decimal(1)
    if qty <= 0:
        raise InvalidInput(_("The scale label {code} carries no weight").format(code=scan.raw.strip()))
    if scan.weight_g is not None and not product.is_weighed:
        raise InvalidInput(_("{name} is not sold by weight").format(name=product.name))
    return ScanResult(product, qty, price, scan.raw.strip(), scan)


def find_product(ctx: Context, *, sku: str | None = None, barcode: str | None = None,
                 product_id: str | None = None) -> ProductInfo:
    at = utc_text(ctx.clock.now())
    if sku is not None:
        row = ctx.products.by_sku(sku, at)
        missing = _("Unknown SKU {sku}").format(sku=sku)
    elif product_id is not None:
        row = ctx.products.by_id(product_id, at)
        missing = _("Unknown product {id}").format(id=product_id)
    else:
        return lookup_scan(ctx, barcode or "").product
    if row is None:
        raise NotFound(missing, code="unknown_product")
    return to_product(row, ctx.places)


def product_details(ctx: Context, *, sku: str | None = None, barcode: str | None = None) -> dict[str, Any]:
    """``pos catalog show``: the product, its barcodes and its price versions (newest first)."""
    product = find_product(ctx, sku=sku, barcode=barcode)
    m = lambda minor: format_money(from_minor(minor, ctx.places), ctx.places) if minor is not None else None  # noqa: E731
    with ctx.db.read() as session:
        row = session.get(Product, product.id)
        codes = session.execute(select(Barcode.code, Barcode.pack_qty_milli).where(Barcode.product_id == product.id)
                                .order_by(Barcode.code)).all()
        prices = session.execute(
            select(PriceVersion.price_minor, PriceVersion.member_price_minor, PriceVersion.valid_from)
            .where(PriceVersion.product_id == product.id)
            .order_by(PriceVersion.valid_from.desc(), text("rowid DESC"))).all()
        category = session.scalar(select(Category.name).where(Category.id == row.category_id))
        supplier = session.scalar(select(Supplier.code).where(Supplier.id == row.supplier_id))
        template = session.scalar(select(Product.sku).where(Product.id == row.template_id))
    return {
        "id": product.id, "sku": product.sku, "name": product.name, "unit": product.unit,
        "category": category, "supplier": supplier, "tax_rate": format_rate(product.tax_rate),
        "price": format_money(product.unit_price, ctx.places),
        "member_price": format_money(product.member_price, ctx.places) if product.member_price is not None else None,
        "cost": m(row.cost_minor), "plu": row.plu, "is_weighed": row.is_weighed,
        "track_batches": row.track_batches, "track_expiry": row.track_expiry, "variant_of": template,
        "attributes": json.loads(row.attributes) if row.attributes else {},
        "reorder_point": format_qty(milli_to_qty(row.reorder_point_milli)) if row.reorder_point_milli is not None else None,
        "reorder_qty": format_qty(milli_to_qty(row.reorder_qty_milli)) if row.reorder_qty_milli is not None else None,
        "barcodes": [{"code": code, "pack_qty": format_qty(milli_to_qty(pack))} for code, pack in codes],
        "prices": [{"price": m(price), "member_price": m(member), "valid_from": valid_from}
                   for price, member, valid_from in prices],
    }
