"""Plain SQL on a SQLAlchemy connection, for the checkout's hot path.

A sale writes a few dozen rows; through the ORM each statement costs a few hundred microseconds of Python,
through ``exec_driver_sql`` a few dozen. The statements are fixed strings, so sqlite3 prepares each once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

from sqlalchemy import Connection


@lru_cache(maxsize=256)
def _insert_sql(table: str, columns: tuple[str, ...], upsert: str | None) -> str:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _c in columns)})"
    return sql + (f" {upsert}" if upsert else "")


def insert_rows(conn: Connection, table: str, rows: Sequence[dict[str, Any]], upsert: str | None = None) -> None:
    """Insert dict rows that all have the same keys, in one executemany."""
    if not rows:
        return
    columns = tuple(rows[0])
    sql = _insert_sql(table, columns, upsert)
    params = [tuple(row[c] for c in columns) for row in rows]
    if len(params) == 1:
        conn.exec_driver_sql(sql, params[0])
    else:
        conn.exec_driver_sql(sql, params)


def one(conn: Connection, sql: str, *params: Any) -> tuple | None:
    return conn.exec_driver_sql(sql, params).fetchone()


def scalar(conn: Connection, sql: str, *params: Any) -> Any:
    row = conn.exec_driver_sql(sql, params).fetchone()
    return None if row is None else row[0]


def rows(conn: Connection, sql: str, *params: Any) -> list[tuple]:
    return list(conn.exec_driver_sql(sql, params).fetchall())
