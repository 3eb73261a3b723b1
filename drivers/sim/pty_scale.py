"""A serial scale on a pseudo-terminal, answering ``W<CR>`` or streaming Toledo frames from a scripted weight."""

from __future__ import annotations

import time
from decimal import Decimal

from drivers.scale_protocols import W_REQUEST, nci_reply, toledo_frame
from drivers.sim.pty_device import PtyDevice


class PtyScale(PtyDevice):
    """Set ``weight`` (Decimal kg), ``stable``, ``overload`` and ``silent`` at any time.

    ``protocol="toledo"`` streams a frame every ``interval`` seconds; ``"w-request"`` answers each ``W<CR>``.
    A silent scale sends nothing at all (unplugged data cable, wrong baud rate).
    """

    def __init__(self, *, protocol: str = "toledo", interval: float = 0.02) -> None:
        super().__init__()
        self.protocol = protocol
        self.interval = interval
        self.tick = interval
        self.weight = Decimal("0.000")
        self.stable = True
        self.overload = False
        self.silent = False
        self._next = 0.0
        self._requests = b""

    def set(self, weight: Decimal | str | None = None, *, stable: bool | None = None,
            overload: bool | None = None, silent: bool | None = None) -> None:
        if weight is not None:
            self.weight = Decimal(weight)
        for name, value in (("stable", stable), ("overload", overload), ("silent", silent)):
            if value is not None:
                setattr(self, name, value)

    def on_bytes(self, data: bytes) -> None:
        if self.protocol != "w-request":
            return
        self._requests += data
        while W_REQUEST in self._requests:
            _, _, self._requests = self._requests.partition(W_REQUEST)
            if not self.silent:
                self.send(nci_reply(self.weight, stable=self.stable, overload=self.overload))

    def on_idle(self) -> None:
        if self.protocol != "toledo" or self.silent:
            return
        now = time.monotonic()
        if now >= self._next:
            self._next = now + self.interval
            try:
                self.send(toledo_frame(self.weight, stable=self.stable, overload=self.overload))
            except OSError:
                pass  # nobody has the port open and the buffer is full: a real scale just keeps talking
