"""Reading the JSON files the back-office commands take (``pos count record --file``, ``transfer create|receive
--file``, ``catalog fix --file``): an object or a bare list, numbers as exact decimals."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput
from ..core.i18n import _
from .sale_file import read_json


def _list_of(doc: Any, key: str, what: str) -> list[dict[str, Any]]:
    items = doc.get(key) if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InvalidInput(_("{what}: the file must hold a list of objects").format(what=what), code="bad_json")
    return items


def _read_any(path: str) -> Any:
    """A JSON file holding an object or a list (numbers as exact decimals)."""
    import json

    try:
        return read_json(path)
    except InvalidInput as exc:
        if exc.code != "bad_json":
            raise
        try:
            return json.loads(Path(path).read_text(encoding="utf-8-sig"), parse_float=Decimal)
        except ValueError:
            raise exc from None
