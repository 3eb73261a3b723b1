"""Every scan is checked before anything is looked up: a bad read is reported as a bad read, never guessed.

The scanner drivers call ``on_scan(code, symbology)`` on their reader thread. ``ScanGate`` sits between them
and the till: it runs ``core.barcodes.parse_scan`` (check digits, GS1 data, in-store layouts) and passes a
good code on to ``on_scan`` and a bad one to ``on_bad_scan`` with the reason. The UI wraps both callbacks in
Qt signals; the CLI prints them. Callbacks run on the scanner's thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from drivers.scanners.wedge import WedgeDetector, WedgeScan, WedgeTyping  # noqa: F401 — for the window

from ..core.barcodes import InStoreLayouts, Scan, parse_scan
from ..core.errors import BarcodeError

log = logging.getLogger(__name__)

OnScan = Callable[[str, "str | None"], None]
OnBadScan = Callable[[str, "str | None", BarcodeError], None]


@dataclass(frozen=True)
class ScanEvent:
    """One read: ``scan`` when the code is well formed, else ``error`` (the reason, for people)."""

    code: str
    symbology: str | None
    scan: Scan | None = None
    error: BarcodeError | None = None

    @property
    def valid(self) -> bool:
        return self.error is None

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "valid": self.valid, "error": self.error.message if self.error else None,
                "symbology": self.symbology}


class ScanGate:
    """Validate each ``(code, symbology)`` from a driver, then call ``on_scan`` or ``on_bad_scan``.

    ``layouts`` are the shop's in-store (scale label) layouts; default: the GS1 ones. ``events`` keeps the
    last reads for a status display; ``wait`` lets a caller block on the next read with a timeout.
    """

    def __init__(self, on_scan: OnScan | None = None, on_bad_scan: OnBadScan | None = None, *,
                 layouts: InStoreLayouts | None = None, keep: int = 50) -> None:
        self.on_scan = on_scan
        self.on_bad_scan = on_bad_scan
        self.layouts = layouts or InStoreLayouts.default()
        self.events: list[ScanEvent] = []
        self.seen = 0
        self._keep = keep
        self._cond = threading.Condition()

    def check(self, code: str, symbology: str | None = None) -> ScanEvent:
        """The verdict on one read, without calling anyone."""
        try:
            return ScanEvent(code, symbology, scan=parse_scan(code, self.layouts, symbology))
        except BarcodeError as exc:
            return ScanEvent(code, symbology, error=exc)

    def __call__(self, code: str, symbology: str | None = None) -> ScanEvent:
        event = self.check(code, symbology)
        with self._cond:
            self.events = (self.events + [event])[-self._keep:]
            self.seen += 1
            self._cond.notify_all()
        if event.valid:
            if self.on_scan is not None:
                self.on_scan(code, symbology)
        else:
            log.info("bad scan %r: %s", code, event.error)
            if self.on_bad_scan is not None:
                self.on_bad_scan(code, symbology, event.error)  # type: ignore[arg-type]
        return event

    def wait(self, count: int, timeout: float) -> bool:
        """Block until at least ``count`` reads were seen (or ``timeout``); returns whether they were."""
        with self._cond:
            return self._cond.wait_for(lambda: self.seen >= count, timeout)
