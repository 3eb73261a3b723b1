"""Online backups through SQLite's backup API: consistent while the till keeps selling."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

KEEP = 7


def backup_to(source: Path, target: Path) -> Path:
    """Copy a live database to ``target`` page by page, then check the copy opens and is intact."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(tmp)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        ok = dst.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise sqlite3.DatabaseError(f"backup check failed: {ok}")
    tmp.replace(target)
    return target


def rotate(backup_dir: Path, source: Path, label: str, now: datetime) -> Path:
    """A dated backup in ``backup_dir``, keeping the newest ``KEEP`` of them."""
    target = backup_dir / f"pos-{now:%Y%m%d-%H%M%S}-{label}.db"
    backup_to(source, target)
    backups = sorted(backup_dir.glob("pos-*.db"))
    for old in backups[:-KEEP]:
        old.unlink(missing_ok=True)
    return target


def check_file(path: Path) -> str:
    """``"ok"`` when ``path`` is an intact SQLite database, otherwise what is wrong."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
