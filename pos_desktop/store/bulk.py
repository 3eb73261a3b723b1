"""Bulk loading into a fresh database (the demo's million products): one exclusive connection, no rollback
journal and no fsync while loading, WAL again at the end. Only for a database nobody else has open."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable, Sequence


class BulkLoader:
    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute("PRAGMA cache_size=-400000")
        self.conn.execute("PRAGMA foreign_keys=OFF")
        self.conn.execute("BEGIN")

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        marks = ", ".join("?" for _c in columns)
        self.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def insert_unindexed(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        """``insert`` with the table's secondary indexes dropped and rebuilt afterwards: building an index
        from sorted data beats a million random insertions into it."""
        indexes = self.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                    "AND sql IS NOT NULL", (table,)).fetchall()
        names = self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                  "AND sql IS NOT NULL", (table,)).fetchall()
        for (name,) in names:
            self.conn.execute(f"DROP INDEX {name}")
        self.insert(table, columns, rows)
        for (ddl,) in indexes:
            self.conn.execute(ddl)

    def finish(self) -> None:
        """Commit, check the foreign keys the load skipped, and go back to WAL."""
        self.conn.execute("COMMIT")
        bad = self.conn.execute("PRAGMA foreign_key_check").fetchone()
        if bad is not None:
            raise sqlite3.IntegrityError(f"bulk load broke a foreign key: {bad}")
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.close()

    def abort(self) -> None:
        self.conn.close()
