"""Importing the catalog from a CSV or XLSX file (``pos catalog import``).

The file's first non-blank row names the columns, in any order, case and surrounding spaces ignored (a space or
``-`` counts as ``_``): ``sku, name, price`` are required; ``barcode, cost, member_price, tax_rate, unit,
category, supplier, reorder_point, reorder_qty, track_batches, track_expiry, variant_of, attributes`` are
optional; other columns are ignored and named once in the report's ``warnings``. Conventions:

- Row numbers are the row numbers a spreadsheet shows: the header is row 1, the first product row 2.
- ``barcode`` holds one or more codes separated by ``|``. A code may carry a pack quantity, ``CODE*6``: one scan
  sells six units. Codes are checked and stored as ``core.barcodes.normalize_barcode`` says (a wrong check
  digit rejects the row). A 7-digit code starting with 2 (``2012345``) is the product's in-store scale
  registration: prefix 20, PLU 12345. Barcodes are only ever added to a product, never taken away.
- ``price``, ``cost``, ``member_price`` are amounts in the till's currency (``12.5``, ``¥12.50``), never
  negative. ``tax_rate`` is a fraction (``0.13``, or ``13%``), 0 ≤ rate < 1, default 0.13. ``unit`` defaults to
  ``pcs``; ``kg``, ``g``, ``斤`` (jin) and a registration whose in-store layout carries a weight make the
  product weighed. ``reorder_point``/``reorder_qty`` are quantities (three decimals at most).
- ``track_batches``/``track_expiry``: ``1/0``, ``true/false``, ``yes/no``, ``y/n``, ``是/否``; empty is no.
- ``attributes``: ``size=L;colour=red`` or a JSON object. ``variant_of`` is the SKU of the product this one is
  a variant of, in the database or anywhere in the file (the template row may come later).
- A product that exists already (same SKU) is updated; a column missing from the file keeps its current value,
  an empty cell clears it (or sets the default). A changed price becomes a new price version from now.
- A bad row is rejected with its row, column and reason (the first problem found in it); the other rows are
  imported. The second row with an already used SKU, a barcode or registration that belongs to another product
  (in the database or an earlier row), an unknown ``variant_of`` (or a loop of them) are rejected too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session, aliased

from ..core.barcodes import InStoreLayouts, normalize_barcode, parse_instore_registration
from ..core.errors import InvalidInput, PermissionDenied
from ..core.i18n import _
from ..core.money import bp_to_rate, format_money, format_qty, format_rate, from_minor, milli_to_qty
from ..core.permissions import Action
from ..store.models import Barcode, Category, PriceVersion, Product, Supplier
from .auth import Operator, require
from .catalog import layouts
from .context import Context
from .products import ProductRow, upsert_products
from .tabular import Row, amount_cell, flag_cell, pairs_cell, quantity_cell, rate_cell, read_table
from .unit import write

REQUIRED = ("sku", "name", "price")
OPTIONAL = ("barcode", "cost", "member_price", "tax_rate", "unit", "category", "supplier", "reorder_point",
            "reorder_qty", "track_batches", "track_expiry", "variant_of", "attributes")
DEFAULT_TAX_RATE = Decimal("0.13")
WEIGHT_UNITS = frozenset({"kg", "g", "jin", "斤", "公斤", "千克", "克"})
LIMITS = {"sku": 50, "name": 200, "unit": 10, "category": 100, "supplier": 30, "variant_of": 50, "barcode": 64}
EVENT_CHUNK = 500
_REGISTRATION = re.compile(r"2\d{6}")
_SCIENTIFIC = re.compile(r"[0-9.]+E\+?[0-9]+", re.IGNORECASE)


@dataclass(frozen=True)
class Rejection:
    row: int
    field: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def to_json(self) -> dict[str, Any]:
        """``{"created", "updated", "rejected": [{"row", "field", "reason"}]}``, plus ``warnings`` if any."""
        doc: dict[str, Any] = {"created": self.created, "updated": self.updated,
                               "rejected": [r.to_json() for r in self.rejected]}
        if self.warnings:
            doc["warnings"] = list(self.warnings)
        return doc


class _Reject(Exception):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.reason = column, reason


@dataclass
class _Parsed:
    """One row as read from the file: only the columns the file has (``values``), before the database."""

    row: int
    sku: str
    values: dict[str, Any]
    registration: tuple[str, str] | None = None   # (prefix, PLU)


@dataclass
class _Snapshot:
    """What the database already holds for the SKUs, codes and PLUs of one file (loaded in chunks)."""

    products: dict[str, ProductRow] = field(default_factory=dict)
    barcode_owner: dict[str, tuple[str, str]] = field(default_factory=dict)   # code → (sku, name)
    plu_owner: dict[str, str] = field(default_factory=dict)                    # PLU → sku


def import_catalog(ctx: Context, path: Path, operator: Operator | None, *, dry_run: bool = False) -> ImportReport:
    """Import products from ``path`` (CSV or XLSX; the conventions are in the module docstring).

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
    table = read_table(path, header_ok=lambda header: not _missing(_column_map(header)[0]))
    if not table.rows:
        raise InvalidInput(_("{name} has no rows at all, not even a header").format(name=table.name),
                           code="empty_file")
    columns, unknown = _column_map(table.rows[0][1])
    if _missing(columns):
        raise InvalidInput(_("{name} has no column {columns}: its first row (row {row}) must name the columns, "
                             "at least sku, name and price").format(
            name=table.name, columns=", ".join(_missing(columns)), row=table.rows[0][0]), code="missing_columns")
    report = ImportReport(dry_run=dry_run, warnings=[
        _("Column {name} is not known and was ignored").format(name=name) for name in unknown])
    if len(table.rows) == 1:
        report.warnings.append(_("The file names its columns but has no product rows"))
    shop_layouts = layouts(ctx)
    parsed, first_rows = _parse_rows(table.rows[1:], columns, _cell_parsers(ctx.places, shop_layouts), report)
    if dry_run:
        with ctx.db.read() as session:
            snapshot = _load_snapshot(session, parsed, ctx.places)
        rows = _check(parsed, first_rows, snapshot, shop_layouts, report)
        report.created = sum(1 for row in rows if row.sku not in snapshot.products)
        report.updated = len(rows) - report.created
        return _finish(report)
    with write(ctx) as unit:
        snapshot = _load_snapshot(unit.session, parsed, ctx.places)
        rows = _check(parsed, first_rows, snapshot, shop_layouts, report)
        if rows:
            done = upsert_products(unit, rows, ctx.places)
            report.created, report.updated = done.created, done.updated
            digest = unit.journal("catalog_import", None, {
                "file": table.name, "sha256": table.sha256, "created": done.created, "updated": done.updated,
                "rejected": len(report.rejected)}, user=operator.username if operator else None)
            for start in range(0, len(rows), EVENT_CHUNK):
                unit.outbox("catalog.upserted", {"products": [
                    _event_product(row, done.product_ids[row.sku], ctx.places)
                    for row in rows[start:start + EVENT_CHUNK]]}, digest)
    return _finish(report)


