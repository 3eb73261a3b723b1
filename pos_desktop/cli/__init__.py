"""The headless ``pos`` command (CLI.md): the same services as the screen, no second path that writes."""

from __future__ import annotations

import logging
import os
import sqlite3
import sys

from sqlalchemy.exc import DatabaseError as SADatabaseError

from ..core.errors import PosError
from ..core.i18n import set_language
from ..malloc import limit_arenas
from ..services.till import damaged, is_corruption
from .output import emit_error

log = logging.getLogger(__name__)


def _language() -> str:
    lang = os.environ.get("POS_LANG") or os.environ.get("LANGUAGE") or os.environ.get("LANG") or ""
    return "zh_CN" if lang.startswith("zh") else "en"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    as_json = "--json" in argv
    set_language(_language())
    limit_arenas()            # memory stays flat through a day (pos_desktop/malloc.py)
    umask = os.umask(0o077)   # the till's data, backups and reports: owner-only (docs/security.md)
    try:
        from .parser import build_parser
        args = build_parser().parse_args(argv)
        return int(args.handler(args) or 0)
    except PosError as exc:
        emit_error(as_json, exc.to_json())
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the one place an unexpected error becomes a message, and a log entry
        if isinstance(exc, (sqlite3.DatabaseError, SADatabaseError)) and is_corruption(exc):
            log.error("database damaged: %s", exc)
            error = damaged(str(exc))
            emit_error(as_json, error.to_json())
            return error.exit_code
        log.exception("unexpected error")
        emit_error(as_json, {"error": "internal", "message": f"{type(exc).__name__}: {exc}"})
        return 1
    finally:
        os.umask(umask)
