"""Importing the catalog from a CSV or XLSX file into the till (``pos catalog import``).

Reading and checking the file — the columns, every cell, the rows against each other and against what the
catalog holds — is ``pos_desktop.catalog_files.catalog_rows`` (its docstring has the conventions; the central
server imports files with the same rules). Here: the till's snapshot of existing products, codes and PLUs, and
the one transaction that writes the good rows.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session, aliased

from ..catalog_files.catalog_rows import (ImportReport, ParsedRow, ProductRow, Rejection, Snapshot, check_rows,
                                          event_product, finish, read_catalog, snapshot_keys)
from ..core.errors import PermissionDenied
from ..core.i18n import _
from ..core.money import bp_to_rate, from_minor, milli_to_qty
from ..core.permissions import Action
from ..store.models import Barcode, Category, PriceVersion, Product, Supplier
from .auth import Operator, require
from .catalog import layouts
from .context import Context
from .products import upsert_products
from .unit import write

__all__ = ["ImportReport", "Rejection", "import_catalog"]
EVENT_CHUNK = 500


def import_catalog(ctx: Context, path: Path, operator: Operator | None, *, dry_run: bool = False) -> ImportReport:
    """Import products from ``path`` (CSV or XLSX; the conventions are in ``catalog_files.catalog_rows``).

    Not dry-run: needs ``catalog.import``; every good row is written in one transaction through
    ``upsert_products``, with one ``catalog_import`` journal entry and ``catalog.upserted`` outbox events of at
    most 500 products each (nothing at all when no row is good). Dry-run: no operator needed, the same checks
    against the database, nothing written. A file that cannot be read as a whole raises InvalidInput and
    nothing is imported.
    """
    if not dry_run:
        if operator is None:
            raise PermissionDenied(_("Log in to import the catalog"), code="auth_required")
        require(operator, Action.CATALOG_IMPORT)
    shop_layouts = layouts(ctx)
    catalog = read_catalog(path, ctx.places, shop_layouts, dry_run=dry_run)
    report = catalog.report
    if dry_run:
        with ctx.db.read() as session:
            snapshot = _load_snapshot(session, catalog.parsed, ctx.places)
        rows = check_rows(catalog, snapshot, shop_layouts)
        report.created = sum(1 for row in rows if row.sku not in snapshot.products)
        report.updated = len(rows) - report.created
        return finish(report)
    with write(ctx) as unit:
        snapshot = _load_snapshot(unit.session, catalog.parsed, ctx.places)
        rows = check_rows(catalog, snapshot, shop_layouts)
        if rows:
            done = upsert_products(unit, rows, ctx.places)
            report.created, report.updated = done.created, done.updated
            digest = unit.journal("catalog_import", None, {
                "file": catalog.name, "sha256": catalog.sha256, "created": done.created, "updated": done.updated,
                "rejected": len(report.rejected)}, user=operator.username if operator else None)
            for start in range(0, len(rows), EVENT_CHUNK):
                unit.outbox("catalog.upserted", {"products": [
                    event_product(row, done.product_ids[row.sku], ctx.places)
                    for row in rows[start:start + EVENT_CHUNK]]}, digest)
    return finish(report)


def _chunks(items: set[str], size: int = 500) -> list[list[str]]:
    ordered = sorted(items)
    return [ordered[start:start + size] for start in range(0, len(ordered), size)]


def _load_snapshot(session: Session, parsed: list[ParsedRow], places: int) -> Snapshot:
    """Existing products (by the file's SKUs and variant_of), and the owners of the file's codes and PLUs."""
    snapshot = Snapshot()
    skus, codes, plus = snapshot_keys(parsed)
    template, category, supplier = aliased(Product), aliased(Category), aliased(Supplier)
    member = (select(PriceVersion.member_price_minor).where(PriceVersion.product_id == Product.id)
              .order_by(PriceVersion.valid_from.desc(), text("price_versions.rowid DESC")).limit(1)
              .scalar_subquery())
    query = (select(Product.sku, Product.name, Product.tax_rate_bp, Product.cost_minor, member, Product.unit,
                    category.name, supplier.code, Product.reorder_point_milli, Product.reorder_qty_milli,
                    Product.track_batches, Product.track_expiry, Product.is_weighed, Product.plu, template.sku,
                    Product.attributes)
             .outerjoin(category, category.id == Product.category_id)
             .outerjoin(supplier, supplier.id == Product.supplier_id)
             .outerjoin(template, template.id == Product.template_id))
    for chunk in _chunks(skus):
        for row in session.execute(query.where(Product.sku.in_(chunk))):
            snapshot.products[row[0]] = _existing_row(tuple(row), places)
    for chunk in _chunks(codes):
        for code, sku, name in session.execute(select(Barcode.code, Product.sku, Product.name)
                                               .join(Product, Product.id == Barcode.product_id)
                                               .where(Barcode.code.in_(chunk))):
            snapshot.barcode_owner[code] = (sku, name)
    for chunk in _chunks(plus):
        for plu, sku in session.execute(select(Product.plu, Product.sku).where(Product.plu.in_(chunk))):
            snapshot.plu_owner[plu] = sku
    return snapshot


def _existing_row(row: tuple, places: int) -> ProductRow:  # type: ignore[type-arg]
    (sku, name, tax_bp, cost, member, unit, category, supplier, reorder_point, reorder_qty, batches, expiry,
     weighed, plu, template, attributes) = row
    return ProductRow(
        sku=sku, name=name, price=Decimal(0), tax_rate=bp_to_rate(tax_bp),
        cost=from_minor(cost, places) if cost is not None else None,
        member_price=from_minor(member, places) if member is not None else None, unit=unit, category=category,
        supplier=supplier, reorder_point=milli_to_qty(reorder_point) if reorder_point is not None else None,
        reorder_qty=milli_to_qty(reorder_qty) if reorder_qty is not None else None, track_batches=bool(batches),
        track_expiry=bool(expiry), is_weighed=bool(weighed), plu=plu, variant_of=template,
        attributes=json.loads(attributes) if attributes else {})