def _finish(report: ImportReport) -> ImportReport:
    report.rejected.sort(key=lambda rejection: rejection.row)
    return report


def _column_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """(known column → index, unknown column names). A known column named twice is refused."""
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header):
        name = re.sub(r"[\s\-]+", "_", cell.strip().lower())
        if name and name not in REQUIRED and name not in OPTIONAL:
            unknown.append(cell.strip())
        elif name in columns:
            raise InvalidInput(_("The column {name} is named twice in the header").format(name=name),
                               code="duplicate_column")
        elif name:
            columns[name] = index
    return columns, unknown


def _missing(columns: dict[str, int]) -> list[str]:
    return [name for name in REQUIRED if name not in columns]


# --- reading each row, without the database -----------------------------------------------------------------


def _parse_rows(rows: list[Row], columns: dict[str, int], parsers: dict[str, Callable[[str], Any]],
                report: ImportReport) -> tuple[list[_Parsed], dict[str, int]]:
    """The rows that read well (the others are rejected), and the first row of every SKU in the file."""
    parsed: list[_Parsed] = []
    first_rows: dict[str, int] = {}
    order = [name for name in (*REQUIRED, *OPTIONAL) if name in columns]   # the first problem is reported
    for number, cells in rows:
        column = "sku"
        try:
            sku = _text(cells[columns["sku"]] if columns["sku"] < len(cells) else "", "sku", _("SKU"), True)
            if sku in first_rows:
                raise InvalidInput(_("SKU {sku} is already in row {row}").format(sku=sku, row=first_rows[sku]))
            first_rows[sku] = number
            values: dict[str, Any] = {}
            for column in order[1:]:
                index = columns[column]
                values[column] = parsers[column](cells[index].strip() if index < len(cells) else "")
        except InvalidInput as error:
            report.rejected.append(Rejection(number, column, error.message))
            continue
        codes, registration = values.pop("barcode", ((), None))
        parsed.append(_Parsed(number, sku, {**values, "barcodes": codes} if "barcode" in columns else values,
                              registration))
    return parsed, first_rows


