"""The lines of the JSON files the back-office commands take (``pos count record --file``, ``transfer
create|receive --file``, ``catalog fix --file``): an object holding a list, or the bare list
(read with ``sale_file.read_json_any``)."""

from __future__ import annotations

from typing import Any

from ..core.errors import InvalidInput
from ..core.i18n import _


def _list_of(doc: Any, key: str, what: str) -> list[dict[str, Any]]:
    items = doc.get(key) if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InvalidInput(_("{what}: the file must hold a list of objects").format(what=what), code="bad_json")
    return items
