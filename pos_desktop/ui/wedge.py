"""Keyboard-wedge scanners, wherever the focus is.

A wedge scanner types its code like a keyboard, 8–16 ms a key; a person needs more than 80 ms. This filter
watches the keys of the checkout's other typing fields (the look-up box): a fast burst of at least
``MIN_SCAN`` characters ended by Enter there is taken out of the field and handed to the checkout as a scan —
the cashier scanned while the cursor was in the wrong box. Slower typing is left alone. The scan field needs
no help (Enter adds), and a dialog's field keeps what is scanned into it (a member card in the member box).
"""

from __future__ import annotations

import time
from typing import Callable

from ..devices import WedgeDetector, WedgeScan
from .qt import QEvent, QLineEdit, QObject, Qt

MIN_SCAN = 8          # EAN-8 and up; a look-up of a few fast keys is never mistaken for a scan
MAX_GAP = 0.035
WATCHED = frozenset({"lookupInput"})


class WedgeFilter(QObject):
    """``active()`` says when a scan may be taken (the checkout is on screen); a burst is counted per field."""

    def __init__(self, on_scan: Callable[[str], None], clock: Callable[[], float] = time.monotonic,
                 active: Callable[[], bool] = lambda: True) -> None:
        super().__init__()
        self.on_scan, self.active, self.clock = on_scan, active, clock
        self.field: QObject | None = None
        self.detector = WedgeDetector(max_gap=MAX_GAP, min_length=MIN_SCAN, clock=clock)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt's name
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QLineEdit):
            return False
        if watched is not self.field:  # keys typed into another field never join this burst
            self.field = watched
            self.detector = WedgeDetector(max_gap=MAX_GAP, min_length=MIN_SCAN, clock=self.clock)
        if watched.objectName() not in WATCHED or not self.active():
            return False
        key, text = event.key(), event.text()
        char = "\r" if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) else text
        if not char:
            return False
        for found in self.detector.feed(char):
            if isinstance(found, WedgeScan) and char == "\r":
                typed = watched.text()
                if typed.endswith(found.code):
                    watched.setText(typed[: -len(found.code)])
                self.on_scan(found.code)
                return True  # the scanner's Enter must not also "press" the field's default action
        return False
