"""Catalog cleaning: a data-quality report on the catalog, and bulk fixes applied by a manager.

The report (``quality_report``) finds, among active products: duplicate names (same name once spaces and
case are ignored), duplicate barcodes (the same GTIN stored in two forms, e.g. UPC-A ``012345678905`` and
EAN-13 ``0012345678905``), invalid barcodes (all digits, a GTIN length, a wrong check digit), missing costs,
prices below cost, products in no category and products with no price. Each finding lists at most ``limit``
rows and always gives the full count. Reads only, set-based SQL (seconds on a million products).

Fixes (``apply_fixes``, ``deactivate_duplicates``) need ``catalog.edit`` (a manager) or an approver; each call
is one transaction with a ``catalog_fixed`` journal entry and ``catalog.fixed`` outbox events (≤ 500 products
each) that say exactly what changed, for the server to apply as master data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..core.errors import InvalidInput, NotFound
from ..core.gs1 import has_valid_check_digit
from ..core.i18n import _
from ..core.ids import new_id
from ..core.money import format_money, from_minor, to_minor
from ..core.permissions import Action
from ..store import sql
from .auth import Operator, require
from .context import Context
from .unit import Unit, write

EVENT_CHUNK = 500
GTIN_LENGTHS = (8, 12, 13, 14)
# A name as duplicates are found: case (of Latin letters), full-width spaces, tabs and runs of spaces ignored.
NAME_KEY = ("lower(trim(replace(replace(replace(replace({col}, char(12288), ' '), char(9), ' '), '   ', ' '), "
            "'  ', ' ')))")
CURRENT_PRICE = """(SELECT price_minor FROM price_versions WHERE product_id = p.id AND valid_from <= ?
                    ORDER BY valid_from DESC, rowid DESC LIMIT 1)"""


def quality_report(ctx: Context, limit: int = 1000) -> dict[str, Any]:
    """The findings, each ``{"count": n, "items": [...]}`` with at most ``limit`` items (SKU order)."""
    from ..core.clock import utc_text

    now = utc_text(ctx.clock.now())
    m = lambda minor: format_money(from_minor(minor, ctx.places), ctx.places)
    with ctx.db.read() as session:
        conn = sql.dbapi(session.connection())
        names = sql.rows(conn, f"""
            SELECT group_concat(name, char(31)), group_concat(sku, char(31)) FROM (
                SELECT name, sku FROM products WHERE active ORDER BY sku)
            GROUP BY {NAME_KEY.format(col="name")} HAVING count(*) > 1 ORDER BY min(sku)""")
        same_gtin = sql.rows(conn, """
            SELECT group_concat(b.code, char(31)), group_concat(p.sku, char(31)) FROM barcodes b
            JOIN products p ON p.id = b.product_id
            WHERE b.code NOT GLOB '*[^0-9]*' AND length(b.code) IN (8, 12, 13, 14)
            GROUP BY ltrim(b.code, '0') HAVING count(*) > 1""")
        invalid = [(code, sku) for code, sku in conn.execute(
            "SELECT b.code, p.sku FROM barcodes b JOIN products p ON p.id = b.product_id WHERE p.active "
            "AND b.code NOT GLOB '*[^0-9]*' AND length(b.code) IN (8, 12, 13, 14) ORDER BY p.sku, b.code")
            if not has_valid_check_digit(code)]
        invalid += [(code, sku) for code, sku in conn.execute(
            "SELECT b.code, p.sku FROM barcodes b JOIN products p ON p.id = b.product_id WHERE p.active "
            "AND (b.code GLOB '*[^0-9A-Za-z./_-]*' OR b.code = '') ORDER BY p.sku")]
        missing_cost = sql.rows(conn, "SELECT sku FROM products WHERE active AND cost_minor IS NULL ORDER BY sku")
        below = sql.rows(conn, f"""
            SELECT sku, price, cost_minor FROM (SELECT p.sku, p.cost_minor, {CURRENT_PRICE} AS price
                                                FROM products p WHERE p.active AND p.cost_minor IS NOT NULL)
            WHERE price < cost_minor ORDER BY sku""", now)
        no_category = sql.rows(conn, "SELECT sku FROM products WHERE active AND category_id IS NULL "
                                     "AND template_id IS NULL ORDER BY sku")
        no_price = sql.rows(conn, """SELECT sku FROM products p WHERE p.active AND NOT EXISTS (
            SELECT 1 FROM price_versions WHERE product_id = p.id AND valid_from <= ?) AND NOT EXISTS (
            SELECT 1 FROM products v WHERE v.template_id = p.id) ORDER BY sku""", now)

    def finding(items: list[Any]) -> dict[str, Any]:
        return {"count": len(items), "items": items[:limit]}

    sep = chr(31)
    return {
        "duplicate_names": finding([{"name": n.split(sep)[0], "skus": s.split(sep), "names": sorted(set(n.split(sep)))}
                                    for n, s in names]),
        "duplicate_barcodes": finding([{"codes": sorted(c.split(sep)), "skus": sorted(set(s.split(sep)))}
                                       for c, s in same_gtin]),
        "invalid_barcodes": finding([{"sku": sku, "code": code, "reason": _barcode_problem(code)}
                                     for code, sku in invalid]),
        "missing_cost": finding([sku for (sku,) in missing_cost]),
        "below_cost": finding([{"sku": sku, "price": m(price), "cost": m(cost)} for sku, price, cost in below]),
        "no_category": finding([sku for (sku,) in no_category]),
        "no_price": finding([sku for (sku,) in no_price]),
    }


def _barcode_problem(code: str) -> str:
    if code.isdigit():
        return _("wrong check digit")
    return _("characters a scanner cannot send")


# ------------------------------------------------------------------------------------------------- fixes


@dataclass(frozen=True)
class CatalogFix:
    """What to change on one product; ``None`` leaves a field alone."""

    sku: str
    category: str | None = None
    cost: Decimal | None = None
    active: bool | None = None
    remove_barcodes: tuple[str, ...] = ()


@dataclass
class FixReport:
    changed: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"changed": len(self.changed), "products": self.changed, "skipped": self.skipped}


def apply_fixes(ctx: Context, operator: Operator, fixes: list[CatalogFix],
                approver: Operator | None = None) -> FixReport:
    """Apply ``fixes`` (``catalog.edit``) all at once, or none (an unknown SKU, category-less name, or a
    barcode that is not the product's refuses the lot). Categories named are created when new."""
    approved = require(operator, Action.CATALOG_EDIT, approver)
    if not fixes:
        raise InvalidInput(_("No fix to apply"), code="nothing_to_fix")
    report = FixReport()
    with write(ctx) as unit:
        for fix in fixes:
            report.changed.append(_apply(unit, fix, ctx.places))
        _record(unit, report, operator, approved)
    return report


def _apply(unit: Unit, fix: CatalogFix, places: int) -> dict[str, Any]:
    product_id = sql.scalar(unit.conn, "SELECT id FROM products WHERE sku = ?", fix.sku)
    if product_id is None:
        raise NotFound(_("Unknown SKU {sku}").format(sku=fix.sku), code="unknown_product")
    change: dict[str, Any] = {"sku": fix.sku}
    if fix.category is not None:
        name = fix.category.strip()
        if not name:
            raise InvalidInput(_("A category needs a name"), code="bad_category")
        category_id = sql.scalar(unit.conn, "SELECT id FROM categories WHERE name = ?", name)
        if category_id is None:
            category_id = new_id()
            unit.insert("categories", {"id": category_id, "name": name, "parent_id": None})
        unit.conn.execute("UPDATE products SET category_id = ? WHERE id = ?", (category_id, product_id))
        change["category"] = name
    if fix.cost is not None:
        if fix.cost < 0:
            raise InvalidInput(_("A cost cannot be negative"), code="bad_cost")
        unit.conn.execute("UPDATE products SET cost_minor = ? WHERE id = ?", (to_minor(fix.cost, places), product_id))
        change["cost"] = format_money(fix.cost, places)
    if fix.active is not None:
        unit.conn.execute("UPDATE products SET active = ? WHERE id = ?", (fix.active, product_id))
        change["active"] = fix.active
    for code in fix.remove_barcodes:
        gone = unit.conn.execute("DELETE FROM barcodes WHERE code = ? AND product_id = ?", (code, product_id))
        if gone.rowcount != 1:
            raise InvalidInput(_("{code} is not a barcode of {sku}").format(code=code, sku=fix.sku),
                               code="not_its_barcode")
        change.setdefault("removed_barcodes", []).append(code)
    if len(change) == 1:
        raise InvalidInput(_("Nothing to change on {sku}").format(sku=fix.sku), code="nothing_to_fix")
    unit.conn.execute("UPDATE products SET updated_at = ? WHERE id = ?", (unit.at, product_id))
    return change


def deactivate_duplicates(ctx: Context, operator: Operator, approver: Operator | None = None) -> FixReport:
    """For each group of active products with the same name, keep the one with the most stock (then the
    lowest SKU) and deactivate the others — except those with stock on hand, which are listed as skipped
    (sell or move it first). ``catalog.edit``; one transaction."""
    approved = require(operator, Action.CATALOG_EDIT, approver)
    report = FixReport()
    with write(ctx) as unit:
        groups: dict[str, list[tuple[str, int]]] = {}
        key = NAME_KEY.format(col="p.name")
        for name, sku, stock in unit.conn.execute(f"""
                SELECT {key}, p.sku, coalesce((SELECT sum(qty_milli) FROM stock_levels
                                               WHERE product_id = p.id), 0)
                FROM products p WHERE p.active AND {key} IN (
                    SELECT {NAME_KEY.format(col="name")} FROM products WHERE active GROUP BY 1 HAVING count(*) > 1)
                ORDER BY 1, 3 DESC, 2"""):
            groups.setdefault(name, []).append((sku, stock))
        for members in groups.values():
            keeper = members[0][0]
            for sku, stock in members[1:]:
                if stock != 0:
                    report.skipped.append({"sku": sku, "reason": _("has stock on hand"), "kept": keeper})
                    continue
                report.changed.append({**_apply(unit, CatalogFix(sku, active=False), ctx.places),
                                       "duplicate_of": keeper})
        if report.changed:
            _record(unit, report, operator, approved)
    return report


def _record(unit: Unit, report: FixReport, operator: Operator, approved: Operator | None) -> None:
    digest = unit.journal("catalog_fixed", None, {"products": len(report.changed),
                                                  "skus": [c["sku"] for c in report.changed][:1000]},
                          user=operator.username, approver=approved.username if approved else None)
    for start in range(0, len(report.changed), EVENT_CHUNK):
        unit.outbox("catalog.fixed", {"changes": report.changed[start:start + EVENT_CHUNK]}, digest)
