"""The byte pipe every driver talks through.

A transport opens, writes, reads and closes; nothing else. Every call is bounded by a timeout: ``write`` either
hands over every byte or raises within ``timeout`` seconds, ``read`` returns what arrived (possibly ``b""``)
within the timeout it is given. Faults are the typed errors of ``drivers.errors``.
"""

from __future__ import annotations

import abc
import time
from typing import Self

from drivers.errors import DeviceTimeout

DEFAULT_TIMEOUT = 2.0


class Transport(abc.ABC):
    """Open/write/read/close over one port, usable as a context manager (which opens and closes it)."""

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.timeout = float(timeout)

    @property
    @abc.abstractmethod
    def name(self) -> str:
        """A short description of the port for messages, e.g. ``tcp://10.0.0.5:9100``."""

    @property
    @abc.abstractmethod
    def is_open(self) -> bool: ...

    @abc.abstractmethod
    def open(self) -> None:
        """Connect within ``timeout``; raises ``DeviceOffline`` when the device cannot be reached."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the port. Never raises; closing a closed transport does nothing."""

    @abc.abstractmethod
    def write(self, data: bytes) -> None:
        """Send every byte of ``data`` or raise ``DeviceTimeout``/``ConnectionLost`` within ``timeout``."""

    @abc.abstractmethod
    def read(self, n: int, timeout: float | None = None) -> bytes:
        """Return 1..n bytes as soon as any arrive, or ``b""`` when none did within ``timeout``.

        ``timeout`` defaults to the transport's own; ``0`` only takes what is already waiting. Raises
        ``ConnectionLost`` when the other side has gone away.
        """

    def discard_input(self) -> int:
        """Throw away bytes already waiting (stale replies), without waiting for more. Returns how many."""
        dropped = 0
        for _ in range(64):  # bounded: a device that streams forever must not keep us here
            chunk = self.read(4096, timeout=0)
            if not chunk:
                break
            dropped += len(chunk)
        return dropped

    def read_until(self, terminator: bytes, timeout: float | None = None, *, limit: int = 4096) -> bytes:
        """Read up to and including ``terminator``; ``DeviceTimeout`` when it has not come within ``timeout``."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        buf = bytearray()
        while terminator not in buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or len(buf) >= limit:
                raise DeviceTimeout(f"no complete reply within {timeout or self.timeout:g} s", device=self.name)
            # one byte at a time: whatever follows the terminator belongs to the next reply
            buf += self.read(1, timeout=remaining)
        end = buf.index(terminator) + len(terminator)
        return bytes(buf[:end])

    def __enter__(self) -> Self:
        if not self.is_open:
            self.open()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"
