"""The behaviour shared by every simulated receipt printer: what it received and how it answers status."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, fields


@dataclass
class PrinterState:
    """The scriptable condition of a simulated printer."""

    online: bool = True
    cover_open: bool = False
    paper_near_end: bool = False
    paper_end: bool = False
    drawer_open: bool = False
    error: bool = False


class PrinterModel:
    """Records every byte and answers ``DLE EOT n`` from ``state`` (unless ``answer_status`` is off).

    Status bytes follow the Epson layout (bits 1 and 4 always set); the drawer bit is set when the drawer
    is open (the "high means open" wiring). Thread-safe; ``wait_for`` blocks on a condition, not a sleep.
    """

    def __init__(self, state: PrinterState | None = None) -> None:
        self.state = state or PrinterState()
        self.answer_status = True
        self._received = bytearray()
        self._tail = b""  # last bytes of the previous chunk, so a DLE EOT split across reads is still seen
        self._cond = threading.Condition()

    @property
    def received(self) -> bytes:
        with self._cond:
            return bytes(self._received)

    def clear(self) -> None:
        with self._cond:
            self._received.clear()
            self._tail = b""

    def set_state(self, **changes: bool) -> None:
        names = {f.name for f in fields(PrinterState)}
        with self._cond:
            for key, value in changes.items():
                if key not in names:
                    raise AttributeError(key)
                setattr(self.state, key, value)

    def feed(self, data: bytes) -> bytes:
        """Take bytes from the host; return the replies the printer sends back."""
        with self._cond:
            self._received += data
            queries = self._queries(data)
            self._cond.notify_all()
            if not self.answer_status:
                return b""
            return bytes(b for b in (self.status_byte(n) for n in queries) if b is not None)

    def _queries(self, data: bytes) -> list[int]:
        buf = self._tail + data
        found = []
        i = buf.find(b"\x10\x04")
        while 0 <= i < len(buf) - 2:
            found.append(buf[i + 2])
            i = buf.find(b"\x10\x04", i + 3)
        # a query cut in two by the transport is completed by the next chunk
        self._tail = buf[-2:] if buf.endswith(b"\x10\x04") else (b"\x10" if buf.endswith(b"\x10") else b"")
        return found

    def status_byte(self, n: int) -> int | None:
        s = self.state
        if n == 1:
            return 0x12 | (0x04 if s.drawer_open else 0) | (0 if s.online and not (s.cover_open or s.paper_end
                                                                                   or s.error) else 0x08)
        if n == 2:
            return 0x12 | (0x04 if s.cover_open else 0) | (0x20 if s.paper_end else 0) | (0x40 if s.error else 0)
        if n == 3:
            return 0x12 | (0x20 if s.error else 0)
        if n == 4:
            return 0x12 | (0x0C if s.paper_near_end else 0) | (0x60 if s.paper_end else 0)
        return None

    def wait_for(self, predicate: Callable[[bytes], bool], timeout: float = 5.0) -> bool:
        """Block until ``predicate(received)`` holds or ``timeout`` passes; returns whether it held."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(bytes(self._received)), timeout)

    def notify(self) -> None:
        with self._cond:
            self._cond.notify_all()
