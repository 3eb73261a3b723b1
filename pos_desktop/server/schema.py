"""The server's schema upgrades at start: alembic (``migrations/server/``) to head.

Several server processes may start at once against one PostgreSQL; they take an advisory lock around the
upgrade so only one migrates and the others find the schema at head. (A SQLite file is upgraded under its
write lock: alembic's transaction begins IMMEDIATE there.)
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .db import Database

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations" / "server"
_LOCK_KEY = 0x706F7353   # "posS": the advisory lock of server migrations


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database) -> bool:
    """Bring the schema to head; True when something was upgraded."""
    if current_revision(db) == head_revision():
        return False
    config = alembic_config()
    with db.engine.connect() as conn:
        if db.is_postgres:
            conn.exec_driver_sql(f"SELECT pg_advisory_lock({_LOCK_KEY})")
            conn.commit()
        try:
            before = MigrationContext.configure(conn).get_current_revision()
            conn.rollback()
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
        finally:
            if db.is_postgres:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_LOCK_KEY})")
                conn.commit()
    if before != head_revision():
        log.info("server database upgraded from %s to %s", before, head_revision())
    return before != head_revision()
