"""The server's models and its migrations (``migrations/server/``) agree, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pos_desktop.server import schema
from pos_desktop.server.db import Database
from pos_desktop.server.models import Base

from .conftest import BACKENDS, database_url


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_reach_the_models(backend, tmp_path):
    with database_url(backend, tmp_path) as url:
        db = Database(url)
        try:
            assert schema.upgrade(db) is True
            assert schema.upgrade(db) is False            # at head: nothing to do the second time
            assert schema.current_revision(db) == schema.head_revision()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
            assert diff == []
        finally:
            db.close()


def test_sqlite_is_opened_the_durable_way(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'server.db'}")
    with db.engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
        assert (pragma("journal_mode"), pragma("synchronous"), pragma("foreign_keys")) == ("wal", 2, 1)
    db.close()


def test_urls():
    from pos_desktop.server.db import normalize_url
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("/tmp/x.db") == "sqlite:////tmp/x.db"
