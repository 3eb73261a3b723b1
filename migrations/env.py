"""Alembic environment of the till database (batch mode, since SQLite cannot ALTER most things)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from pos_desktop.store.base import Base
import pos_desktop.store.models  # noqa: F401  (fills Base.metadata)

from pos_desktop.store.search_index import is_search_table

config = context.config
target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """The FTS5 search index is made by hand (migration 0002); autogenerate must leave it alone."""
    return not (type_ == "table" and is_search_table(name))


def _url() -> str:
    db = context.get_x_argument(as_dictionary=True).get("db")
    return f"sqlite:///{db}" if db else config.get_main_option("sqlalchemy.url")


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True, literal_binds=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
