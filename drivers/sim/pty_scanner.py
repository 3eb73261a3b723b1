"""A serial barcode scanner on a pseudo-terminal: ``scan(code)`` types the code and its suffix."""

from __future__ import annotations

from drivers.sim.pty_device import PtyDevice

SUFFIXES = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n", "": b""}


class PtyScanner(PtyDevice):
    """Writes ``[AIM prefix] code suffix`` to the master side; the driver reads it from ``path``."""

    def __init__(self, *, suffix: str = "CR") -> None:
        super().__init__()
        self.suffix = SUFFIXES[suffix.upper()]

    def scan(self, code: str, *, aim: str | None = None) -> None:
        """One scan; ``aim`` is a symbology identifier such as ``"]E0"`` sent before the code."""
        self.send(((aim or "") + code).encode("latin-1") + self.suffix)
