"""The server's declarative base and the column types every model shares.

Constraint names follow a convention so that alembic finds them on both databases. Ids are text (the tills'
uuids); money is integer minor units and quantities integer thousandths, as on the till; times are text: ISO
8601 with offset as the till wrote them, or ``YYYY-MM-DDTHH:MM:SSZ`` (UTC, sortable) for the server's own.
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Id = String(36)
Code = String(10)                 # store, till and location codes
Time = String(40)
# A 64-bit serial key: BIGINT on PostgreSQL, and SQLite's INTEGER PRIMARY KEY (the rowid) there, which is the
# only kind SQLite numbers by itself.
Serial = BigInteger().with_variant(Integer(), "sqlite")
Json = JSON()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
