"""Schema upgrades at start: alembic to head, after an online backup when there is data to lose."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .backup import rotate
from .db import Database

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


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


def upgrade(db: Database, backup_dir: Path | None, now: datetime) -> bool:
    """Bring the schema to head; returns True when something was upgraded.

    A database that already holds a schema is backed up first (into ``backup_dir``), so a failed migration
    can always be undone by restoring the copy.
    """
    current = current_revision(db)
    if current == head_revision():
        return False
    if current is not None and backup_dir is not None:
        copy = rotate(backup_dir, db.path, f"before-{head_revision()}", now)
        log.info("backed up %s to %s before migrating", db.path, copy)
    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    log.info("database %s upgraded from %s to %s", db.path, current, head_revision())
    return True
