"""The clock is passed in, never patched: shift close, expiry and reports depend on it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware datetime in the till's local time zone."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now().astimezone()


class FixedClock:
    """A clock for tests and for replaying history (the demo): it moves only when told."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            at = at.replace(tzinfo=timezone.utc)
        self._at = at

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at

    def advance(self, **delta: float) -> datetime:
        self._at += timedelta(**delta)
        return self._at


def iso(at: datetime) -> str:
    """ISO 8601 with offset, to the second: how times are stored and printed."""
    return at.isoformat(timespec="seconds")


def utc_text(at: datetime) -> str:
    """A UTC instant as sortable text, for comparisons in SQL (``valid_from``, promotion ranges)."""
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc_text(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
