"""A support bundle: ``pos diagnostics --out FILE.zip`` — what a helpdesk needs to see, and no secret.

The zip holds ``diagnostics.json`` (versions, the data folder's files, the database's integrity, schema and
journal, the outbox counts, the sync status, the configuration) and the log files. It never holds the
database (PIN hashes, customers), the till's secret, a PIN, a password, a token or an enrolment code: the
configuration is copied with every secret-looking key replaced, ``sync.json`` keeps only the server and the
enrolment id, and the logs are scrubbed line by line (the till's secret, ``--pin``/``--code`` arguments,
``"pin": …`` in JSON, bearer tokens, anything shaped like an enrolment code).

It reads, never writes: the database is opened only when its schema is already this program's (so nothing
is upgraded), and every part that fails — a damaged database, an unreadable file — is reported as a problem
in the bundle instead of stopping it, because a support bundle is needed most when something is broken.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import re
import shutil
import sqlite3
import sys
import tomllib
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__, paths
from ..core.clock import Clock, SystemClock, iso
from ..core.errors import InvalidInput
from ..core.i18n import _
from ..store import migrate
from . import journal, sync_state, till

log = logging.getLogger(__name__)
REDACTED = "[redacted]"
SYNC_FILE = "sync.json"
DISTRIBUTIONS = ("PySide6-Essentials", "SQLAlchemy", "alembic", "fastapi", "uvicorn", "requests",
                 "python-escpos", "pyserial", "APScheduler", "prometheus-client", "psycopg")
SECRET_KEY = re.compile(r"(?i)(^|_)(secret|password|passwd|pin|token|api_?key|code|credential)s?$")
_SCRUB = [
    (re.compile(r"(?i)(--(?:admin-|approver-|set-)?pin|--code|--secret|--password|--token)(\s+|=)\S+"),
     r"\1\2" + REDACTED),
    (re.compile(r'(?i)("(?:[a-z_]*pin|code|secret|password|token)"\s*:\s*)"[^"]*"'), r'\1"' + REDACTED + '"'),
    (re.compile(r"(?i)\b((?:[a-z_]*pin|secret|password|token)\s*[=:]\s*)\S+"), r"\1" + REDACTED),
    (re.compile(r"(?i)(Bearer\s+)\S+"), r"\1" + REDACTED),
    (re.compile(r"\b[A-Z2-7]{4}(?:-[A-Z2-7]{4}){3,}\b"), REDACTED),   # an enrolment code, as the server makes them
]


@dataclass
class Bundle:
    """What was written: the zip, its members, and the report inside it."""

    out: Path
    members: list[str]
    report: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        r = self.report
        return {"out": str(self.out), "files": self.members, "ok": not self.problems, "problems": self.problems,
                "integrity": r.get("integrity"), "outbox": r.get("outbox"), "sync": r.get("sync")}


def write_bundle(data_dir: Path, out: Path, *, clock: Clock | None = None, full_check: bool = False) -> Bundle:
    """Gather the report and the scrubbed logs of ``data_dir`` into the zip ``out`` (written whole, then
    renamed into place, owner-only). ``full_check`` runs SQLite's full integrity_check instead of quick_check."""
    clock = clock or SystemClock()
    out = Path(out).expanduser().resolve()
    if not out.parent.is_dir():
        raise InvalidInput(_("The folder {path} does not exist").format(path=out.parent), code="no_folder")
    problems: list[str] = []
    secrets = _known_secrets(data_dir)
    report = collect(data_dir, clock=clock, full_check=full_check, problems=problems)
    members = ["diagnostics.json"]
    temp = out.with_name(f".{out.name}.tmp")
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for log_file in _log_files(data_dir):
                name = f"logs/{log_file.name}"
                try:
                    archive.writestr(name, scrub(log_file.read_text(encoding="utf-8", errors="replace"), secrets))
                    members.append(name)
                except OSError as exc:
                    problems.append(f"{name}: {exc}")
            report["problems"] = problems
            text = json.dumps(report, ensure_ascii=False, indent=2, default=str)
            archive.writestr("diagnostics.json", scrub(text, secrets))
        if os.name == "posix":
            temp.chmod(0o600)
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    log.info("diagnostics written to %s (%d files, %d problems)", out, len(members), len(problems))
    return Bundle(out, sorted(members), report, problems)


