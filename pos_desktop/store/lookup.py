"""Hot read paths in plain SQL on a per-thread sqlite3 connection: a scan must not pay ORM overhead.

Each thread gets its own read-only connection (sqlite3 connections are not shared across threads), opened
lazily; queries are fixed strings so sqlite3's statement cache prepares each of them once.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

MMAP_BYTES = 2 << 30

PRODUCT_COLUMNS = """p.id, p.sku, p.name, p.unit, p.tax_rate_bp, p.category_id, p.is_weighed, p.track_batches,
       p.active, pv.id, pv.price_minor, pv.member_price_minor"""

PRICE_JOIN = """LEFT JOIN price_versions pv ON pv.rowid = (
    SELECT rowid FROM price_versions WHERE product_id = p.id AND valid_from <= ?
    ORDER BY valid_from DESC, rowid DESC LIMIT 1)"""

BY_BARCODE = f"""SELECT {PRODUCT_COLUMNS}, b.pack_qty_milli
FROM barcodes b JOIN products p ON p.id = b.product_id {PRICE_JOIN}
WHERE b.code = ?"""

BY_SKU = f"SELECT {PRODUCT_COLUMNS}, 1000 FROM products p {PRICE_JOIN} WHERE p.sku = ?"
BY_PLU = f"SELECT {PRODUCT_COLUMNS}, 1000 FROM products p {PRICE_JOIN} WHERE p.plu = ?"
BY_ID = f"SELECT {PRODUCT_COLUMNS}, 1000 FROM products p {PRICE_JOIN} WHERE p.id = ?"


class ProductIndex:
    """Product look-ups by barcode, SKU, PLU or id, with the price valid at a given UTC time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, cached_statements=64, check_same_thread=False)
            conn.execute("PRAGMA query_only=ON")
            conn.execute("PRAGMA busy_timeout=5000")
            # Memory-mapped reads: a scan touches ~5 B-tree pages at random; mmap saves a read() per page.
            conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            conn.execute("PRAGMA cache_size=-65536")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def by_barcode(self, code: str, at_utc: str) -> tuple | None:
        return self._conn().execute(BY_BARCODE, (at_utc, code)).fetchone()

    def by_sku(self, sku: str, at_utc: str) -> tuple | None:
        return self._conn().execute(BY_SKU, (at_utc, sku)).fetchone()

    def by_plu(self, plu: str, at_utc: str) -> tuple | None:
        return self._conn().execute(BY_PLU, (at_utc, plu)).fetchone()

    def by_id(self, product_id: str, at_utc: str) -> tuple | None:
        return self._conn().execute(BY_ID, (at_utc, product_id)).fetchone()

    def query(self, sql: str, *params: object) -> list[tuple]:
        return self._conn().execute(sql, params).fetchall()

    def close(self) -> None:
        """Close every thread's connection (they are only ever used by their own thread until now)."""
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
        self._local = threading.local()
