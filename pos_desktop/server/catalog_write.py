"""Writing the chain's catalog: products with their barcodes, category, supplier and price versions, and the
``product`` changes the tills pull, in the caller's transaction.

One writer for every way products arrive: a catalog file (``pos server admin import-catalog``), JSON through
the admin and integration APIs (laid out as a table, so the same checks of ``catalog_files`` apply), and the
``catalog.upserted`` events tills push. Look-ups are one query per 500 rows and writes are executemany.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session, aliased

from ..catalog_files.catalog_rows import (
    OPTIONAL,
    REQUIRED,
    ImportReport,
    ProductRow,
    Snapshot,
    check_rows,
    finish,
    parse_table,
    read_catalog,
    snapshot_keys,
)
from ..core.barcodes import InStoreLayouts
from ..core.ids import new_id
from ..core.money import (
    bp_to_rate,
    format_money,
    format_qty,
    format_rate,
    from_minor,
    milli_to_qty,
    qty_to_milli,
    rate_to_bp,
    to_minor,
)
from . import changes
from .models import CHAIN, Barcode, Category, PriceVersion, Product, Setting, Supplier

PLACES = 2          # the chain's catalog is in one currency (CNY and its kin have two decimals)
CHUNK = 500
P, B, PV = Product.__table__, Barcode.__table__, PriceVersion.__table__


@dataclass
class UpsertReport:
    created: int = 0
    updated: int = 0
    product_ids: dict[str, str] = field(default_factory=dict)


def chunks(items: Iterable[Any]) -> list[list[Any]]:
    ordered = sorted(items) if not isinstance(items, list) else items
    return [ordered[i:i + CHUNK] for i in range(0, len(ordered), CHUNK)]


def ids_by(session: Session, key: Any, column: Any, values: Iterable[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in chunks(set(values)):
        found.update(session.execute(select(key, column).where(key.in_(chunk))).all())
    return found


def _named(session: Session, table: Any, key: Any, names: set[str], extra: Any) -> dict[str, str]:
    ids = ids_by(session, key, table.c.id, names)
    new = [{"id": new_id(), key.key: name, **extra(name)} for name in sorted(names - ids.keys())]
    if new:
        session.execute(insert(table), new)
        ids.update({row[key.key]: row["id"] for row in new})
    return ids


def upsert_products(session: Session, rows: list[ProductRow], at: str, *,
                    active: dict[str, bool] | None = None) -> UpsertReport:
    """Create or update products by SKU and append their ``product`` changes.

    Barcodes are added (an own barcode gets its pack quantity updated; another product's is left alone —
    callers check that); a changed (price, member price) becomes a new price version from ``at``;
    ``variant_of`` names a product in the database or in ``rows``. ``active`` (by SKU) switches products on or
    off; a product not named there keeps its state (a new one is active). The changes are built from the rows
    and what was read before writing (re-reading 100,000 freshly written rows, which PostgreSQL has no
    statistics for yet, made a big import quadratic).
    """
    rows = list({row.sku: row for row in sorted(rows, key=lambda row: row.variant_of is not None)}.values())
    report = UpsertReport()
    active = dict(active or {})
    existing = ids_by(session, P.c.sku, P.c.id, {r.sku for r in rows} | {r.variant_of for r in rows if r.variant_of})
    categories = _named(session, Category.__table__, Category.__table__.c.name,
                        {r.category for r in rows if r.category}, lambda name: {})
    suppliers = _named(session, Supplier.__table__, Supplier.__table__.c.code, {r.supplier for r in rows if r.supplier},
                       lambda code: {"name": code, "lead_time_days": 3, "updated_at": at})
    before = _current(session, [existing[r.sku] for r in rows if r.sku in existing])
    inserts, updates, prices, docs = [], [], [], []
    for row in rows:
        product_id = existing.get(row.sku)
        price = (to_minor(row.price, PLACES),
                 to_minor(row.member_price, PLACES) if row.member_price is not None else None)
        values = {
            "sku": row.sku, "name": row.name, "unit": row.unit,
            "category_id": categories.get(row.category) if row.category else None,
            "supplier_id": suppliers.get(row.supplier) if row.supplier else None,
            "tax_rate_bp": rate_to_bp(row.tax_rate), "price_minor": price[0], "member_price_minor": price[1],
            "cost_minor": to_minor(row.cost, PLACES) if row.cost is not None else None,
            "reorder_point_milli": qty_to_milli(row.reorder_point) if row.reorder_point is not None else None,
            "reorder_qty_milli": qty_to_milli(row.reorder_qty) if row.reorder_qty is not None else None,
            "track_batches": row.track_batches, "track_expiry": row.track_expiry, "is_weighed": row.is_weighed,
            "plu": row.plu,
            "template_id": (report.product_ids.get(row.variant_of) or existing.get(row.variant_of))
            if row.variant_of else None,
            "attributes": row.attributes or None, "updated_at": at}
        old = before.get(product_id) if product_id else None
        is_active = active.get(row.sku, old["active"] if old else True)
        values["active"] = is_active
        if product_id is None:
            product_id = new_id()
            inserts.append({"id": product_id, "created_at": at, **values})
            report.created += 1
        else:
            updates.append({"_id": product_id, **values})
            report.updated += 1
        report.product_ids[row.sku] = product_id
        if (old["price"] if old else None) != price:
            prices.append({"id": new_id(), "product_id": product_id, "price_minor": price[0],
                           "member_price_minor": price[1], "valid_from": at, "created_at": at})
        codes = dict(old["barcodes"]) if old else {}
        codes.update({code: qty_to_milli(pack) for code, pack in row.barcodes})
        docs.append(_doc(row, price, values["cost_minor"], codes, is_active))
    for chunk in chunks(inserts):   # in order: a template inserted here exists before its variants
        session.execute(insert(P), chunk)
    for chunk in _by_columns(updates):
        session.execute(update(P).where(P.c.id == bindparam("_id")), chunk)
    for chunk in chunks(prices):
        session.execute(insert(PV), chunk)
    _put_barcodes(session, rows, report)
    changes.append(session, [{"kind": "product", "data": doc} for doc in docs], at)
    return report


def _doc(row: ProductRow, price: tuple[int, int | None], cost: int | None, codes: dict[str, int],
         active: bool) -> dict[str, Any]:
    return {"sku": row.sku, "name": row.name, "unit": row.unit, "category": row.category, "supplier": row.supplier,
            "tax_rate": format_rate(row.tax_rate), "price": _money(price[0]), "member_price": _money(price[1]),
            "cost": _money(cost),
            "barcodes": [{"code": c, "pack_qty": format_qty(milli_to_qty(q))} for c, q in sorted(codes.items())],
            "plu": row.plu, "is_weighed": row.is_weighed, "track_batches": row.track_batches,
            "track_expiry": row.track_expiry, "variant_of": row.variant_of, "attributes": row.attributes or {},
            "active": active}


def _current(session: Session, product_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Price pair, active flag and barcodes of existing products, read before they are written."""
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunks(set(product_ids)):
        for pid, price, member, is_active in session.execute(
                select(P.c.id, P.c.price_minor, P.c.member_price_minor, P.c.active).where(P.c.id.in_(chunk))):
            found[pid] = {"price": (price, member), "active": is_active, "barcodes": {}}
        for code, pid, pack in session.execute(select(B.c.code, B.c.product_id, B.c.pack_qty_milli)
                                               .where(B.c.product_id.in_(chunk))):
            found[pid]["barcodes"][code] = pack
    return found


