"""A serial scale read on demand: ``read()`` returns the current reading within the timeout."""

from __future__ import annotations

import time
from decimal import Decimal

from drivers.errors import DeviceTimeout
from drivers.scale_protocols import (
    W_REQUEST,
    WeightReading,
    find_toledo_frame,
    parse_w_reply,
)
from drivers.transports.base import Transport

PROTOCOLS = ("toledo", "w-request")


class SerialScale:
    """``protocol`` is ``"toledo"`` (the scale streams frames; we take the first fresh complete one) or
    ``"w-request"`` (we send ``W<CR>`` and parse the reply, which ends with ``terminator``).

    ``read`` raises ``DeviceTimeout`` when no reading came within ``timeout`` (default: the transport's)
    and ``DeviceOffline`` when the port cannot be opened. ``read_weight`` returns only a stable weight and
    raises ``ScaleNotReady`` (reason unstable, overload, underload, negative, not_ready) otherwise.
    """

    def __init__(self, transport: Transport, *, protocol: str = "toledo", timeout: float | None = None,
                 terminator: bytes = b"\x03") -> None:
        if protocol not in PROTOCOLS:
            raise ValueError(f"scale protocol is one of {PROTOCOLS}")
        self.transport = transport
        self.protocol = protocol
        self.timeout = transport.timeout if timeout is None else timeout
        self.terminator = terminator

    def read(self) -> WeightReading:
        opened_here = not self.transport.is_open
        if opened_here:
            self.transport.open()
        try:
            self.transport.discard_input()  # frames that waited in the buffer are old weights
            if self.protocol == "w-request":
                self.transport.write(W_REQUEST)
                reply = self.transport.read_until(self.terminator, self.timeout)
                try:
                    return parse_w_reply(reply)
                except ValueError as exc:
                    raise DeviceTimeout(f"unreadable scale reply: {exc}", device=self.transport.name) from exc
            return self._next_toledo_frame()
        finally:
            if opened_here:
                self.transport.close()

    def read_weight(self) -> Decimal:
        return self.read().require_stable()

    def _next_toledo_frame(self) -> WeightReading:
        deadline = time.monotonic() + self.timeout
        buffer = b""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DeviceTimeout(f"no weight within {self.timeout:g} s", device=self.transport.name)
            buffer += self.transport.read(64, timeout=remaining)
            reading, buffer = find_toledo_frame(buffer)
            if reading is not None:
                return reading
