"""One background thread that reads a transport and hands each chunk on: the base of scanners and scales."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from drivers.errors import DeviceError
from drivers.transports.base import Transport

log = logging.getLogger("pos." + __name__)


class ReaderThread:
    """Reads ``transport`` on a daemon thread until ``stop``; each chunk goes to ``handle``.

    ``start`` opens the port on the caller's thread, so ``DeviceOffline`` is raised right there. A fault on
    the thread (unplugged scanner) ends the thread and is passed to ``on_error``. A callback that raises is
    logged and ignored: a bug in the screen must not silence the scanner. Callbacks run on this thread; the
    UI turns them into signals. ``stop`` returns within about ``poll`` seconds.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        on_error: Callable[[DeviceError], None] | None = None,
        poll: float = 0.1,
        chunk: int = 256,
    ) -> None:
        self.transport = transport
        self.on_error = on_error
        self.poll = poll
        self.chunk = chunk
        self.error: DeviceError | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        if not self.transport.is_open:
            self.transport.open()
        self._stop.clear()
        self.error = None
        self._thread = threading.Thread(target=self._run, name=f"{type(self).__name__}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=self.poll + self.transport.timeout + 1)
        self.transport.close()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def handle(self, data: bytes) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.transport.read(self.chunk, timeout=self.poll)
            except DeviceError as exc:
                self.error = exc
                log.warning("%s stopped: %s", self.transport.name, exc)
                self._call(self.on_error, exc)
                return
            if data:
                self.handle(data)

    @staticmethod
    def _call(callback: Callable | None, *args: object) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:
            log.exception("device callback failed")
