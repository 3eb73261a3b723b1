"""Where a till keeps its data: ``--data-dir``, else ``POS_DATA_DIR``, else the platform's data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

DB_NAME = "pos.db"
CONFIG_NAME = "config.toml"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("POS_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return Path(user_data_dir("pos-desktop", "pos-desktop"))


def db_path(folder: Path) -> Path:
    return folder / DB_NAME


def config_path(folder: Path) -> Path:
    return folder / CONFIG_NAME


def backups_dir(folder: Path) -> Path:
    return folder / "backups"


def logs_dir(folder: Path) -> Path:
    return folder / "logs"


def make_private_files(folder: Path) -> None:
    """Take group and other access away from the data folder's files (a till made before they were created
    owner-only, or a file copied in): the database, its WAL, config.toml, sync.json, backups, logs."""
    if os.name != "posix" or not folder.is_dir():
        return
    for path in (folder, *folder.iterdir(), *(p for sub in (backups_dir(folder), logs_dir(folder)) if sub.is_dir()
                                             for p in sub.iterdir())):
        mode = path.stat().st_mode
        if mode & 0o077:
            path.chmod(0o700 if path.is_dir() else 0o600)


def make_private_dir(path: Path) -> Path:
    """Create a folder only its owner can read: it holds sales, PIN hashes and, later, the till's secret."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        path.chmod(0o700)
    return path
