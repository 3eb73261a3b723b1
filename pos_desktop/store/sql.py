"""Plain SQL on the transaction's own sqlite3 connection, for the checkout's hot path.

A sale runs some forty statements; through the ORM each costs a few hundred microseconds of Python, through
SQLAlchemy's ``exec_driver_sql`` a few dozen, straight on the DBAPI connection a few. The statements are
fixed strings, so sqlite3 prepares each of them once. ``dbapi(conn)`` gives the sqlite3 connection under a
SQLAlchemy ``Connection``; statements on it run inside the same transaction.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

import sqlite3

from sqlalchemy import Connection


def dbapi(conn: Connection) -> sqlite3.Connection:
    return conn.connection.driver_connection  # type: ignore[return-value]


@lru_cache(maxsize=256)
def _insert_sql(table: str, columns: tuple[str, ...], upsert: str | None) -> str:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _c in columns)})"
    return sql + (f" {upsert}" if upsert else "")


def insert_rows(conn: sqlite3.Connection, table: str, rows: Sequence[dict[str, Any]],
                upsert: str | None = None) -> None:
    """Insert dict rows that all have the same keys, in one executemany."""
    if not rows:
        return
    columns = tuple(rows[0])
    conn.executemany(_insert_sql(table, columns, upsert), [tuple(row[c] for c in columns) for row in rows])


def execute(conn: sqlite3.Connection, sql: str, *params: Any) -> None:
    conn.execute(sql, params)


def one(conn: sqlite3.Connection, sql: str, *params: Any) -> tuple | None:
    return conn.execute(sql, params).fetchone()


def scalar(conn: sqlite3.Connection, sql: str, *params: Any) -> Any:
    row = conn.execute(sql, params).fetchone()
    return None if row is None else row[0]


def rows(conn: sqlite3.Connection, sql: str, *params: Any) -> list[tuple]:
    return conn.execute(sql, params).fetchall()
