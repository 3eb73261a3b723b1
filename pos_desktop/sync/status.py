"""What ``pos sync status`` prints and the window's status bar shows; read from the database and ``sync.json``
without a network call (a till that is offline must still say so at once)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..services import sync_state
from ..services.context import Context
from . import config as sync_config


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server: str | None
    online: bool
    pending: int
    last_sync: str | None
    last_error: dict[str, Any] | None
    acked_through: int | None
    clock_skew_seconds: int | None
    clock_skew_since: str | None
    needs_reenrol: bool
    push_acked: bool

    @property
    def synced(self) -> bool:
        """Honest: only when enrolled, not refused, nothing waits and the last push was acknowledged."""
        return self.enrolled and not self.needs_reenrol and self.pending == 0 and self.push_acked

    @property
    def clock_off(self) -> bool:
        return self.clock_skew_since is not None

    def to_json(self) -> dict[str, Any]:
        return {"enrolled": self.enrolled, "server": self.server, "online": self.online, "pending": self.pending,
                "last_sync": self.last_sync, "last_error": self.last_error, "acked_through": self.acked_through,
                "clock_skew_seconds": self.clock_skew_seconds, "needs_reenrol": self.needs_reenrol,
                "synced": self.synced, "clock_skew_since": self.clock_skew_since}


def read_status(ctx: Context) -> SyncStatus:
    try:
        config = sync_config.load(ctx.data_dir)
    except Exception:  # noqa: BLE001 - an unreadable sync.json reads as "not enrolled"; pos enrol says why
        config = None
    state = sync_state.load(ctx)
    return SyncStatus(enrolled=config is not None, server=config.server if config else None,
                      online=state.online and config is not None, pending=sync_state.pending(ctx),
                      last_sync=state.last_sync, last_error=state.last_error, acked_through=state.acked_through,
                      clock_skew_seconds=state.clock_skew_seconds, clock_skew_since=state.clock_skew_since,
                      needs_reenrol=state.needs_reenrol, push_acked=state.push_acked)
