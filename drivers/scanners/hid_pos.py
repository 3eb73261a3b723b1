"""USB HID POS scanners (HID usage page 0x8C, "Barcode Scanner"): decode their scanned-data reports.

The common layout (Honeywell, Zebra, Datalogic in HID POS mode) is report ID 2, then a length byte, the three
AIM symbology identifier bytes, the data (zero padded), and a last byte whose bit 0 says that more reports
follow for the same code (long 2D codes).
"""

from __future__ import annotations

USAGE_PAGE_BARCODE_SCANNER = 0x8C
SCANNED_DATA_REPORT_ID = 0x02


class HidPosDecoder:
    """Feed reports in order; ``feed`` returns ``(code, aim)`` when a code is complete, else None.

    ``report_id`` None means the reports carry no ID byte (the device declares no report IDs).
    ``length_includes_aim`` is for scanners whose length byte also counts the three AIM bytes.
    """

    def __init__(self, *, report_id: int | None = SCANNED_DATA_REPORT_ID, length_includes_aim: bool = False,
                 encoding: str = "utf-8") -> None:
        self.report_id = report_id
        self.length_includes_aim = length_includes_aim
        self.encoding = encoding
        self._parts: list[bytes] = []
        self._aim: str | None = None

    def feed(self, report: bytes) -> tuple[str, str | None] | None:
        body = report
        if self.report_id is not None:
            if not report or report[0] != self.report_id:
                return None  # another report (status, attributes): not a scan
            body = report[1:]
        if len(body) < 5:
            return None
        length = body[0] - (3 if self.length_includes_aim else 0)
        aim_bytes = body[1:4].rstrip(b"\x00")
        data = body[4 : 4 + max(0, min(length, len(body) - 5))]
        continued = bool(body[-1] & 0x01)
        if not self._parts and aim_bytes:
            self._aim = aim_bytes.decode("ascii", "replace")
        self._parts.append(data.rstrip(b"\x00"))
        if continued:
            return None
        raw, aim = b"".join(self._parts), self._aim
        self._parts, self._aim = [], None
        if not raw:
            return None
        try:
            code = raw.decode(self.encoding)
        except UnicodeDecodeError:
            code = raw.decode("latin-1")
        if aim is not None and not aim.startswith("]"):
            aim = "]" + aim[:2]  # some scanners leave out the bracket
        return code, aim


def build_hid_pos_report(code: str, aim: str = "]E0", *, size: int = 64, continued: bool = False) -> bytes:
    """The report a HID POS scanner sends for ``code`` (at most ``size - 6`` bytes): for simulators and tests."""
    data = code.encode("utf-8")
    if len(data) > size - 6:
        raise ValueError("code too long for one report")
    body = bytes([len(data)]) + aim.encode("ascii")[:3].ljust(3, b"\x00") + data
    body = body.ljust(size - 2, b"\x00") + bytes([1 if continued else 0])
    return bytes([SCANNED_DATA_REPORT_ID]) + body


def usage_pages(report_descriptor: bytes) -> set[int]:
    """Every Usage Page a HID report descriptor declares (walks its short items; skips long ones)."""
    pages, i = set(), 0
    while i < len(report_descriptor):
        prefix = report_descriptor[i]
        if prefix == 0xFE:  # long item: size in the next byte, then tag, then data
            i += 3 + (report_descriptor[i + 1] if i + 1 < len(report_descriptor) else 0)
            continue
        size = (0, 1, 2, 4)[prefix & 0x03]
        if prefix & 0xFC == 0x04:  # Usage Page, a global item
            pages.add(int.from_bytes(report_descriptor[i + 1 : i + 1 + size], "little"))
        i += 1 + size
    return pages


def is_barcode_scanner(report_descriptor: bytes) -> bool:
    """Whether a HID device (e.g. ``/sys/class/hidraw/hidraw0/device/report_descriptor``) is a HID POS scanner."""
    return USAGE_PAGE_BARCODE_SCANNER in usage_pages(report_descriptor)
