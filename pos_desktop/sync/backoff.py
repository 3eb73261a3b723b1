"""Exponential backoff with full jitter (2 s base, 5 min cap), honouring ``Retry-After``.

The n-th consecutive failure waits a uniformly random time in [0, min(cap, base · 2ⁿ⁻¹)] ("full jitter":
tills that lost the server together do not come back together). A server that says when to come back
(``Retry-After`` on 429/503) is waited for at least that long. The random source is injectable for tests.
"""

from __future__ import annotations

import random

BASE_SECONDS = 2.0
CAP_SECONDS = 300.0
RETRY_AFTER_CAP_SECONDS = 3600.0


class Backoff:
    def __init__(self, rng: random.Random | None = None, base: float = BASE_SECONDS, cap: float = CAP_SECONDS):
        self.rng = rng or random.Random()
        self.base, self.cap = base, cap
        self.failures = 0

    def ceiling(self) -> float:
        """The longest the current failure may wait: base · 2ⁿ⁻¹, at most the cap."""
        return min(self.cap, self.base * 2 ** min(self.failures - 1, 30)) if self.failures else 0.0

    def next_delay(self, retry_after: float | None = None) -> float:
        """Count one more failure and say how long to wait before the next attempt."""
        self.failures += 1
        delay = self.rng.uniform(0.0, self.ceiling())
        if retry_after is not None:
            delay = max(delay, min(float(retry_after), RETRY_AFTER_CAP_SECONDS))
        return delay

    def reset(self) -> None:
        self.failures = 0
