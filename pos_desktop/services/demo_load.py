"""Bulk-loading the demo catalog, members, promotions and opening stock (see ``demo``)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator

from ..core.cart import ProductInfo
from ..core.clock import iso, utc_text
from ..core.ids import new_ids
from ..core.money import bp_to_rate, from_minor
from ..store import search_index
from ..store.bulk import BulkLoader
from .context import TillIdentity
from .demo_catalog import DemoProduct, categories, generate, load_words
from .demo_model import expected_daily_units

ASSORTMENT = 20_000          # products a store of this kind actually carries, out of the whole catalog
DOC_SIZE = 5_000             # products per opening-stock document
MEMBERS = 300

PRODUCT_COLS = ("id", "sku", "name", "unit", "category_id", "supplier_id", "tax_rate_bp", "cost_minor",
                "track_batches", "track_expiry", "is_weighed", "plu", "template_id", "attributes", "search_key",
                "active", "created_at", "updated_at")
MOVE_COLS = ("id", "product_id", "location_id", "batch_id", "qty_milli", "reason", "doc_type", "doc_id",
             "till_id", "user_id", "unit_cost_minor", "created_at")


@dataclass
class DemoStore:
    """What the history replay needs to know about the loaded catalog."""

    assortment: list[ProductInfo]
    members: list[str]
    products: int
    documents: list[str]


def load_catalog(path: Path, till: TillIdentity, count: int, days: int, rng: random.Random,
                 start: datetime) -> DemoStore:
    words = load_words()
    loader = BulkLoader(path)
    try:
        search_index.drop_triggers(loader.conn.execute)   # index the products in one pass afterwards
        store = _load(loader, words, till, count, days, rng, start)
        search_index.create(loader.conn.execute)
        loader.finish()
    except BaseException:
        loader.abort()
        raise
    return store


def _load(loader: BulkLoader, words: dict, till: TillIdentity, count: int, days: int, rng: random.Random,
          start: datetime) -> DemoStore:
    at, valid_from = iso(start), utc_text(start)
    cats = categories(words, new_ids(len(words["categories"])))
    loader.insert("categories", ("id", "name"), [(c.id, c.name) for c in cats])
    supplier_ids = new_ids(len(words["suppliers"]))
    loader.insert("suppliers", ("id", "code", "name", "lead_time_days"),
                  [(sid, code, name, 2 + i % 5) for i, (sid, (code, name)) in enumerate(zip(supplier_ids,
                                                                                           words["suppliers"]))])
    products = list(generate(count, new_ids(count), cats, supplier_ids, words, rng))
    loader.insert_unindexed("products", PRODUCT_COLS, (_product_row(p, at) for p in products))
    loader.insert("barcodes", ("code", "product_id", "pack_qty_milli"), _barcode_rows(products))
    price_ids = new_ids(count)
    members_price = {p.id: p.price_minor * 95 // 100 for p in products[3::10]}
    loader.insert("price_versions", ("id", "product_id", "price_minor", "member_price_minor", "valid_from",
                                     "created_at"),
                  ((pid, p.id, p.price_minor, members_price.get(p.id), valid_from, at)
                   for pid, p in zip(price_ids, products) if not p.is_template))
    shelf = [p for p in products if not p.is_template][:ASSORTMENT]
    documents = _opening_stock(loader, till, shelf, expected_daily_units(count, len(shelf)), days, rng, start)
    members = _members(loader, words, rng, at)
    _promotions(loader, cats, shelf, valid_from)
    assortment = _assortment(shelf, products, price_ids, members_price)
    return DemoStore(assortment, members, count, documents)


def _assortment(shelf: list[DemoProduct], products: list[DemoProduct], price_ids: list[str],
                members_price: dict[str, int]) -> list[ProductInfo]:
    price_of = {p.id: pid for p, pid in zip(products, price_ids)}
    return [ProductInfo(id=p.id, sku=p.sku, name=p.name, unit_price=from_minor(p.price_minor),
                        tax_rate=bp_to_rate(p.category.tax_bp), unit=p.unit,
                        member_price=from_minor(members_price[p.id]) if p.id in members_price else None,
                        category_id=p.category.id, is_weighed=p.category.weighed,
                        track_batches=p.category.batch, price_version_id=price_of[p.id]) for p in shelf]


def _product_row(p: DemoProduct, at: str) -> tuple:
    return (p.id, p.sku, p.name, p.unit, p.category.id, p.supplier_id, p.category.tax_bp, p.cost_minor,
            p.category.batch, p.category.batch, p.category.weighed, p.plu, p.template_id, p.attributes,
            p.search_key, not p.is_template, at, at)


def _barcode_rows(products: list[DemoProduct]) -> Iterator[tuple]:
    for p in products:
        if p.barcode:
            yield p.barcode, p.id, 1000
    for p in products:
        if p.pack_barcode:
            yield p.pack_barcode, p.id, 6000


def _opening_stock(loader: BulkLoader, till: TillIdentity, shelf: list[DemoProduct], daily: list[float],
                   days: int, rng: random.Random, start: datetime) -> list[str]:
    """Enough stock for the history to come (the demo has no deliveries yet): its expected sales plus a
    week, part on the floor and part in the back room."""
    at = iso(start)
    back = loader.conn.execute("SELECT id FROM locations WHERE code='BACK'").fetchone()[0]
    batches, moves, levels, docs = [], [], [], []
    for first in range(0, len(shelf), DOC_SIZE):
        doc_id = new_ids(1)[0]
        docs.append((doc_id, "opening", "opening", till.floor_location_id, None, None, "demo opening stock", at))
        for p, per_day in zip(shelf[first:first + DOC_SIZE], daily[first:first + DOC_SIZE]):
            floor_qty = (math.ceil(per_day * (days + 7)) + rng.randint(10, 60)) * 1000
            back_qty = rng.randint(0, 100) * 1000
            lots = [None]
            if p.category.batch:
                lots = []
                for n in range(2):
                    expiry = (start + timedelta(days=rng.randint(6, 60) * (n + 1))).date().isoformat()
                    batch_id = new_ids(1)[0]
                    batches.append((batch_id, p.id, f"L{start:%y%m%d}{n + 1}{p.sku[-4:]}", expiry))
                    lots.append(batch_id)
            for location, qty in ((till.floor_location_id, floor_qty), (back, back_qty)):
                if not qty:
                    continue
                share = qty // len(lots)
                for i, batch_id in enumerate(lots):
                    part = share if i < len(lots) - 1 else qty - share * (len(lots) - 1)
                    moves.append([None, p.id, location, batch_id, part, "opening", "opening", doc_id, till.till_id,
                                  None, p.cost_minor, at])
                    levels.append((p.id, location, batch_id or "", part))
    loader.insert("stock_documents", ("id", "kind", "reason", "location_id", "user_id", "approver_id", "note",
                                      "created_at"), docs)
    loader.insert("batches", ("id", "product_id", "lot", "expiry"), batches)
    for move, move_id in zip(moves, new_ids(len(moves))):
        move[0] = move_id
    loader.insert("stock_movements", MOVE_COLS, sorted(moves))
    loader.insert("stock_levels", ("product_id", "location_id", "batch_key", "qty_milli"), levels)
    return [d[0] for d in docs]


def _members(loader: BulkLoader, words: dict, rng: random.Random, at: str) -> list[str]:
    names = words["member_names"]
    codes = [f"M{i:04d}" for i in range(1, MEMBERS + 1)]
    loader.insert("customers", ("id", "code", "name", "phone", "points", "created_at"),
                  [(mid, code, rng.choice(names), f"138{i:08d}", 0, at)
                   for i, (mid, code) in enumerate(zip(new_ids(MEMBERS), codes), start=1)])
    return codes


def _promotions(loader: BulkLoader, cats: list, shelf: list[DemoProduct], valid_from: str) -> None:
    by_name = {c.name.split()[1]: c for c in cats}
    drinks = [p for p in shelf if p.category is by_name.get("Drinks")][:3]
    rows = []
    ids = iter(new_ids(8))
    if "Dairy" in by_name:
        rows.append((next(ids), "乳制品九折 Dairy 10% off", "percent_off", None, by_name["Dairy"].id, 1000, None,
                     0, 0, valid_from, None, False, True))
    if "Snacks" in by_name:
        rows.append((next(ids), "会员零食95折 Members: snacks 5% off", "percent_off", None, by_name["Snacks"].id,
                     500, None, 0, 0, valid_from, None, True, True))
    for p in drinks:
        rows.append((next(ids), f"买二送一 Buy 2 get 1: {p.sku}", "buy_n_get_m", p.id, None, None, None, 2, 1,
                     valid_from, None, False, True))
    loader.insert("promotions", ("id", "name", "kind", "product_id", "category_id", "percent_bp", "amount_minor",
                                 "buy_n", "get_m", "starts_utc", "ends_utc", "members_only", "active"), rows)
    loader.insert("counters", ("name", "value"), [("promotions", 1)])

