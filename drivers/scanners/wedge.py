"""Tell a keyboard-wedge scanner from a person typing, by the time between keystrokes.

A wedge scanner "types" its code into whatever field has focus, 8–16 ms per character; a person needs more
than 80 ms. Feed every character with its time; a burst of at least ``min_length`` characters, each within
``max_gap`` of the previous one, is a scan; anything else is typing. Pure: the clock is whatever times you
pass in (``time.monotonic`` by default), so tests need no waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class WedgeScan:
    """A complete scan; its characters had already been typed into the field (remove them there)."""

    code: str
    started: float
    ended: float


@dataclass(frozen=True)
class WedgeTyping:
    """Characters a person typed."""

    text: str


class WedgeDetector:
    """Classify keystrokes into scans and typing.

    ``feed`` returns what became certain with this character: the burst it ended (a character after a
    long gap closes the previous burst) and, for a terminator (Enter, Tab), the burst it completes. A burst
    still open is reported by ``flush(now)`` once ``max_gap`` has passed: call it from a timer at
    ``deadline``.
    """

    def __init__(
        self,
        *,
        max_gap: float = 0.035,
        min_length: int = 4,
        terminators: str = "\r\n\t",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_gap <= 0 or min_length < 1:
            raise ValueError("max_gap must be positive and min_length at least 1")
        self.max_gap = max_gap
        self.min_length = min_length
        self.terminators = terminators
        self.clock = clock
        self._chars: list[str] = []
        self._first = 0.0
        self._last = 0.0

    @property
    def pending(self) -> str:
        return "".join(self._chars)

    @property
    def deadline(self) -> float | None:
        """When the open burst ends if no key comes: call ``flush`` then. None when nothing is pending."""
        return self._last + self.max_gap if self._chars else None

    def feed(self, char: str, at: float | None = None) -> list[WedgeScan | WedgeTyping]:
        at = self.clock() if at is None else at
        events: list[WedgeScan | WedgeTyping] = []
        if self._chars and at - self._last > self.max_gap:
            events.extend(self._close())
        if char in self.terminators:
            if self._chars:
                burst = self._close()
                if isinstance(burst[0], WedgeScan):
                    return events + burst  # the scanner's own suffix: swallowed, not typed
                events.extend(burst)
            events.append(WedgeTyping(char))
            return events
        if not self._chars:
            self._first = at
        self._chars.append(char)
        self._last = at
        return events

    def flush(self, now: float | None = None) -> list[WedgeScan | WedgeTyping]:
        """Close the open burst if ``max_gap`` has passed since its last key."""
        now = self.clock() if now is None else now
        if self._chars and now - self._last > self.max_gap:
            return self._close()
        return []

    def _close(self) -> list[WedgeScan | WedgeTyping]:
        text, self._chars = "".join(self._chars), []
        if len(text) >= self.min_length:
            return [WedgeScan(text, self._first, self._last)]
        return [WedgeTyping(text)]
