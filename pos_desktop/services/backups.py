"""Backups and restores of the till database (admin only).

Every backup is verified when it is taken (SQLite's check of the copy, a till database, its journal chain);
``list_backups`` says which of the kept ones are still good, newest first, and ``restore_when_damaged``
restores one when the live database cannot be opened at all (corrupt or missing), checking the admin's PIN
against the backup itself.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import paths
from ..core.clock import Clock, SystemClock
from ..core.errors import IntegrityFailure, InvalidInput
from ..core.i18n import _
from ..core.journal import StoredEntry, verify_chain
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
    return verified(backup_to(ctx.db.path, target))


def daily_backup(ctx: Context) -> Path:
    """The automatic backup kept in the data folder (the newest seven are kept), verified."""
    return verified(rotate(paths.backups_dir(ctx.data_dir), ctx.db.path, "daily", ctx.clock.now()))


def check_backup(path: Path) -> str | None:
    """None when ``path`` is a good till backup: intact, a till database, its journal chain unbroken;
    otherwise what is wrong, in words."""
    status = check_file(path)
    if status != "ok":
        return status
    try:
        return _looks_like_till(path) or _journal_problem(path)
    except sqlite3.DatabaseError as exc:
        return str(exc)


def _journal_problem(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [StoredEntry(seq, json.loads(entry), prev, digest) for seq, entry, prev, digest in
                conn.execute("SELECT seq, entry, prev_hash, hash FROM journal ORDER BY seq")]
    except ValueError:
        return _("its journal cannot be read")
    finally:
        conn.close()
    report = verify_chain(rows)
    return None if report.ok else _("its journal is broken at entry {n}").format(n=report.first_bad_entry)


def verified(path: Path) -> Path:
    """Check a backup just taken; a copy that fails is removed and the backup refused (exit 5)."""
    problem = check_backup(path)
    if problem:
        path.unlink(missing_ok=True)
        raise IntegrityFailure(_("The backup {path} failed its check: {problem}").format(path=path, problem=problem),
                               code="bad_backup")
    return path


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    problem: str | None

    @property
    def good(self) -> bool:
        return self.problem is None

    def to_json(self) -> dict[str, object]:
        return {"path": str(self.path), "size": self.size, "good": self.good, "problem": self.problem}


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """The backups kept in the data folder, newest written first, each checked. (Their names carry the till's
    clock, which may have been wrong; the file's own time is what says which copy is the newest.)"""
    found = sorted(paths.backups_dir(data_dir).glob("pos-*.db"), key=lambda p: (p.stat().st_mtime_ns, p.name),
                   reverse=True)
    return [BackupInfo(p, p.stat().st_size, check_backup(p)) for p in found]


def newest_good(data_dir: Path) -> Path:
    for info in list_backups(data_dir):
        if info.good:
            return info.path
    raise IntegrityFailure(_("There is no good backup in {path}").format(path=paths.backups_dir(data_dir)),
                           code="no_backup")


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


def mark_restored(ctx: Context, operator: Operator | str, source: Path, at: datetime) -> None:
    """Journal the restore in the restored database (called on the reopened till)."""
    user = operator if isinstance(operator, str) else operator.username
    with write(ctx) as unit:
        unit.journal("restored", None, {"from": source.name, "at": at.isoformat()}, user=user)


def restore_when_damaged(data_dir: Path, source: Path, username: str, pin: str,
                         clock: Clock | None = None, otp: str | None = None) -> Path:
    """Restore ``source`` over a live database that cannot be opened (corrupt or missing).

    The admin's PIN (and one-time code, when the admin has one) is checked against the backup (the damaged database cannot be trusted to say who is
    admin). What is left of the damaged file is kept beside the backups, never deleted. Receipt numbers
    continue after the highest the damaged file still shows, when it shows any. Returns the restored path;
    the caller reopens the till and journals the restore (``mark_restored``).
    """
    from . import till  # the till opens databases; only a restore needs it here
    from .auth import login

    clock = clock or SystemClock()
    problem = check_backup(source) if source.is_file() else _("there is no such file")
    if problem:
        raise IntegrityFailure(_("{path} cannot be restored: {problem}").format(path=source, problem=problem),
                               code="bad_backup")
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copyfile(source, paths.db_path(Path(tmp)))
        probe = till.open_till(Path(tmp), clock)
        try:
            require(login(probe, username, pin, otp), Action.RESTORE)
        finally:
            probe.close()
    live = paths.db_path(data_dir)
    prefix = _receipt_prefix(source)
    counters = _set_aside_damaged(data_dir, live, clock.now(), prefix)
    src, dst = sqlite3.connect(source), sqlite3.connect(live)
    try:
        src.backup(dst)
        _keep_counting(dst, counters)
    finally:
        src.close()
        dst.close()
    return live


def _files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []


def _receipt_prefix(backup: Path) -> bytes:
    conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        store, till_code = conn.execute("SELECT s.code, t.code FROM tills t JOIN stores s ON s.id = t.store_id "
                                        "WHERE t.id = (SELECT json_extract(value, '$') FROM settings "
                                        "WHERE key = 'till_id')").fetchone()
    finally:
        conn.close()
    return f"{store}-{till_code}-".encode()


def _highest_receipt(files: list[Path], prefix: bytes) -> int:
    """The highest receipt number still legible anywhere in the damaged file, its WAL or the print spool:
    those receipts may be on paper already, so the restored till must not hand the numbers out again."""
    pattern = re.compile(re.escape(prefix) + rb"(\d{6,9})")
    highest = 0
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        highest = max([highest, *(int(m.group(1)) for m in pattern.finditer(data))])
    return highest


def _set_aside_damaged(data_dir: Path, live: Path, now: datetime, prefix: bytes) -> dict[str, int]:
    counters: dict[str, int] = {}
    if live.exists():
        try:
            counters = _counters(live)
        except sqlite3.DatabaseError:
            pass
    legible = [Path(f"{live}{s}") for s in ("", "-wal")] + _files_in(data_dir / "spool") + \
        _files_in(paths.logs_dir(data_dir))   # the print spool (devices/spool.py) and the logs name receipts too
    counters["receipt"] = max(counters.get("receipt", 0), _highest_receipt(legible, prefix))
    if not live.exists():
        return counters
    kept = paths.backups_dir(data_dir) / "damaged"
    kept.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{live}{suffix}")
        if part.exists():
            part.replace(kept / f"pos-{now:%Y%m%d-%H%M%S}.db{suffix}")
    return counters


def recover(data_dir: Path, source: Path, username: str, pin: str, clock: Clock | None = None,
            otp: str | None = None) -> Path:
    """``restore_when_damaged``, then the restore journaled in the reopened till (what the start-up offer does)."""
    from . import till

    clock = clock or SystemClock()
    restore_when_damaged(data_dir, source, username, pin, clock, otp)
    ctx = till.open_till(data_dir, clock)
    try:
        mark_restored(ctx, username, source, clock.now())
    finally:
        ctx.close()
    return paths.db_path(data_dir)
