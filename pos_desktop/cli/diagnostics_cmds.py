"""``pos diagnostics [--out FILE.zip]``: a support bundle (services/diagnostics.py). It needs no login — it must
work when the database is damaged or nobody can sign in — and it changes nothing. Without ``--out`` it goes
on the desktop of the user who runs it (what the Windows Start menu's *Support bundle* does)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from .. import logs
from ..core.i18n import _
from ..services import diagnostics
from .common import data_dir
from .output import emit


def register(commands: Any, command: Any) -> None:
    """Add ``pos diagnostics`` to the ``pos`` parser."""
    diag = command("diagnostics", cmd_diagnostics,
                   "write a support bundle: versions, config and logs without secrets, integrity, sync status")
    diag.add_argument("--out", help="the zip file to write (default: pos-diagnostics-<time>.zip on the desktop)")
    diag.add_argument("--full-check", action="store_true",
                      help="SQLite's full integrity_check instead of quick_check (slow on a big database)")


def default_out(now: datetime, home: Path | None = None) -> Path:
    """``Desktop/pos-diagnostics-YYYYMMDD-HHMMSS.zip`` in the user's home (the home itself without a desktop)."""
    home = home or Path.home()
    folder = home / "Desktop" if (home / "Desktop").is_dir() else home
    return folder / f"pos-diagnostics-{now:%Y%m%d-%H%M%S}.zip"


def cmd_diagnostics(args: Any) -> int:
    folder = data_dir(args)
    if folder.exists():
        logs.setup(folder)
    out = Path(args.out) if args.out else default_out(datetime.now())
    bundle = diagnostics.write_bundle(folder, out, full_check=args.full_check)
    lines = [_("Support bundle written to {path} ({count} files)").format(path=bundle.out,
                                                                         count=len(bundle.members))]
    lines += [_("Problem: {problem}").format(problem=problem) for problem in bundle.problems]
    if not bundle.problems:
        lines.append(_("No problem found"))
    emit(args, bundle.to_json(), lines)
    return 0