def _cell_parsers(places: int, shop_layouts: InStoreLayouts) -> dict[str, Callable[[str], Any]]:
    return {
        "name": lambda raw: _text(raw, "name", _("Name"), True),
        "price": lambda raw: amount_cell(raw, places, _("Price"), required=True),
        "cost": lambda raw: amount_cell(raw, places, _("Cost")),
        "member_price": lambda raw: amount_cell(raw, places, _("Member price")),
        "tax_rate": lambda raw: rate_cell(raw, _("Tax rate"), DEFAULT_TAX_RATE),
        "unit": lambda raw: _text(raw, "unit", _("Unit")) or "pcs",
        "category": lambda raw: _text(raw, "category", _("Category")) or None,
        "supplier": lambda raw: _text(raw, "supplier", _("Supplier")) or None,
        "reorder_point": lambda raw: quantity_cell(raw, _("Reorder point")),
        "reorder_qty": lambda raw: quantity_cell(raw, _("Reorder quantity")),
        "track_batches": lambda raw: flag_cell(raw, _("Track batches")),
        "track_expiry": lambda raw: flag_cell(raw, _("Track expiry")),
        "variant_of": lambda raw: _text(raw, "variant_of", _("variant_of")) or None,
        "attributes": lambda raw: pairs_cell(raw, _("Attributes")),
        "barcode": lambda raw: _codes(raw, shop_layouts),
    }


def _text(raw: str, column: str, what: str, required: bool = False) -> str:
    raw = raw.strip()
    if not raw and required:
        raise InvalidInput(_("{what} is missing").format(what=what))
    if len(raw) > LIMITS[column]:
        raise InvalidInput(_("{what} is longer than {limit} characters").format(what=what, limit=LIMITS[column]))
    if not raw.isprintable():
        raise InvalidInput(_("{what} contains a line break or another control character").format(what=what))
    return raw


def _codes(raw: str, shop_layouts: InStoreLayouts) -> tuple[tuple[tuple[str, Decimal], ...], tuple[str, str] | None]:
    """((code, pack quantity), …) and the in-store registration (prefix, PLU), from ``A|B*6|2012345``."""
    codes: dict[str, Decimal] = {}
    registration: tuple[str, str] | None = None
    for part in filter(None, (part.strip() for part in raw.split("|"))):
        code, star, pack_text = (piece.strip() for piece in part.partition("*"))
        pack = quantity_cell(pack_text, _("Pack quantity")) if star else Decimal(1)
        if not pack:
            raise InvalidInput(_("The pack quantity of {code} must be more than 0").format(code=code))
        if _REGISTRATION.fullmatch(code):
            if star or registration is not None:
                raise InvalidInput(_("{code} is an in-store scale registration: a product has one, without a "
                                     "pack quantity").format(code=code))
            registration = _registration(code, shop_layouts)
            continue
        if _SCIENTIFIC.fullmatch(code):
            raise InvalidInput(_("Barcode {code} was turned into a number by the spreadsheet; format the barcode "
                                 "column as text and export again").format(code=code))
        normal = _text(normalize_barcode(code), "barcode", _("Barcode"))
        if shop_layouts.layout_for(normal) is not None:
            raise InvalidInput(_("{code} is a scale label with a price or weight in it; give the product's "
                                 "7-digit registration (such as 2012345) instead").format(code=code))
        if codes.setdefault(normal, pack) != pack:
            raise InvalidInput(_("Barcode {code} is given twice with different pack quantities").format(code=code))
    return tuple(codes.items()), registration


