"""Finding products: by scan (barcode, in-store scale label, GS1-128), SKU or id, with today's price.

These are the till's hottest reads, so they go through ``store.lookup.ProductIndex`` (plain SQL on a
per-thread connection) instead of the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..core.barcodes import InStoreLayouts, Scan, parse_scan
from ..core.cart import ProductInfo
from ..core.clock import utc_text
from ..core.errors import InvalidInput, NotFound
from ..core.i18n import _
from ..core.money import QTY_PLACES, bp_to_rate, from_minor, milli_to_qty, round_half_up
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
    custom = ctx.setting("instore_layouts")
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
