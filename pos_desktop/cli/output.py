"""How the CLI speaks: exactly one JSON document with ``--json``, text otherwise; errors → exit codes."""

from __future__ import annotations

import json
import sys
from typing import Any


def emit(args: Any, doc: Any, text: str | list[str] | None = None) -> None:
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=None) + "\n")
        return
    if text is None:
        text = json.dumps(doc, ensure_ascii=False, indent=2)
    if isinstance(text, list):
        text = "\n".join(text)
    sys.stdout.write(text + "\n")


def emit_error(as_json: bool, doc: dict[str, Any]) -> None:
    if as_json:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
    sys.stderr.write(f"pos: {doc['message']}\n")


def warn(message: str) -> None:
    sys.stderr.write(f"pos: warning: {message}\n")
