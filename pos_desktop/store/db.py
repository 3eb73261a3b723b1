"""The till database: SQLite in WAL mode, ``synchronous=FULL``, foreign keys on, writes in BEGIN IMMEDIATE.

pysqlite would otherwise open a transaction lazily at the first write, so two writers could both read and
then one fail with "database is locked" in the middle of a sale; taking the write lock at BEGIN makes the
second writer wait (busy timeout) before it has read anything.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError as SAOperationalError
from sqlalchemy.orm import Session, sessionmaker

from ..core.errors import IntegrityFailure
from ..core.i18n import _

BUSY_TIMEOUT_MS = 10_000


class DiskFull(IntegrityFailure):
    """SQLite could not grow the database or its WAL (SQLITE_FULL): the transaction was rolled back whole.

    Exit code 5 with ``{"error": "disk_full"}`` on the command line; the screen shows the message. Selling
    works again as soon as there is space: nothing needs repairing.
    """

    code = "disk_full"


LOW_SPACE_BYTES = 256 << 10


def is_disk_full(exc: BaseException, path: Path) -> bool:
    """SQLITE_FULL, or an I/O error on a disk with (almost) no space left: creating the WAL or its index on
    a full disk fails as a plain "disk I/O error"."""
    text = str(exc).lower()
    if "database or disk is full" in text:
        return True
    if "disk i/o error" not in text:
        return False
    try:
        return shutil.disk_usage(path.parent).free < LOW_SPACE_BYTES
    except OSError:
        return False


def disk_full(path: Path) -> DiskFull:
    return DiskFull(_("The disk holding the till's database is full: nothing was saved. Free some space on "
                      "{folder}, then try again.").format(folder=path.parent))


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object, synchronous: str, path: Path) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA cache_size=-32000")
    except sqlite3.OperationalError as exc:
        if is_disk_full(exc, path):
            raise disk_full(path) from exc
        raise
    finally:
        cursor.close()


def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path, synchronous: str = "FULL") -> Engine:
    engine = create_engine(f"sqlite:///{path}", pool_size=4, max_overflow=4)
    event.listen(engine, "connect", lambda c, r: _on_connect(c, r, synchronous, Path(path)))
    event.listen(engine, "begin", _on_begin)
    return engine


class Database:
    """One till database file; hands out read sessions and write sessions (BEGIN IMMEDIATE)."""

    def __init__(self, path: Path, synchronous: str = "FULL") -> None:
        self.path = Path(path)
        self.engine = make_engine(self.path, synchronous)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(sqlite_begin="IMMEDIATE"),
                                   expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction holding the write lock; commits on success, rolls back on any exception.

        A full disk, while writing or at the commit, is a ``DiskFull`` error: SQLite has rolled back the
        whole transaction, so nothing of it was stored."""
        try:
            with self._write.begin() as session:
                yield session
        except (sqlite3.OperationalError, SAOperationalError) as exc:
            if is_disk_full(exc, self.path):
                raise disk_full(self.path) from exc
            raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session:
            with session.begin():
                yield session

    @contextmanager
    def raw(self) -> Iterator[sqlite3.Connection]:
        """A pooled DBAPI connection for hot read paths (a scan lookup) where ORM overhead shows."""
        fairy = self.engine.raw_connection()
        try:
            yield fairy.driver_connection  # type: ignore[misc]
        finally:
            fairy.close()

    def quick_check(self) -> str:
        with self.raw() as conn:
            return conn.execute("PRAGMA quick_check").fetchone()[0]

    def close(self) -> None:
        self.engine.dispose()
