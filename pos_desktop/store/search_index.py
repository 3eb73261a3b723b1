"""The product search index: an FTS5 table with the trigram tokenizer over the products' name, SKU and pinyin
key, kept in step with ``products`` by triggers (external content: the text is stored once, in products)."""

from __future__ import annotations

from typing import Any

TABLE = "product_search"
CREATE_TABLE = (f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(name, sku, search_key, "
                "content='products', content_rowid='rowid', tokenize='trigram')")
_DELETE = (f"INSERT INTO {TABLE}({TABLE}, rowid, name, sku, search_key) "
           "VALUES ('delete', old.rowid, old.name, old.sku, old.search_key);")
_INSERT = f"INSERT INTO {TABLE}(rowid, name, sku, search_key) VALUES (new.rowid, new.name, new.sku, new.search_key);"
TRIGGERS = {
    "products_search_ai": f"CREATE TRIGGER IF NOT EXISTS products_search_ai AFTER INSERT ON products BEGIN {_INSERT} END",
    "products_search_ad": f"CREATE TRIGGER IF NOT EXISTS products_search_ad AFTER DELETE ON products BEGIN {_DELETE} END",
    "products_search_au": ("CREATE TRIGGER IF NOT EXISTS products_search_au AFTER UPDATE OF name, sku, search_key "
                           f"ON products BEGIN {_DELETE} {_INSERT} END"),
}


def create(execute: Any) -> None:
    """Create the index and its triggers and fill it from ``products`` (``execute`` runs one SQL string)."""
    execute(CREATE_TABLE)
    for ddl in TRIGGERS.values():
        execute(ddl)
    rebuild(execute)


def drop_triggers(execute: Any) -> None:
    """For a bulk load: rows go in without touching the index, then ``create`` rebuilds it in one pass."""
    for name in TRIGGERS:
        execute(f"DROP TRIGGER IF EXISTS {name}")


def rebuild(execute: Any) -> None:
    execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


def is_search_table(name: str) -> bool:
    return name == TABLE or name.startswith(TABLE + "_")
