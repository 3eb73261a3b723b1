"""Backups and restores of the till database (admin only)."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from .. import paths
from ..core.clock import Clock, SystemClock
from ..core.errors import IntegrityFailure, InvalidInput
from ..core.i18n import _
from ..core.permissions import Action
from ..store.backup import backup_to, check_file, rotate
from .auth import Operator, require
from .context import Context
from .unit import write


def backup(ctx: Context, operator: Operator, target: Path) -> Path:
    """A consistent online copy of the database at ``target``, checked after it is written."""
    require(operator, Action.BACKUP)
    if target.exists() and target.is_dir():
        target = target / f"pos-{ctx.clock.now():%Y%m%d-%H%M%S}.db"
    return backup_to(ctx.db.path, target)


def daily_backup(ctx: Context) -> Path:
    """The automatic backup kept in the data folder (the newest seven are kept)."""
    return rotate(paths.backups_dir(ctx.data_dir), ctx.db.path, "daily", ctx.clock.now())


def _looks_like_till(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "settings", "sales", "journal"} <= tables:
            return _("it is not a till database")
        if conn.execute("SELECT value FROM settings WHERE key='till_id'").fetchone() is None:
            return _("it has no till identity")
    finally:
        conn.close()
    return None


def restore(ctx: Context, operator: Operator, source: Path, clock: Clock | None = None) -> Path:
    """Replace the till's database with ``source`` (``data.restore``, admin).

    The backup is checked first (intact, a till database); the current database is kept as a backup; the
    copy goes through SQLite's backup API. The context is closed: open the till again afterwards. A
    restored till must re-enrol with the server before it syncs (its sequence numbers went back).
    """
    require(operator, Action.RESTORE)
    clock = clock or SystemClock()
    if not source.is_file():
        raise InvalidInput(_("No backup file at {path}").format(path=source), code="not_found")
    status = check_file(source)
    problem = None if status == "ok" else status
    problem = problem or _looks_like_till(source)
    if problem:
        raise IntegrityFailure(_("{path} cannot be restored: {problem}").format(path=source, problem=problem),
                               code="bad_backup")
    live = ctx.db.path
    rotate(paths.backups_dir(ctx.data_dir), live, "before-restore", clock.now())
    counters = _counters(live)
    ctx.close()
    src, dst = sqlite3.connect(source), sqlite3.connect(live)
    try:
        src.backup(dst)
        _keep_counting(dst, counters)
    finally:
        src.close()
        dst.close()
    return live


def _counters(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT name, value FROM counters"))
    finally:
        conn.close()


def _keep_counting(conn: sqlite3.Connection, counters: dict[str, int]) -> None:
    """Receipt numbers never go back: the sales the restore lost had numbers that are on paper already."""
    with conn:
        for name, value in counters.items():
            conn.execute("INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) "
                         "DO UPDATE SET value = max(value, excluded.value)", (name, value))


def mark_restored(ctx: Context, operator: Operator, source: Path, at: datetime) -> None:
    """Journal the restore in the restored database (called on the reopened till)."""
    with write(ctx) as unit:
        unit.journal("restored", None, {"from": source.name, "at": at.isoformat()}, user=operator.username)
