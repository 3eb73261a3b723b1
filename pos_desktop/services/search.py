"""Finding products by what a cashier types: barcode or SKU digits, pinyin initials (``kkkl`` → 可口可乐), or
part of the name in Chinese or English — fast enough to run on every keystroke on a million products.

Three or more characters go through the ``product_search`` FTS5 trigram index (substring match on name, SKU
and pinyin); shorter text uses the indexes on SKU and pinyin key as prefixes (one or two Chinese characters:
a name scan that stops at the first hits); four or more digits are a barcode prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..core.clock import utc_text
from ..core.money import from_minor
from .context import Context

LIMIT = 30

PRICE = """(SELECT price_minor FROM price_versions WHERE product_id = p.id AND valid_from <= ?
            ORDER BY valid_from DESC, rowid DESC LIMIT 1)"""
FTS = f"""SELECT p.sku, p.name, {PRICE} FROM product_search s JOIN products p ON p.rowid = s.rowid
WHERE product_search MATCH ? AND p.active = 1 LIMIT ?"""
PREFIX = f"""SELECT p.sku, p.name, {PRICE} FROM products p
WHERE p.active = 1 AND (p.sku >= ? AND p.sku < ? OR p.search_key >= ? AND p.search_key < ?) LIMIT ?"""
# Two Chinese characters (牛奶) are too short for trigrams; a scan of names stops at the first LIMIT hits.
SHORT_NAME = f"""SELECT p.sku, p.name, {PRICE} FROM products p WHERE p.active = 1 AND p.name LIKE ? LIMIT ?"""
BARCODE = f"""SELECT p.sku, p.name, {PRICE} FROM barcodes b JOIN products p ON p.id = b.product_id
WHERE b.code >= ? AND b.code < ? AND p.active = 1 LIMIT ?"""


@dataclass(frozen=True)
class Hit:
    sku: str
    name: str
    price: Decimal | None


def search_products(ctx: Context, text: str, limit: int = LIMIT) -> list[Hit]:
    text = text.strip()
    if not text:
        return []
    at = utc_text(ctx.clock.now())
    if text.isdigit() and len(text) >= 4:
        rows = ctx.products.query(BARCODE, at, text, text + "\uffff", limit)
    elif not text.isascii() and len(text) < 3:
        rows = ctx.products.query(SHORT_NAME, at, f"%{text}%", limit)
    elif len(text) >= 3:
        rows = ctx.products.query(FTS, at, '"' + text.replace('"', '""') + '"', limit)
    else:
        upper, lower = text.upper(), text.lower()
        rows = ctx.products.query(PREFIX, at, upper, upper + "\uffff", lower, lower + "\uffff", limit)
    return [Hit(sku, name, from_minor(price, ctx.places) if price is not None else None) for sku, name, price in rows]