def collect(data_dir: Path, *, clock: Clock, full_check: bool, problems: list[str]) -> dict[str, Any]:
    """The report, section by section; a section that fails becomes ``{"error": …}`` and a problem."""
    def section(name: str, read: Callable[[], Any]) -> Any:
        try:
            return read()
        except Exception as exc:  # noqa: BLE001 — reported in the bundle, which is the point of it
            problems.append(f"{name}: {exc}")
            return {"error": f"{type(exc).__name__}: {exc}"}

    report: dict[str, Any] = {"created_at": iso(clock.now()), "data_dir": str(data_dir)}
    report["versions"] = section("versions", versions)
    report["data_folder"] = section("data_folder", lambda: folder_listing(data_dir))
    report["config"] = section("config", lambda: redacted_config(data_dir))
    report["database"] = section("database", lambda: database_facts(data_dir, full_check))
    integrity = report["database"].get("integrity") if isinstance(report["database"], dict) else None
    if integrity is not None and integrity != "ok":
        problems.append(f"database integrity: {integrity}")
    opened = section("till", lambda: _till_facts(data_dir, clock, report["database"]))
    report["integrity"] = {"database": integrity, "journal": opened.get("journal") if opened else None}
    journal_ok = (opened or {}).get("journal", {}).get("ok")
    if journal_ok is False:
        problems.append("journal: the hash chain does not verify")
    exists = isinstance(report["database"], dict) and report["database"].get("exists")
    if isinstance(report["database"], dict) and exists is False:
        problems.append(f"database: no till database in {data_dir}")
    report["outbox"] = (opened or {}).get("outbox") or (
        section("outbox", lambda: outbox_counts(data_dir)) if exists else None)
    report["sync"] = {"enrolment": section("sync.json", lambda: sync_file(data_dir)),
                      "state": (opened or {}).get("sync_state")}
    return report


def versions() -> dict[str, Any]:
    found: dict[str, Any] = {"pos": __version__, "python": sys.version.split()[0],
                             "platform": platform.platform(), "sqlite": sqlite3.sqlite_version,
                             "frozen": bool(getattr(sys, "frozen", False))}
    for name in DISTRIBUTIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def folder_listing(data_dir: Path) -> dict[str, Any]:
    """Every file of the data folder (names, sizes, times, modes) and the free disk space."""
    files = []
    for path in sorted(p for p in Path(data_dir).rglob("*") if p.is_file()):
        stat = path.stat()
        files.append({"path": path.relative_to(data_dir).as_posix(), "bytes": stat.st_size,
                      "modified": iso(datetime.fromtimestamp(stat.st_mtime, UTC)), "mode": oct(stat.st_mode & 0o777)})
    usage = shutil.disk_usage(data_dir)
    return {"files": files, "disk_free_bytes": usage.free, "disk_total_bytes": usage.total,
            "folder_mode": oct(Path(data_dir).stat().st_mode & 0o777)}


def redacted_config(data_dir: Path) -> dict[str, Any]:
    path = paths.config_path(data_dir)
    if not path.exists():
        return {}
    return redact(tomllib.loads(path.read_text(encoding="utf-8")))


def redact(value: Any, key: str = "") -> Any:
    """A copy with every secret-looking text value replaced (``secret``, ``admin_pin``, ``api_key``, …). A
    number stays: the drawer's ``pin = 2`` is the connector's pin, not a PIN."""
    if isinstance(value, dict):
        return {k: redact(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, key) for v in value]
    return REDACTED if isinstance(value, str) and value and SECRET_KEY.search(key) else value


