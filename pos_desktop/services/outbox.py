"""The outbox as the status bar sees it: how many events wait for the server, and since when."""

from __future__ import annotations

from dataclasses import dataclass

from .context import Context


@dataclass(frozen=True)
class OutboxState:
    unsent: int
    oldest: str | None


def state(ctx: Context) -> OutboxState:
    unsent, oldest = ctx.products.query("SELECT count(*), min(created_at) FROM outbox WHERE sent_at IS NULL")[0]
    return OutboxState(unsent, oldest)
