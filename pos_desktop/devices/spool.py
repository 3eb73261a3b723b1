"""The reprint queue: every receipt job is on disk before a byte goes to the printer.

One file per job in ``<data_dir>/spool/`` (owner-only), written to a temporary name, fsynced and renamed,
then the folder fsynced: a power cut leaves either the whole job or nothing. A job leaves the queue only
when its receipt was printed. Nothing here re-sends a job by itself: after a fault the cashier decides
(``pos receipt print``), so a receipt is never printed twice on its own.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..paths import make_private_dir

log = logging.getLogger(__name__)
SUFFIX = ".job"


def spool_dir(data_dir: Path) -> Path:
    return data_dir / "spool"


@dataclass(frozen=True)
class SpoolJob:
    """One receipt waiting to be printed. ``source`` is what a copy is rebuilt from when the database cannot
    give it back (a return's JSON); ``error`` is the last fault that kept it from printing."""

    job_id: str
    receipt_no: str
    kind: str
    created_at: str
    data: bytes
    path: Path
    source: dict[str, Any] | None = None
    error: str | None = None
    error_code: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"job_id": self.job_id, "receipt_no": self.receipt_no, "kind": self.kind,
                "created_at": self.created_at, "bytes": len(self.data), "error": self.error,
                "error_code": self.error_code}


class ReceiptSpool:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def add(self, receipt_no: str, kind: str, data: bytes, *, source: dict[str, Any] | None = None,
            created_at: str | None = None) -> SpoolJob:
        """Put a job on disk (durably) and return it; call this before sending ``data`` anywhere."""
        make_private_dir(self.folder)
        job_id = uuid.uuid4().hex
        # the name sorts in the order jobs were made; the receipt number makes the folder readable by eye
        name = f"{time.time_ns():020d}-{_safe(receipt_no)}-{job_id[:8]}{SUFFIX}"
        job = SpoolJob(job_id, receipt_no, kind, created_at or _now(), data, self.folder / name, source)
        self._write(job)
        return job

    def failed(self, job: SpoolJob, message: str, code: str | None = None) -> SpoolJob:
        """Record why ``job`` did not print; it stays in the queue."""
        updated = SpoolJob(job.job_id, job.receipt_no, job.kind, job.created_at, job.data, job.path, job.source,
                           message, code)
        self._write(updated)
        return updated

    def done(self, job: SpoolJob) -> None:
        """The receipt is on paper: the job leaves the queue."""
        try:
            job.path.unlink()
        except FileNotFoundError:
            return
        _fsync_dir(self.folder)

    def pending(self) -> list[SpoolJob]:
        """Every job still waiting, oldest first. A file that cannot be read is logged and left alone."""
        if not self.folder.is_dir():
            return []
        jobs = []
        for path in sorted(self.folder.glob("*" + SUFFIX)):
            try:
                jobs.append(_read(path))
            except (OSError, ValueError, KeyError) as exc:
                log.warning("unreadable spool job %s: %s", path.name, exc)
        return jobs

    def for_receipt(self, receipt_no: str) -> list[SpoolJob]:
        wanted = receipt_no.strip().upper()
        return [job for job in self.pending() if job.receipt_no.upper() == wanted]

    def _write(self, job: SpoolJob) -> None:
        doc = {"job_id": job.job_id, "receipt_no": job.receipt_no, "kind": job.kind,
               "created_at": job.created_at, "source": job.source, "error": job.error,
               "error_code": job.error_code, "data": base64.b64encode(job.data).decode("ascii")}
        tmp = job.path.with_name(job.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(doc, handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp, job.path)
        _fsync_dir(self.folder)


def _read(path: Path) -> SpoolJob:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return SpoolJob(doc["job_id"], doc["receipt_no"], doc["kind"], doc["created_at"],
                    base64.b64decode(doc["data"]), path, doc.get("source"), doc.get("error"),
                    doc.get("error_code"))


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)[:40] or "job"


def _now() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory for fsync; NTFS journals the rename itself
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
