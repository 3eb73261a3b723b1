"""A barcode scanner on a serial port (RS-232, or USB in CDC/"virtual COM" mode)."""

from __future__ import annotations

from collections.abc import Callable

from drivers.errors import DeviceError
from drivers.reader_thread import ReaderThread
from drivers.scanners.aim import split_aim
from drivers.transports.base import Transport

SUFFIXES = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n"}


class SerialScanner(ReaderThread):
    """Calls ``on_scan(code, symbology)`` on its own thread for every code terminated by ``suffix``.

    ``suffix`` is CR, LF or CRLF (a stray LF after CR, or CR before LF, is tolerated). With ``aim`` the
    scanner is expected to send an AIM identifier first; it is split off and passed as ``symbology``
    (otherwise ``symbology`` is None). Codes are decoded as ``encoding`` (Latin-1 if that fails, which is
    lossless), so GS1 separators (GS, 0x1D) stay in the code.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        on_scan: Callable[[str, str | None], None],
        suffix: str = "CR",
        aim: bool = False,
        encoding: str = "utf-8",
        on_error: Callable[[DeviceError], None] | None = None,
        poll: float = 0.1,
    ) -> None:
        super().__init__(transport, on_error=on_error, poll=poll)
        if suffix.upper() not in SUFFIXES:
            raise ValueError("suffix is CR, LF or CRLF")
        self.suffix = SUFFIXES[suffix.upper()]
        self.on_scan = on_scan
        self.aim = aim
        self.encoding = encoding
        self._buffer = b""

    def handle(self, data: bytes) -> None:
        self._buffer += data
        *codes, self._buffer = self._buffer.split(self.suffix)
        if len(self._buffer) > 8192:  # no suffix ever came: a misconfigured scanner, do not grow forever
            self._buffer = b""
        for raw in codes:
            raw = raw.strip(b"\r\n")
            if raw:
                self._deliver(raw)

    def _deliver(self, raw: bytes) -> None:
        try:
            code = raw.decode(self.encoding)
        except UnicodeDecodeError:
            code = raw.decode("latin-1")
        symbology = None
        if self.aim:
            code, symbology = split_aim(code)
        self._call(self.on_scan, code, symbology)
