"""One way to run work off the GUI thread (after Anki's QueryOp).

``runner.run(fn, success=..., failure=...)``: ``fn`` runs on a worker and must not touch a widget; ``success``
or ``failure`` then runs on the GUI thread. The executor is injectable: tests pass ``InlineExecutor`` and the
whole flow runs synchronously, like Picard's FakeThreadPool. Never ``processEvents()`` to keep a screen alive.
"""

from __future__ import annotations

import logging
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, Callable

from .qt import QObject, Signal

log = logging.getLogger(__name__)


class InlineExecutor(Executor):
    """Runs each job at once on the calling thread (tests, and the screenshot script)."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 — handed to the caller through the future
            future.set_exception(exc)
        return future


class _Delivery:
    """What crosses to the GUI thread: always a real object (PySide6 mis-counts references to a bare
    ``None`` sent through a queued ``Signal(object)``; wrapping avoids it)."""

    __slots__ = ("callback", "value")

    def __init__(self, callback: Callable[[Any], None], value: Any) -> None:
        self.callback, self.value = callback, value


class Runner(QObject):
    """Runs callables on an executor and delivers their outcome on the GUI thread."""

    _finished = Signal(object)  # a _Delivery, queued across threads onto the GUI thread

    def __init__(self, executor: Executor | None = None,
                 on_error: Callable[[BaseException], None] | None = None) -> None:
        super().__init__()
        self.executor = executor or ThreadPoolExecutor(max_workers=2, thread_name_prefix="pos-op")
        self.on_error = on_error
        self.pending = 0
        self._finished.connect(self._deliver)

    def run(self, fn: Callable[[], Any], *, success: Callable[[Any], None],
            failure: Callable[[BaseException], None] | None = None) -> None:
        self.pending += 1

        def job() -> None:
            try:
                value = fn()
            except BaseException as exc:  # noqa: BLE001 — reported on the GUI thread
                self._finished.emit(_Delivery(failure or self._default_failure, exc))
            else:
                self._finished.emit(_Delivery(success, value))

        self.executor.submit(job)

    def _deliver(self, delivery: _Delivery) -> None:
        self.pending -= 1
        delivery.callback(delivery.value)

    def _default_failure(self, exc: BaseException) -> None:
        if self.on_error is not None:
            self.on_error(exc)
        else:
            log.error("operation failed", exc_info=exc)

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=False)
