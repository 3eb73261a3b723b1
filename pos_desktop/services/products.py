"""Writing the catalog: products with their barcodes, category, supplier and a new price version.

``upsert_products`` is the one writer used by the CSV/XLSX import and (later) the master-data sync; it runs
inside the caller's transaction (a ``Unit``) so a whole import commits at once. Every look-up is one query per
500 rows and every write one executemany through Core tables: a 100,000-row import holds the write lock for
seconds, not minutes (the first per-row ORM version took 2.5 minutes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, insert, literal_column, select, update

from ..catalog_files.catalog_rows import ProductRow
from ..core.clock import utc_text
from ..core.ids import new_id
from ..core.money import qty_to_milli, rate_to_bp, to_minor
from ..store.models import Barcode, Category, PriceVersion, Product, Supplier
from .pinyin import search_key
from .unit import Unit


@dataclass
class UpsertReport:
    created: int = 0
    updated: int = 0
    product_ids: dict[str, str] = field(default_factory=dict)


CHUNK = 500
P, B, PV = Product.__table__, Barcode.__table__, PriceVersion.__table__


def _chunks(items: list[Any]) -> list[list[Any]]:
    return [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]


def _ids_by(unit: Unit, column: Any, key: Any, values: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in _chunks(sorted(values)):
        found.update(unit.session.execute(select(key, column).where(key.in_(chunk))).all())
    return found


def _named(unit: Unit, table: Any, key: Any, names: set[str], extra: dict[str, Any]) -> dict[str, str]:
    ids = _ids_by(unit, table.c.id, key, names)
    new = [{"id": new_id(), key.key: name, **extra(name)} for name in sorted(names - ids.keys())]
    if new:
        unit.session.execute(insert(table), new)
        ids.update({row[key.key]: row["id"] for row in new})
    return ids


def upsert_products(unit: Unit, rows: list[ProductRow], places: int) -> UpsertReport:
    """Create or update products by SKU. Barcodes are added (an own barcode gets its pack quantity updated;
    another product's is left alone — callers validate that); a changed (price, member price) pair becomes a
    new price version valid from now; ``variant_of`` names a product in the database or in ``rows`` (templates
    are written before their variants). Every column of an existing product is overwritten: ``None`` clears."""
    rows = sorted(rows, key=lambda row: row.variant_of is not None)  # stable: templates first
    report = UpsertReport()
    s = unit.session
    existing = _ids_by(unit, P.c.id, P.c.sku, {r.sku for r in rows} | {r.variant_of for r in rows if r.variant_of})
    categories = _named(unit, Category.__table__, Category.__table__.c.name,
                        {r.category for r in rows if r.category}, lambda n: {"parent_id": None})
    suppliers = _named(unit, Supplier.__table__, Supplier.__table__.c.code,
                       {r.supplier for r in rows if r.supplier}, lambda c: {"name": c, "lead_time_days": 3})
    inserts, updates = [], []
    for row in rows:
        product_id = existing.get(row.sku)
        values = {
            "sku": row.sku, "name": row.name, "unit": row.unit,
            "category_id": categories.get(row.category) if row.category else None,
            "supplier_id": suppliers.get(row.supplier) if row.supplier else None,
            "tax_rate_bp": rate_to_bp(row.tax_rate),
            "cost_minor": to_minor(row.cost, places) if row.cost is not None else None,
            "reorder_point_milli": qty_to_milli(row.reorder_point) if row.reorder_point is not None else None,
            "reorder_qty_milli": qty_to_milli(row.reorder_qty) if row.reorder_qty is not None else None,
            "track_batches": row.track_batches, "track_expiry": row.track_expiry, "is_weighed": row.is_weighed,
            "plu": row.plu,
            "template_id": (report.product_ids.get(row.variant_of) or existing.get(row.variant_of))
            if row.variant_of else None,
            "attributes": json.dumps(row.attributes, ensure_ascii=False) if row.attributes else None,
            "search_key": search_key(row.name), "active": True, "updated_at": unit.at}
        if product_id is None:
            product_id = new_id()
            inserts.append({"id": product_id, "created_at": unit.at, **values})
            report.created += 1
        else:
            updates.append({"_id": product_id, **values})
            report.updated += 1
        report.product_ids[row.sku] = product_id
    # Rows are written in order so a template inserted in this call exists before its variants reference it.
    for chunk in _chunks(inserts):
        s.execute(insert(P), chunk)
    for chunk in _chunks(updates):
        s.execute(update(P).where(P.c.id == bindparam("_id")), chunk)
    _put_barcodes(unit, rows, report)
    _put_prices(unit, rows, report, places)
    return report


def _put_barcodes(unit: Unit, rows: list[ProductRow], report: UpsertReport) -> None:
    wanted: dict[str, tuple[str, int]] = {}
    for row in rows:
        for code, pack in row.barcodes:
            wanted.setdefault(code, (report.product_ids[row.sku], qty_to_milli(pack)))
    owners = _ids_by(unit, B.c.product_id, B.c.code, set(wanted))
    new = [{"code": c, "product_id": p, "pack_qty_milli": q} for c, (p, q) in wanted.items() if c not in owners]
    own = [{"_code": c, "pack_qty_milli": q} for c, (p, q) in wanted.items() if owners.get(c) == p]
    for chunk in _chunks(new):
        unit.session.execute(insert(B), chunk)
    for chunk in _chunks(own):
        unit.session.execute(update(B).where(B.c.code == bindparam("_code")), chunk)


def _put_prices(unit: Unit, rows: list[ProductRow], report: UpsertReport, places: int) -> None:
    ids = sorted(report.product_ids.values())
    latest: dict[str, tuple[int, int | None]] = {}
    ranked = select(PV.c.product_id, PV.c.price_minor, PV.c.member_price_minor, func.row_number().over(
        partition_by=PV.c.product_id,
        order_by=(PV.c.valid_from.desc(), literal_column("price_versions.rowid").desc())).label("n"))
    for chunk in _chunks(ids):
        sub = ranked.where(PV.c.product_id.in_(chunk)).subquery()
        for pid, price, member in unit.session.execute(select(sub.c.product_id, sub.c.price_minor,
                                                              sub.c.member_price_minor).where(sub.c.n == 1)):
            latest[pid] = (price, member)
    new = []
    for row in rows:
        pid = report.product_ids[row.sku]
        pair = (to_minor(row.price, places),
                to_minor(row.member_price, places) if row.member_price is not None else None)
        if latest.get(pid) != pair:
            latest[pid] = pair
            new.append({"id": new_id(), "product_id": pid, "price_minor": pair[0], "member_price_minor": pair[1],
                        "valid_from": utc_text(unit.now), "created_at": unit.at})
    for chunk in _chunks(new):
        unit.session.execute(insert(PV), chunk)
