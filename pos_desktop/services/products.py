"""Writing the catalog: products with their barcodes, category, supplier and a new price version.

``upsert_products`` is the one writer used by the CSV/XLSX import, the demo and (later) the master-data
sync; it runs inside the caller's transaction (a ``Unit``) so a whole import page commits at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, text, update

from ..core.clock import utc_text
from ..core.ids import new_id
from ..core.money import qty_to_milli, rate_to_bp, to_minor
from ..store.models import Barcode, Category, PriceVersion, Product, Supplier
from .unit import Unit


@dataclass(frozen=True)
class ProductRow:
    """One product as an import or head office describes it; money already exact (Decimal)."""

    sku: str
    name: str
    price: Decimal
    tax_rate: Decimal = Decimal("0.13")
    barcodes: tuple[tuple[str, Decimal], ...] = ()   # (code, pack quantity)
    cost: Decimal | None = None
    member_price: Decimal | None = None
    unit: str = "pcs"
    category: str | None = None
    supplier: str | None = None
    reorder_point: Decimal | None = None
    reorder_qty: Decimal | None = None
    track_batches: bool = False
    track_expiry: bool = False
    is_weighed: bool = False
    plu: str | None = None
    variant_of: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class UpsertReport:
    created: int = 0
    updated: int = 0
    product_ids: dict[str, str] = field(default_factory=dict)


def category_id(unit: Unit, name: str | None, cache: dict[str, str]) -> str | None:
    if not name:
        return None
    if name not in cache:
        found = unit.session.scalar(select(Category.id).where(Category.name == name))
        if found is None:
            found = new_id()
            unit.session.execute(insert(Category).values(id=found, name=name))
        cache[name] = found
    return cache[name]


def supplier_id(unit: Unit, code: str | None, cache: dict[str, str]) -> str | None:
    if not code:
        return None
    if code not in cache:
        found = unit.session.scalar(select(Supplier.id).where(Supplier.code == code))
        if found is None:
            found = new_id()
            unit.session.execute(insert(Supplier).values(id=found, code=code, name=code, lead_time_days=3))
        cache[code] = found
    return cache[code]


def upsert_products(unit: Unit, rows: list[ProductRow], places: int) -> UpsertReport:
    """Create or update products by SKU; barcodes are added (never taken from another product — the caller
    validates that); a changed price or member price becomes a new price version valid from now."""
    report = UpsertReport()
    categories: dict[str, str] = {}
    suppliers: dict[str, str] = {}
    for row in rows:
        existing = unit.session.execute(select(Product.id).where(Product.sku == row.sku)).scalar()
        values = _product_values(unit, row, places, categories, suppliers, report)
        if existing is None:
            product_id = new_id()
            unit.session.execute(insert(Product).values(id=product_id, created_at=unit.at, **values))
            report.created += 1
        else:
            product_id = existing
            unit.session.execute(update(Product).where(Product.id == product_id).values(**values))
            report.updated += 1
        report.product_ids[row.sku] = product_id
        _put_barcodes(unit, product_id, row.barcodes)
        _put_price(unit, product_id, row, places)
    return report


def _product_values(unit: Unit, row: ProductRow, places: int, categories: dict[str, str],
                    suppliers: dict[str, str], report: UpsertReport) -> dict[str, Any]:
    template = None
    if row.variant_of:
        template = report.product_ids.get(row.variant_of) or unit.session.scalar(
            select(Product.id).where(Product.sku == row.variant_of))
    return {
        "sku": row.sku, "name": row.name, "unit": row.unit,
        "category_id": category_id(unit, row.category, categories),
        "supplier_id": supplier_id(unit, row.supplier, suppliers),
        "tax_rate_bp": rate_to_bp(row.tax_rate),
        "cost_minor": to_minor(row.cost, places) if row.cost is not None else None,
        "reorder_point_milli": qty_to_milli(row.reorder_point) if row.reorder_point is not None else None,
        "reorder_qty_milli": qty_to_milli(row.reorder_qty) if row.reorder_qty is not None else None,
        "track_batches": row.track_batches, "track_expiry": row.track_expiry, "is_weighed": row.is_weighed,
        "plu": row.plu, "template_id": template,
        "attributes": json.dumps(row.attributes, ensure_ascii=False) if row.attributes else None,
        "active": True, "updated_at": unit.at,
    }


def _put_barcodes(unit: Unit, product_id: str, barcodes: tuple[tuple[str, Decimal], ...]) -> None:
    for code, pack in barcodes:
        owner = unit.session.scalar(select(Barcode.product_id).where(Barcode.code == code))
        if owner is None:
            unit.session.execute(insert(Barcode).values(code=code, product_id=product_id,
                                                        pack_qty_milli=qty_to_milli(pack)))
        elif owner == product_id:
            unit.session.execute(update(Barcode).where(Barcode.code == code)
                                 .values(pack_qty_milli=qty_to_milli(pack)))


def _put_price(unit: Unit, product_id: str, row: ProductRow, places: int) -> None:
    price = to_minor(row.price, places)
    member = to_minor(row.member_price, places) if row.member_price is not None else None
    current = unit.session.execute(
        select(PriceVersion.price_minor, PriceVersion.member_price_minor)
        .where(PriceVersion.product_id == product_id)
        .order_by(PriceVersion.valid_from.desc(), text("rowid DESC")).limit(1)).first()
    if current is not None and tuple(current) == (price, member):
        return
    unit.session.execute(insert(PriceVersion).values(
        id=new_id(), product_id=product_id, price_minor=price, member_price_minor=member,
        valid_from=utc_text(unit.now), created_at=unit.at))
