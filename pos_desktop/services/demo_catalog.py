"""The synthetic catalog of ``pos demo``: Chinese and English names, valid GS1 China EAN-13 codes, weighed
goods with scale PLUs, batch-tracked goods with expiry dates, and a few size variants.

Rows are plain tuples in the column order of the bulk loader, generated lazily so a million products never
sit in memory as objects.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from ..core.barcodes import append_check_digit
from .pinyin import search_key

WORDS = Path(__file__).resolve().parents[2] / "resources" / "demo" / "catalog_words.json"


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    tax_bp: int
    price_range: tuple[int, int]
    types: list[tuple[str, str]]
    sizes: list[str]
    weighed: bool
    batch: bool
    variants: list[str]


@dataclass(frozen=True)
class DemoProduct:
    id: str
    sku: str
    name: str
    unit: str
    category: Category
    supplier_id: str
    price_minor: int
    cost_minor: int
    barcode: str | None
    pack_barcode: str | None
    plu: str | None
    template_id: str | None
    attributes: str | None
    is_template: bool = False
    search_key: str | None = None


def load_words() -> dict:
    return json.loads(WORDS.read_text(encoding="utf-8"))


def categories(words: dict, ids: list[str]) -> list[Category]:
    out = []
    for cat, cat_id in zip(words["categories"], ids):
        out.append(Category(
            id=cat_id, name=f'{cat["name"][0]} {cat["name"][1]}',
            tax_bp=int(Decimal(cat["tax"]) * 10000), price_range=(cat["price"][0], cat["price"][1]),
            types=[tuple(t) for t in cat["types"]], sizes=cat["sizes"], weighed=bool(cat.get("weighed")),
            batch=bool(cat.get("batch")), variants=cat.get("variants", [])))
    return out


@lru_cache(maxsize=1 << 16)
def joined_key(*parts: str) -> str | None:
    """The pinyin key of a name made of ``parts``, from the parts' own keys (a million names, a few hundred
    distinct parts: each part is converted once)."""
    keys = [key.split(" ") for key in map(search_key, parts) if key]
    if not keys:
        return None
    return f"{''.join(k[0] for k in keys)} {''.join(k[1] for k in keys)}"[:100]


def ean13(number: int, prefix: str = "69") -> str:
    return append_check_digit(f"{prefix}{number:010d}")


def _price(rng: random.Random, lo: int, hi: int) -> int:
    """Shelf prices end the way shops like them: .00, .50, .80, .90 or .99 (in fen)."""
    yuan = rng.randint(lo, hi)
    return max(yuan * 100 + rng.choice((0, 50, 80, 90, 99)) - (100 if yuan > lo else 0), 50)


def generate(count: int, ids: list[str], cats: list[Category], supplier_ids: list[str], words: dict,
             rng: random.Random) -> Iterator[DemoProduct]:
    """``count`` products; ``ids`` are the (sorted) product ids to use, in SKU order."""
    brands, flavours = words["brands"], words["flavours"]
    plu = 0
    i = 0
    while i < count:
        cat = cats[i % len(cats)] if i < len(cats) * 40 else rng.choice(cats)
        kind_zh, kind_en = rng.choice(cat.types)
        supplier = supplier_ids[i % len(supplier_ids)]
        price = _price(rng, *cat.price_range)
        cost = price * rng.randint(55, 80) // 100
        if cat.weighed:
            plu += 1
            yield DemoProduct(ids[i], f"P{i + 1:07d}", f"{kind_zh} {kind_en}", "kg", cat, supplier, price, cost,
                              None, None, f"{plu:05d}" if plu < 100000 else None, None, None,
                              search_key=joined_key(kind_zh))
            i += 1
            continue
        brand_zh, brand_en = rng.choice(brands)
        flav_zh, flav_en = rng.choice(flavours)
        size = rng.choice(cat.sizes)
        name = f"{brand_zh}{kind_zh}{flav_zh} {size} {brand_en} {kind_en} {flav_en}"
        key = joined_key(brand_zh, kind_zh, flav_zh, size)
        if cat.variants and i + len(cat.variants) < count:
            template = DemoProduct(ids[i], f"P{i + 1:07d}", name, "pcs", cat, supplier, price, cost, None, None,
                                   None, None, None, is_template=True, search_key=key)
            yield template
            for offset, variant in enumerate(cat.variants, start=1):
                j = i + offset
                yield DemoProduct(ids[j], f"P{j + 1:07d}", f"{name} {variant}", "pcs", cat, supplier, price, cost,
                                  ean13(j + 1), None, None, template.id, json.dumps({"size": variant}),
                                  search_key=key)
            i += len(cat.variants) + 1
            continue
        pack = ean13(5_000_000_000 + i + 1) if size == "330ml" else None
        yield DemoProduct(ids[i], f"P{i + 1:07d}", name, "pcs", cat, supplier, price, cost, ean13(i + 1), pack,
                          None, None, None, search_key=key)
        i += 1
