"""A serial device simulated on a pseudo-terminal: the driver opens ``path`` with pyserial, we hold the master.

The slave is put in raw mode before the driver opens it (pyserial makes it raw too, but bytes written
earlier must not be echoed or turned into line edits), and we keep a slave descriptor open ourselves so the
terminal does not hang up when the driver closes and reopens the port. POSIX only, like pseudo-terminals.
"""

from __future__ import annotations

import os
import select
import threading
import tty
from collections.abc import Callable
from typing import Self


class PtyDevice:
    """Subclasses override ``on_bytes`` (bytes the driver wrote) and may override ``on_idle`` (timer tick)."""

    tick = 0.05  # seconds between on_idle calls when nothing arrives

    def __init__(self) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        self._received = bytearray()
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"sim-{type(self).__name__}", daemon=True)
        self._closed = False
        self.reading = True  # False: the device takes no more bytes, as a jammed printer; writes then block

    def start(self) -> PtyDevice:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        if not self._closed:
            self._closed = True
            os.close(self._master)
            os.close(self._slave)

    def hang_up(self) -> None:
        """Unplug the device: the driver's next read or write on the port fails."""
        self.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def received(self) -> bytes:
        with self._cond:
            return bytes(self._received)

    def send(self, data: bytes) -> None:
        """Bytes from the device to the driver."""
        view = memoryview(data)
        while view:
            view = view[os.write(self._master, view) :]

    def wait_for(self, predicate: Callable[[bytes], bool], timeout: float = 5.0) -> bool:
        """Block until ``predicate(received)`` holds or ``timeout`` passes; returns whether it held."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(bytes(self._received)), timeout)

    def on_bytes(self, data: bytes) -> None:
        """Called on the simulator thread with each chunk the driver wrote."""

    def on_idle(self) -> None:
        """Called on the simulator thread about every ``tick`` seconds."""

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.reading:
                self._stop.wait(self.tick)
                continue
            ready, _, _ = select.select([self._master], [], [], self.tick)
            if ready:
                try:
                    data = os.read(self._master, 65536)
                except OSError:
                    data = b""
                if data:
                    with self._cond:
                        self._received += data
                    self.on_bytes(data)
                    with self._cond:
                        self._cond.notify_all()
            self.on_idle()
