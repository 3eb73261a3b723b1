"""A USB HID scanner read report by report, through pyusb (``UsbTransport(transfer="interrupt")``) or a
``/dev/hidrawN`` file (``FileTransport``)."""

from __future__ import annotations

from collections.abc import Callable

from drivers.errors import DeviceError
from drivers.reader_thread import ReaderThread
from drivers.scanners.hid_keyboard import HidKeyboardDecoder
from drivers.scanners.hid_pos import HidPosDecoder
from drivers.transports.base import Transport


class HidScanner(ReaderThread):
    """Calls ``on_scan(code, symbology)`` for every code decoded from the device's input reports.

    ``decoder`` is a ``HidPosDecoder`` (usage page 0x8C, symbology from the AIM bytes) or a
    ``HidKeyboardDecoder`` (keyboard mode, symbology None). Each read returns one report.
    """

    def __init__(
        self,
        transport: Transport,
        decoder: HidPosDecoder | HidKeyboardDecoder,
        *,
        on_scan: Callable[[str, str | None], None],
        on_error: Callable[[DeviceError], None] | None = None,
        poll: float = 0.1,
        report_size: int = 64,
    ) -> None:
        super().__init__(transport, on_error=on_error, poll=poll, chunk=report_size)
        self.decoder = decoder
        self.on_scan = on_scan

    def handle(self, report: bytes) -> None:
        if isinstance(self.decoder, HidKeyboardDecoder):
            for code in self.decoder.feed(report):
                self._call(self.on_scan, code, None)
            return
        found = self.decoder.feed(report)
        if found is not None:
            self._call(self.on_scan, *found)