def sync_file(data_dir: Path) -> dict[str, Any]:
    """``sync.json`` without its secret: whether the till is enrolled, with which server and enrolment id."""
    path = Path(data_dir) / SYNC_FILE
    if not path.exists():
        return {"enrolled": False}
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {"enrolled": True, "server": doc.get("server"), "enrolment_id": doc.get("enrolment_id"),
            "ca_file": doc.get("ca_file"), "secret": REDACTED if doc.get("secret") else None}


def database_facts(data_dir: Path, full_check: bool) -> dict[str, Any]:
    """Size, journal mode, schema revision against this program's head, and SQLite's integrity check, read
    through a plain read-only connection (nothing is upgraded, nothing written)."""
    db_file = paths.db_path(data_dir)
    if not db_file.exists():
        return {"exists": False}
    facts: dict[str, Any] = {"exists": True, "bytes": db_file.stat().st_size, "head_revision": migrate.head_revision()}
    conn = sqlite3.connect(f"{db_file.as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        facts["journal_mode"] = conn.execute("PRAGMA journal_mode").fetchone()[0]
        try:
            facts["revision"] = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            facts["revision"] = None
            facts["revision_error"] = str(exc)
        pragma = "integrity_check" if full_check else "quick_check"
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}(20)")]
        facts["check"] = pragma
        facts["integrity"] = "ok" if rows == ["ok"] else "; ".join(rows)
    except sqlite3.DatabaseError as exc:
        facts["integrity"] = f"{type(exc).__name__}: {exc}"
    finally:
        conn.close()
    return facts


def outbox_counts(data_dir: Path) -> dict[str, Any]:
    """Events waiting for the server and sent, by kind, and the oldest waiting one."""
    conn = sqlite3.connect(f"{paths.db_path(data_dir).as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        rows = conn.execute("SELECT kind, sent_at IS NULL, count(*), min(created_at), max(till_seq) FROM outbox "
                            "GROUP BY kind, sent_at IS NULL").fetchall()
    finally:
        conn.close()
    by_kind: dict[str, dict[str, int]] = {}
    unsent = sent = 0
    oldest: str | None = None
    last_seq = 0
    for kind, waiting, count, first, top in rows:
        by_kind.setdefault(kind, {"unsent": 0, "sent": 0})["unsent" if waiting else "sent"] += count
        last_seq = max(last_seq, top or 0)
        if waiting:
            unsent += count
            oldest = min(oldest or first, first)
        else:
            sent += count
    return {"unsent": unsent, "sent": sent, "oldest_unsent": oldest, "last_till_seq": last_seq, "by_kind": by_kind}


def _till_facts(data_dir: Path, clock: Clock, database: Any) -> dict[str, Any] | None:
    """The journal's verification and the sync state, when the database is healthy and at this schema."""
    if not (isinstance(database, dict) and database.get("integrity") == "ok"
            and database.get("revision") == database.get("head_revision")):
        return None
    ctx = till.open_till(data_dir, clock, check=False)
    try:
        chain = journal.verify(ctx)
        state = asdict(sync_state.load(ctx))
    finally:
        ctx.close()
    return {"journal": {"ok": chain.ok, "entries": chain.entries, "first_bad_entry": chain.first_bad_entry,
                        "reason": chain.reason},
            "outbox": outbox_counts(data_dir), "sync_state": state}


def _log_files(data_dir: Path) -> list[Path]:
    folder = paths.logs_dir(data_dir)
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def _known_secrets(data_dir: Path) -> list[str]:
    """The till's own secret (and its bearer form), to scrub wherever it might appear."""
    try:
        doc = json.loads((Path(data_dir) / SYNC_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    secret = str(doc.get("secret") or "")
    return [s for s in (f"{doc.get('enrolment_id')}.{secret}", secret) if len(s) >= 8]


def scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    for pattern, replacement in _SCRUB:
        text = pattern.sub(replacement, text)
    return text