def _by_columns(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """executemany needs the same keys in every row: group updates by their key set."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return [chunk for group in groups.values() for chunk in chunks(group)]


def _put_barcodes(session: Session, rows: list[ProductRow], report: UpsertReport) -> None:
    wanted: dict[str, tuple[str, int]] = {}
    for row in rows:
        for code, pack in row.barcodes:
            wanted.setdefault(code, (report.product_ids[row.sku], qty_to_milli(pack)))
    owners = ids_by(session, B.c.code, B.c.product_id, wanted)
    new = [{"code": c, "product_id": p, "pack_qty_milli": q} for c, (p, q) in wanted.items() if c not in owners]
    own = [{"_code": c, "pack_qty_milli": q} for c, (p, q) in wanted.items() if owners.get(c) == p]
    for chunk in chunks(new):
        session.execute(insert(B), chunk)
    for chunk in chunks(own):
        session.execute(update(B).where(B.c.code == bindparam("_code")), chunk)


def set_active(session: Session, sku: str, active: bool, at: str) -> bool:
    """Switch a product on or off (a product is never deleted: sales name it); False if the SKU is unknown."""
    product_id = session.scalar(select(P.c.id).where(P.c.sku == sku))
    if product_id is None:
        return False
    session.execute(update(P).where(P.c.id == product_id).values(active=active, updated_at=at))
    publish(session, [product_id], at)
    return True


# --- what the tills pull ---------------------------------------------------------------------------------------


def publish(session: Session, product_ids: list[str], at: str) -> None:
    """Append a ``product`` change (the whole product, as the protocol describes it) for each id."""
    docs = product_docs(session, product_ids)
    changes.append(session, [{"kind": "product", "data": docs[pid]} for pid in product_ids if pid in docs], at)


def _money(minor: int | None) -> str | None:
    return format_money(from_minor(minor, PLACES), PLACES) if minor is not None else None


def product_docs(session: Session, product_ids: list[str]) -> dict[str, dict[str, Any]]:
    template = aliased(Product)
    docs: dict[str, dict[str, Any]] = {}
    for chunk in chunks(set(product_ids)):
        query = (select(Product, Category.name, Supplier.code, template.sku)
                 .outerjoin(Category, Category.id == Product.category_id)
                 .outerjoin(Supplier, Supplier.id == Product.supplier_id)
                 .outerjoin(template, template.id == Product.template_id)
                 .where(Product.id.in_(chunk)))
        for p, category, supplier, variant_of in session.execute(query):
            docs[p.id] = {
                "sku": p.sku, "name": p.name, "unit": p.unit, "category": category, "supplier": supplier,
                "tax_rate": format_rate(bp_to_rate(p.tax_rate_bp)), "price": _money(p.price_minor),
                "member_price": _money(p.member_price_minor), "cost": _money(p.cost_minor), "barcodes": [],
                "plu": p.plu, "is_weighed": p.is_weighed, "track_batches": p.track_batches,
                "track_expiry": p.track_expiry, "variant_of": variant_of, "attributes": p.attributes or {},
                "active": p.active}
        for code, pid, pack in session.execute(select(B.c.code, B.c.product_id, B.c.pack_qty_milli)
                                               .where(B.c.product_id.in_(chunk)).order_by(B.c.code)):
            docs[pid]["barcodes"].append({"code": code, "pack_qty": format_qty(milli_to_qty(pack))})
    return docs


# --- catalog files and JSON, with the checks of catalog_files --------------------------------------------------


def shop_layouts(session: Session) -> InStoreLayouts:
    """The chain's in-store label layouts (chain setting ``instore_layouts``), else the default ones."""
    value = session.scalar(select(Setting.value).where(Setting.scope == CHAIN, Setting.key == "instore_layouts"))
    return InStoreLayouts.from_dict(value) if value else InStoreLayouts.default()


def load_snapshot(session: Session, parsed: list[Any]) -> Snapshot:
    """What the server's catalog holds for the SKUs, codes and PLUs of ``parsed`` rows."""
    snapshot = Snapshot()
    skus, codes, plus = snapshot_keys(parsed)
    template, category, supplier = aliased(Product), aliased(Category), aliased(Supplier)
    query = (select(Product, category.name, supplier.code, template.sku)
             .outerjoin(category, category.id == Product.category_id)
             .outerjoin(supplier, supplier.id == Product.supplier_id)
             .outerjoin(template, template.id == Product.template_id))
    for chunk in chunks(skus):
        for p, category_name, supplier_code, variant_of in session.execute(query.where(Product.sku.in_(chunk))):
            snapshot.products[p.sku] = ProductRow(
                sku=p.sku, name=p.name, price=from_minor(p.price_minor, PLACES), tax_rate=bp_to_rate(p.tax_rate_bp),
                cost=from_minor(p.cost_minor, PLACES) if p.cost_minor is not None else None,
                member_price=from_minor(p.member_price_minor, PLACES) if p.member_price_minor is not None else None,
                unit=p.unit, category=category_name, supplier=supplier_code,
                reorder_point=milli_to_qty(p.reorder_point_milli) if p.reorder_point_milli is not None else None,
                reorder_qty=milli_to_qty(p.reorder_qty_milli) if p.reorder_qty_milli is not None else None,
                track_batches=p.track_batches, track_expiry=p.track_expiry, is_weighed=p.is_weighed, plu=p.plu,
                variant_of=variant_of, attributes=dict(p.attributes or {}))
    for chunk in chunks(codes):
        for code, sku, name in session.execute(select(Barcode.code, Product.sku, Product.name)
                                               .join(Product, Product.id == Barcode.product_id)
                                               .where(Barcode.code.in_(chunk))):
            snapshot.barcode_owner[code] = (sku, name)
    for chunk in chunks(plus):
        for plu, sku in session.execute(select(Product.plu, Product.sku).where(Product.plu.in_(chunk))):
            snapshot.plu_owner[plu] = sku
    return snapshot


def import_file(session: Session, path: Path, at: str, *, dry_run: bool = False) -> ImportReport:
    """``pos server admin import-catalog``: the till's import rules, written to the chain's catalog."""
    layouts = shop_layouts(session)
    return _import(session, read_catalog(Path(path), PLACES, layouts, dry_run=dry_run), layouts, at)


COLUMNS = (*REQUIRED, *OPTIONAL)


def import_products(session: Session, products: list[dict[str, Any]], at: str) -> ImportReport:
    """Products sent as JSON (``PUT …/products``): each one is a row (row 1 is the first product), every
    column of the import present, so a field left out takes its default (PUT replaces the product)."""
    table = [(0, list(COLUMNS))]          # the header is row 0, so the first product is row 1
    table += [(number, [_cell(column, item.get("barcodes") if column == "barcode" else item.get(column))
                        for column in COLUMNS]) for number, item in enumerate(products, start=1)]
    layouts = shop_layouts(session)
    return _import(session, parse_table("products", "", table, PLACES, layouts), layouts, at)


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column == "barcode" and isinstance(value, list):
        return "|".join(f"{b['code']}*{b['pack_qty']}" if b.get("pack_qty") not in (None, "") else str(b["code"])
                        for b in value)
    if column == "attributes" and isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _import(session: Session, catalog: Any, layouts: InStoreLayouts, at: str) -> ImportReport:
    report = catalog.report
    snapshot = load_snapshot(session, catalog.parsed)
    rows = check_rows(catalog, snapshot, layouts)
    if report.dry_run:
        report.created = sum(1 for row in rows if row.sku not in snapshot.products)
        report.updated = len(rows) - report.created
    elif rows:
        done = upsert_products(session, rows, at)
        report.created, report.updated = done.created, done.updated
    return finish(report)


def row_from_doc(data: dict[str, Any]) -> ProductRow:
    """A product as a till's ``catalog.upserted`` event describes it (amounts as decimal strings)."""
    def amount(key: str) -> Decimal | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, float):
            raise ValueError(f"{key}: amounts come as strings")
        return Decimal(str(value))

    price = amount("price")
    if price is None:
        raise ValueError("a product needs a price")
    row = ProductRow(
        sku=str(data["sku"]), name=str(data["name"]), price=price,
        tax_rate=amount("tax_rate") if amount("tax_rate") is not None else Decimal("0.13"),
        barcodes=tuple((str(b["code"]), Decimal(str(b.get("pack_qty") or 1))) for b in data.get("barcodes") or ()),
        cost=amount("cost"), member_price=amount("member_price"), unit=str(data.get("unit") or "pcs"),
        category=data.get("category") or None, supplier=data.get("supplier") or None,
        reorder_point=amount("reorder_point"), reorder_qty=amount("reorder_qty"),
        track_batches=bool(data.get("track_batches")), track_expiry=bool(data.get("track_expiry")),
        is_weighed=bool(data.get("is_weighed")), plu=data.get("plu") or None,
        variant_of=data.get("variant_of") or None, attributes=dict(data.get("attributes") or {}))
    for value in (row.price, row.cost, row.member_price):
        if value is not None:
            to_minor(value, PLACES)
    rate_to_bp(row.tax_rate)
    if not row.sku or not row.name or len(row.sku) > 50 or len(row.name) > 200:
        raise ValueError("a product needs a SKU (≤ 50) and a name (≤ 200)")
    return row
