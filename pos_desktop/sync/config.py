"""``<data_dir>/sync.json``: which server this till talks to and its credentials (owner-only, never logged)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InvalidInput
from ..core.i18n import _

FILE_NAME = "sync.json"
LOCK_NAME = "sync.lock"


@dataclass(frozen=True)
class SyncConfig:
    server: str
    enrolment_id: str
    secret: str = field(repr=False)
    ca_file: str | None = None

    @property
    def verify(self) -> bool | str:
        """What ``requests`` verifies the server's certificate with: the pinned CA file, else the system's."""
        return self.ca_file or True

    @property
    def bearer(self) -> str:
        return f"Bearer {self.enrolment_id}.{self.secret}"


def config_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOCK_NAME


def load(data_dir: Path) -> SyncConfig | None:
    """The till's enrolment, or None when it was never enrolled."""
    path = config_path(data_dir)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise InvalidInput(_("{path} cannot be read ({why}); enrol the till again").format(
            path=path, why=type(exc).__name__), code="bad_sync_config") from None
    try:
        return SyncConfig(str(doc["server"]), str(doc["enrolment_id"]), str(doc["secret"]), doc.get("ca_file"))
    except (KeyError, TypeError):
        raise InvalidInput(_("{path} is incomplete; enrol the till again").format(path=path),
                           code="bad_sync_config") from None


def save(data_dir: Path, config: SyncConfig) -> Path:
    """Write ``sync.json`` with mode 0600 from the first byte (a temporary file, then an atomic rename)."""
    path = config_path(data_dir)
    temp = path.with_name(path.name + ".tmp")
    doc = {"server": config.server, "enrolment_id": config.enrolment_id, "secret": config.secret,
           "ca_file": config.ca_file}
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(doc, out, indent=2)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    if os.name == "posix":
        temp.chmod(0o600)
    os.replace(temp, path)
    return path
