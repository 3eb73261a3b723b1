"""Catalog cleaning: the data-quality report on a catalog with known faults, and the manager's bulk fixes."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from pos_desktop.core.errors import InvalidInput, NotFound, PermissionDenied
from pos_desktop.services import auth, catalog_quality
from pos_desktop.services.catalog_quality import CatalogFix
from pos_desktop.services.products import upsert_products
from pos_desktop.services.unit import write
from tests.backoffice.helpers import outbox, rows, stock_in
from tests.conftest import CATALOG


@pytest.fixture
def messy(ctx):
    """The seeded catalog plus the faults an import from an old system brings."""
    cola = CATALOG[0]
    with write(ctx) as unit:
        upsert_products(unit, [
            replace(cola, sku="COLA-OLD", name="可口可乐  coca-cola 330ml ", barcodes=(("012345678905", D(1)),),
                    category=None),                                                 # same name, no category
            replace(cola, sku="COLA-DUP", name="可口可乐 Coca-Cola 330ml", barcodes=(), cost=None),
            replace(cola, sku="CHEAP", name="清仓 Clearance", price=D("1.00"), cost=D("1.50"), barcodes=()),
        ], 2)
        old = unit.conn.execute("SELECT id FROM products WHERE sku = 'COLA-OLD'").fetchone()[0]
        unit.insert("barcodes", [{"code": "0012345678905", "product_id": old, "pack_qty_milli": 1000},   # same GTIN
                                 {"code": "6901234567893", "product_id": old, "pack_qty_milli": 1000}])  # bad digit
    return ctx


def test_the_report_names_every_fault(messy):
    doc = catalog_quality.quality_report(messy)
    assert doc["duplicate_names"] == {"count": 1, "items": [
        {"name": "可口可乐 Coca-Cola 330ml", "skus": ["COLA", "COLA-DUP", "COLA-OLD"],
         "names": ["可口可乐  coca-cola 330ml ", "可口可乐 Coca-Cola 330ml"]}]}
    assert doc["duplicate_barcodes"]["items"] == [{"codes": ["0012345678905", "012345678905"], "skus": ["COLA-OLD"]}]
    assert doc["invalid_barcodes"]["items"] == [{"sku": "COLA-OLD", "code": "6901234567893",
                                                 "reason": "wrong check digit"}]
    assert doc["missing_cost"] == {"count": 1, "items": ["COLA-DUP"]}
    assert doc["below_cost"]["items"] == [{"sku": "CHEAP", "price": "1.00", "cost": "1.50"}]
    assert doc["no_category"]["items"] == ["COLA-OLD"]
    assert doc["no_price"]["count"] == 0


def test_a_limit_keeps_the_counts(messy):
    doc = catalog_quality.quality_report(messy, limit=0)
    assert doc["duplicate_names"] == {"count": 1, "items": []}


def test_fixes_in_bulk_by_a_manager(messy, manager):
    report = catalog_quality.apply_fixes(messy, manager, [
        CatalogFix("COLA-OLD", category="饮料 Drinks", remove_barcodes=("6901234567893", "0012345678905")),
        CatalogFix("COLA-DUP", cost=D("2.10")),
        CatalogFix("CHEAP", category="清仓 Clearance", active=False)])
    assert report.to_json()["changed"] == 3
    doc = catalog_quality.quality_report(messy)
    assert (doc["invalid_barcodes"]["count"], doc["duplicate_barcodes"]["count"], doc["missing_cost"]["count"],
            doc["below_cost"]["count"], doc["no_category"]["count"]) == (0, 0, 0, 0, 0)
    assert rows(messy, "SELECT name FROM categories WHERE name = '清仓 Clearance'") == [("清仓 Clearance",)]
    (event,) = outbox(messy, "catalog.fixed")
    assert event["changes"][0] == {"sku": "COLA-OLD", "category": "饮料 Drinks",
                                   "removed_barcodes": ["6901234567893", "0012345678905"]}
    assert event["changes"][2] == {"sku": "CHEAP", "category": "清仓 Clearance", "active": False}
    assert rows(messy, "SELECT kind, json_extract(entry, '$.user') FROM journal WHERE kind = 'catalog_fixed'") == [
        ("catalog_fixed", "mia")]


def test_one_bad_fix_refuses_them_all(messy, manager):
    for fixes, error in [([CatalogFix("COLA-DUP", cost=D("2.10")), CatalogFix("NOPE", active=False)], NotFound),
                         ([CatalogFix("COLA", remove_barcodes=("6901234567893",))], InvalidInput),
                         ([CatalogFix("COLA")], InvalidInput), ([CatalogFix("COLA", cost=D(-1))], InvalidInput),
                         ([], InvalidInput)]:
        with pytest.raises(error):
            catalog_quality.apply_fixes(messy, manager, fixes)
    assert rows(messy, "SELECT cost_minor FROM products WHERE sku = 'COLA-DUP'") == [(None,)]
    assert outbox(messy, "catalog.fixed") == []


def test_only_managers_fix_the_catalog(messy, cashier, manager):
    ken = auth.login(messy, "ken", "4444")
    for who in (cashier, ken):
        with pytest.raises(PermissionDenied):
            catalog_quality.apply_fixes(messy, who, [CatalogFix("COLA-DUP", active=False)])
    assert catalog_quality.apply_fixes(messy, ken, [CatalogFix("COLA-DUP", active=False)], approver=manager).changed


def test_duplicates_are_deactivated_but_never_those_with_stock(messy, manager):
    stock_in(messy, "COLA-OLD", "BACK", 3)         # the most stock: kept
    stock_in(messy, "COLA", "FLOOR", 2)            # has stock: skipped, not deactivated
    report = catalog_quality.deactivate_duplicates(messy, manager)
    assert report.changed == [{"sku": "COLA-DUP", "active": False, "duplicate_of": "COLA-OLD"}]
    assert report.skipped == [{"sku": "COLA", "reason": "has stock on hand", "kept": "COLA-OLD"}]
    assert rows(messy, "SELECT sku FROM products WHERE NOT active") == [("COLA-DUP",)]
    assert catalog_quality.deactivate_duplicates(messy, manager).changed == []
