"""The catalog file of ``pos catalog import`` and ``pos server admin import-catalog``, read and checked
without any database: the columns, every cell, the rows against each other and against a ``Snapshot`` of what
the catalog already holds (which the caller loads from its own database, the till's or the server's).

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

The caller: ``read_catalog`` (InvalidInput if the file as a whole cannot be read; nothing is written then),
``snapshot_keys`` to know what to load, ``check_rows`` for the rows to write (templates before variants), then
its own writer, and ``finish`` for the report.

The parsing of each cell (``cell_parsers``, the ``barcode`` column) is in ``catalog_values``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.barcodes import InStoreLayouts
from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.money import format_money, format_qty, format_rate
from .catalog_values import cell_parsers, cell_text
from .tabular import Row, read_table

REQUIRED = ("sku", "name", "price")
OPTIONAL = ("barcode", "cost", "member_price", "tax_rate", "unit", "category", "supplier", "reorder_point",
            "reorder_qty", "track_batches", "track_expiry", "variant_of", "attributes")
WEIGHT_UNITS = frozenset({"kg", "g", "jin", "斤", "公斤", "千克", "克"})


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
class ParsedRow:
    """One row as read from the file: only the columns the file has (``values``), before the database."""

    row: int
    sku: str
    values: dict[str, Any]
    registration: tuple[str, str] | None = None   # (prefix, PLU)


@dataclass
class Snapshot:
    """What the catalog already holds for the SKUs, codes and PLUs of one file (``snapshot_keys``)."""

    products: dict[str, ProductRow] = field(default_factory=dict)
    barcode_owner: dict[str, tuple[str, str]] = field(default_factory=dict)   # code → (sku, name)
    plu_owner: dict[str, str] = field(default_factory=dict)                    # PLU → sku


@dataclass
class CatalogFile:
    """A catalog file as read: its rows parsed (the bad ones already in ``report.rejected``)."""

    name: str
    sha256: str
    parsed: list[ParsedRow]
    first_rows: dict[str, int]      # SKU → the first row that has it
    report: ImportReport


def read_catalog(path: Path, places: int, shop_layouts: InStoreLayouts, *, dry_run: bool = False) -> CatalogFile:
    """Read and parse ``path`` (CSV or XLSX); raises InvalidInput if the file as a whole cannot be read."""
    table = read_table(path, header_ok=lambda header: not _missing(_column_map(header)[0]))
    return parse_table(table.name, table.sha256, table.rows, places, shop_layouts, dry_run=dry_run)


def parse_table(name: str, sha256: str, rows: list[Row], places: int, shop_layouts: InStoreLayouts, *,
                dry_run: bool = False) -> CatalogFile:
    """Parse rows of text whose first row names the columns (a file as ``read_table`` gives it, or products
    sent as JSON and laid out as a table); InvalidInput if there is no usable header."""
    if not rows:
        raise InvalidInput(_("{name} has no rows at all, not even a header").format(name=name),
                           code="empty_file")
    columns, unknown = _column_map(rows[0][1])
    if _missing(columns):
        raise InvalidInput(_("{name} has no column {columns}: its first row (row {row}) must name the columns, "
                             "at least sku, name and price").format(
            name=name, columns=", ".join(_missing(columns)), row=rows[0][0]), code="missing_columns")
    report = ImportReport(dry_run=dry_run, warnings=[
        _("Column {name} is not known and was ignored").format(name=column) for column in unknown])
    if len(rows) == 1:
        report.warnings.append(_("The file names its columns but has no product rows"))
    parsed, first_rows = _parse_rows(rows[1:], columns, cell_parsers(places, shop_layouts), report)
    return CatalogFile(name, sha256, parsed, first_rows, report)


def snapshot_keys(parsed: list[ParsedRow]) -> tuple[set[str], set[str], set[str]]:
    """What a ``Snapshot`` must hold for these rows: (SKUs and variant_of SKUs, barcodes, PLUs)."""
    skus = {p.sku for p in parsed} | {p.values["variant_of"] for p in parsed if p.values.get("variant_of")}
    codes = {code for p in parsed for code, _pack in p.values.get("barcodes", ())}
    plus = {p.registration[1] for p in parsed if p.registration}
    return skus, codes, plus


def check_rows(catalog: CatalogFile, snapshot: Snapshot, shop_layouts: InStoreLayouts) -> list[ProductRow]:
    """The product rows to write, templates before their variants; every other row rejected in the report."""
    return _check(catalog.parsed, catalog.first_rows, snapshot, shop_layouts, catalog.report)


def finish(report: ImportReport) -> ImportReport:
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
                report: ImportReport) -> tuple[list[ParsedRow], dict[str, int]]:
    """The rows that read well (the others are rejected), and the first row of every SKU in the file."""
    parsed: list[ParsedRow] = []
    first_rows: dict[str, int] = {}
    order = [name for name in (*REQUIRED, *OPTIONAL) if name in columns]   # the first problem is reported
    for number, cells in rows:
        column = "sku"
        try:
            sku = cell_text(cells[columns["sku"]] if columns["sku"] < len(cells) else "", "sku", _("SKU"), True)
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
        parsed.append(ParsedRow(number, sku, {**values, "barcodes": codes} if "barcode" in columns else values,
                              registration))
    return parsed, first_rows



# --- checking rows against the catalog and each other ----------------------------------------------------------


def _check(parsed: list[ParsedRow], first_rows: dict[str, int], snapshot: Snapshot,
           shop_layouts: InStoreLayouts, report: ImportReport) -> list[ProductRow]:
    """The product rows to write, templates before their variants; every other row rejected with its reason."""
    good: list[ParsedRow] = []
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


def _check_owners(p: ParsedRow, snapshot: Snapshot, code_rows: dict[str, tuple[int, str]],
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


def _templates_first(good: list[ParsedRow], snapshot: Snapshot, first_rows: dict[str, int],
                     report: ImportReport) -> list[ParsedRow]:
    """File order, except that a template row comes before its variants (the writer resolves ``variant_of``
    as it goes). A variant whose template row was rejected, or a loop of variants, is rejected."""
    by_sku = {p.sku: p for p in good}
    state: dict[str, bool] = {}          # sku → written (True) or rejected (False)
    ordered: list[ParsedRow] = []
    for start in good:
        path: list[ParsedRow] = []
        on_path: set[str] = set()
        node: ParsedRow | None = start
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


def _product_row(p: ParsedRow, existing: ProductRow | None, shop_layouts: InStoreLayouts) -> ProductRow:
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


def event_product(row: ProductRow, product_id: str, places: int) -> dict[str, Any]:
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

