"""``pos diagnostics --out FILE.zip``: a support bundle (services/diagnostics.py). It needs no login — it must
work when the database is damaged or nobody can sign in — and it changes nothing."""

from __future__ import annotations

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
    diag.add_argument("--out", required=True, help="the zip file to write")
    diag.add_argument("--full-check", action="store_true",
                      help="SQLite's full integrity_check instead of quick_check (slow on a big database)")


def cmd_diagnostics(args: Any) -> int:
    folder = data_dir(args)
    if folder.exists():
        logs.setup(folder)
    bundle = diagnostics.write_bundle(folder, Path(args.out), full_check=args.full_check)
    lines = [_("Support bundle written to {path} ({count} files)").format(path=bundle.out,
                                                                         count=len(bundle.members))]
    lines += [_("Problem: {problem}").format(problem=problem) for problem in bundle.problems]
    if not bundle.problems:
        lines.append(_("No problem found"))
    emit(args, bundle.to_json(), lines)
    return 0