def _registration(code: str, shop_layouts: InStoreLayouts) -> tuple[str, str]:
    prefix, plu = parse_instore_registration(code)
    if not any(p == prefix for _length, p in shop_layouts.layouts):
        raise InvalidInput(_("No in-store label layout uses prefix {prefix}, so labels of {code} could not be "
                             "read at the till").format(prefix=prefix, code=code))
    return prefix, plu


# --- the database: what exists, who owns which code -------------------------------------------------------------


def _chunks(items: set[str], size: int = 500) -> list[list[str]]:
    ordered = sorted(items)
    return [ordered[start:start + size] for start in range(0, len(ordered), size)]


def _load_snapshot(session: Session, parsed: list[_Parsed], places: int) -> _Snapshot:
    """Existing products (by the file's SKUs and variant_of), and the owners of the file's codes and PLUs."""
    snapshot = _Snapshot()
    skus = {p.sku for p in parsed} | {p.values["variant_of"] for p in parsed if p.values.get("variant_of")}
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
    codes = {code for p in parsed for code, _pack in p.values.get("barcodes", ())}
    for chunk in _chunks(codes):
        for code, sku, name in session.execute(select(Barcode.code, Product.sku, Product.name)
                                               .join(Product, Product.id == Barcode.product_id)
                                               .where(Barcode.code.in_(chunk))):
            snapshot.barcode_owner[code] = (sku, name)
    for chunk in _chunks({p.registration[1] for p in parsed if p.registration}):
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


# --- checking rows against the database and each other ------------------------------------------------------------


def _check(parsed: list[_Parsed], first_rows: dict[str, int], snapshot: _Snapshot,
           shop_layouts: InStoreLayouts, report: ImportReport) -> list[ProductRow]:
    """The product rows to write, templates before their variants; every other row rejected with its reason."""
    good: list[_Parsed] = []
    code_rows: dict[str, tuple[int, str]] = {}
    plu_rows: dict[str, tuple[int, str]] = {}
    for p in parsed:
        try:
            _check_owners(p, snapshot, code_rows, plu_rows)
            parent = p.values.get("variant_of")
            if parent == p.sku:
                raise _Reject("variant_of", _("A product cannot be a variant of itself"))
            if parent and parent not in snapshot.products and parent not in first_rows:
                raise _Reject("variant_of", _("variant_of names SKU {sku}, which is neither in the catalog nor in "
                                              "the file").format(sku=parent))
        except _Reject as rejection:
            report.rejected.append(Rejection(p.row, rejection.column, rejection.reason))
            continue
        for code, _pack in p.values.get("barcodes", ()):
            code_rows[code] = (p.row, p.sku)
        if p.registration:
            plu_rows[p.registration[1]] = (p.row, p.sku)
        good.append(p)
    return [_product_row(p, snapshot.products.get(p.sku), shop_layouts)
            for p in _templates_first(good, snapshot, first_rows, report)]


def _check_owners(p: _Parsed, snapshot: _Snapshot, code_rows: dict[str, tuple[int, str]],
                  plu_rows: dict[str, tuple[int, str]]) -> None:
    for code, _pack in p.values.get("barcodes", ()):
        owner = snapshot.barcode_owner.get(code)
        if owner is not None and owner[0] != p.sku:
            raise _Reject("barcode", _("Barcode {code} already belongs to {name} (SKU {sku})").format(
                code=code, name=owner[1], sku=owner[0]))
        if code in code_rows:
            raise _Reject("barcode", _("Barcode {code} is already used in row {row} (SKU {sku})").format(
                code=code, row=code_rows[code][0], sku=code_rows[code][1]))
    prefix, plu = p.registration or ("", "")
    owner_sku = snapshot.plu_owner.get(plu) if plu else None
    if owner_sku is not None and owner_sku != p.sku:
        raise _Reject("barcode", _("Scale registration {code} (PLU {plu}) already belongs to SKU {sku}").format(
            code=prefix + plu, plu=plu, sku=owner_sku))
    if plu in plu_rows:
        raise _Reject("barcode", _("Scale registration {code} (PLU {plu}) is already used in row {row} (SKU {sku})")
                      .format(code=prefix + plu, plu=plu, row=plu_rows[plu][0], sku=plu_rows[plu][1]))


