"""Alembic environment of the central server's database (``pos_desktop.server``), apart from the till's.

The server upgrades itself at start (``pos_desktop.server.schema.upgrade``); for developers:
``alembic -c /dev/null -x url=sqlite:///server.db upgrade head`` with ``script_location`` = this folder, or
simply start ``pos server --db URL``. Batch mode for SQLite, which cannot ALTER most things.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import pos_desktop.server.models as models

config = context.config
target_metadata = models.Base.metadata


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url")
    return url or config.get_main_option("sqlalchemy.url")


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, render_as_batch=True, compare_type=True,
                      literal_binds=True)
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
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
