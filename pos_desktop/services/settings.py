"""Changing store settings (tax mode, cash rounding, receipt texts, quick keys, …): admin, journaled."""

from __future__ import annotations

import json
from typing import Any

from ..core.permissions import Action
from ..core.store_settings import parse_setting
from .auth import Operator, require
from .context import Context
from .unit import write


def update_settings(ctx: Context, operator: Operator, values: dict[str, Any]) -> dict[str, Any]:
    """Validate and store ``values`` (``settings.edit``); one transaction with a journal entry and the
    ``settings.changed`` outbox event. ``ctx.settings`` follows. Returns what was stored."""
    require(operator, Action.SETTINGS)
    parsed = {name: parse_setting(name, value) for name, value in values.items()}
    with write(ctx) as unit:
        for name, value in parsed.items():
            unit.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) "
                              "DO UPDATE SET value = excluded.value", (name, json.dumps(value, ensure_ascii=False)))
        digest = unit.journal("settings_changed", None, parsed, user=operator.username)
        unit.outbox("settings.changed", parsed, digest)
    ctx.settings.update(parsed)
    return parsed