def _templates_first(good: list[_Parsed], snapshot: _Snapshot, first_rows: dict[str, int],
                     report: ImportReport) -> list[_Parsed]:
    """File order, except that a template row comes before its variants (the writer resolves ``variant_of``
    as it goes). A variant whose template row was rejected, or a loop of variants, is rejected."""
    by_sku = {p.sku: p for p in good}
    state: dict[str, bool] = {}          # sku → written (True) or rejected (False)
    ordered: list[_Parsed] = []
    for start in good:
        path: list[_Parsed] = []
        on_path: set[str] = set()
        node: _Parsed | None = start
        while node is not None and node.sku not in state and node.sku not in on_path:
            path.append(node)
            on_path.add(node.sku)
            parent = node.values.get("variant_of")
            node = by_sku.get(parent) if parent else None
        if node is not None and node.sku in on_path:        # a loop: reject its members
            loop = path[path.index(node):]
            del path[path.index(node):]
            for member in loop:
                state[member.sku] = False
                report.rejected.append(Rejection(member.row, "variant_of", _(
                    "variant_of makes a loop ({skus})").format(skus=" → ".join(m.sku for m in loop))))
        for p in reversed(path):
            parent = p.values.get("variant_of")
            ok = not parent or state.get(parent, parent in snapshot.products)
            state[p.sku] = ok
            if ok:
                ordered.append(p)
            else:
                report.rejected.append(Rejection(p.row, "variant_of", _(
                    "variant_of names SKU {sku}, whose row {row} was rejected").format(
                    sku=parent, row=first_rows.get(parent, "?"))))
    return ordered


# --- the rows to write ---------------------------------------------------------------------------------------------


def _product_row(p: _Parsed, existing: ProductRow | None, shop_layouts: InStoreLayouts) -> ProductRow:
    """The file's columns over the existing product (a column the file lacks keeps its value) or the defaults."""
    base = existing or ProductRow(sku=p.sku, name="", price=Decimal(0))
    values = dict(p.values)
    barcodes = values.pop("barcodes", ())
    if p.registration:
        prefix, plu = p.registration
        label_weighs = any("W" in layout for (_n, pre), layout in shop_layouts.layouts.items() if pre == prefix)
    else:   # keep the registration it has, and the weighing that came with it
        plu = base.plu
        label_weighs = base.plu is not None and base.is_weighed and base.unit.lower() not in WEIGHT_UNITS
    unit = values.get("unit", base.unit)
    return replace(base, **values, barcodes=barcodes, plu=plu,
                   is_weighed=unit.lower() in WEIGHT_UNITS or label_weighs)


def _event_product(row: ProductRow, product_id: str, places: int) -> dict[str, Any]:
    def money(value: Decimal | None) -> str | None:
        return format_money(value, places) if value is not None else None

    def qty(value: Decimal | None) -> str | None:
        return format_qty(value) if value is not None else None

    return {"id": product_id, "sku": row.sku, "name": row.name, "price": money(row.price),
            "member_price": money(row.member_price), "cost": money(row.cost), "tax_rate": format_rate(row.tax_rate),
            "unit": row.unit, "category": row.category, "supplier": row.supplier,
            "barcodes": [{"code": code, "pack_qty": format_qty(pack)} for code, pack in row.barcodes],
            "plu": row.plu, "is_weighed": row.is_weighed, "track_batches": row.track_batches,
            "track_expiry": row.track_expiry, "reorder_point": qty(row.reorder_point),
            "reorder_qty": qty(row.reorder_qty), "variant_of": row.variant_of, "attributes": row.attributes}
