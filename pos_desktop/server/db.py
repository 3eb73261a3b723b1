"""The server database: a SQLite file for one shop, PostgreSQL (``postgresql+psycopg://``) for a chain.

The same code runs on both; what differs is kept here. SQLite: WAL, ``synchronous=FULL``, foreign keys on, and
write transactions that take the lock at ``BEGIN IMMEDIATE`` (one writer at a time, which is also what makes
row ids commit-ordered for the change feed). PostgreSQL: READ COMMITTED, a connection pool per process, and
the change feed's commit order from transaction ids (``changes.py``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ..core.errors import InvalidInput, ServerError

BUSY_TIMEOUT_MS = 30_000
# (classid, objid) of the shared advisory lock every server write transaction holds on PostgreSQL (changes.py).
WRITER_LOCK = (0x706F73, 0x43)
WRITER_MARK = text(f"SELECT pg_advisory_lock_shared({WRITER_LOCK[0]}, {WRITER_LOCK[1]})")
WRITER_UNMARK = text(f"SELECT pg_advisory_unlock_shared({WRITER_LOCK[0]}, {WRITER_LOCK[1]})")


def normalize_url(url: str) -> str:
    """A SQLAlchemy URL: ``postgresql://`` gets the psycopg driver, a bare path is a SQLite file."""
    text = str(url).strip()
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    if text.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    return text


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def _sqlite_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    dbapi_conn.isolation_level = None   # BEGIN is ours (see _sqlite_begin)
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', 'DEFERRED')}")


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine for ``url``; InvalidInput for a URL that names no database SQLAlchemy can open."""
    try:
        parsed = make_url(normalize_url(url))
    except ArgumentError:
        raise InvalidInput(f"{url} is not a database URL (sqlite:///PATH or postgresql+psycopg://…)", code="bad_database_url") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise unreachable(str(parsed), exc) from None
        engine = create_engine(parsed, pool_size=pool_size, max_overflow=pool_size,
                               connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise InvalidInput(f"The server runs on SQLite or PostgreSQL, not {parsed.get_backend_name()}", code="bad_database_url")
    # insertmanyvalues pages of a fixed size: the same statement text again and again, so psycopg's cache of
    # converted queries hits (a page sized by each push's rows would be parsed anew every time).
    return create_engine(parsed, pool_size=pool_size, max_overflow=pool_size * 2, pool_pre_ping=True,
                         insertmanyvalues_page_size=100, connect_args={"connect_timeout": 5})


class Database:
    """Sessions of the server database: ``write()`` (one transaction, committed or rolled back as a whole;
    the write lock at BEGIN on SQLite) and ``read()``."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url, pool_size=pool_size)
        self.is_postgres = self.engine.dialect.name == "postgresql"
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(sqlite_begin="IMMEDIATE"),
                                   expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction. On PostgreSQL the connection holds the shared advisory lock that marks the
        server's writers from before the transaction has an id until after it has committed: the change feed
        waits only for transactions whose connection holds it. (A transaction-level lock would be released
        during the commit, a moment before the transaction's own id lock — long enough for a reader to take
        a committing writer for a stranger and serve past its rows.)"""
        if not self.is_postgres:
            with self._write.begin() as session:
                yield session
            return
        with self.engine.connect() as conn:
            conn.execute(WRITER_MARK)
            conn.commit()
            try:
                with Session(bind=conn, expire_on_commit=False) as session, session.begin():
                    yield session
            finally:
                try:
                    conn.execute(WRITER_UNMARK)
                    conn.commit()
                except DBAPIError:
                    conn.invalidate()  # never hand a connection that may still hold the lock back to the pool

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    def check(self) -> None:
        """Connect once; ServerError (exit 7) when the database cannot be reached."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except DBAPIError as exc:
            raise unreachable(self.url, exc) from None

    def close(self) -> None:
        self.engine.dispose()


def unreachable(url: str, exc: BaseException) -> ServerError:
    shown = make_url(url).render_as_string(hide_password=True)
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ServerError(f"The server database {shown} cannot be reached: {reason}",
                       code="database_unreachable")
