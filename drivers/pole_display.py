"""Customer pole displays (VFD, 2 lines × 20 columns): CD5220 and Epson ESC/POS display command sets.

Text is laid out by display width (a Chinese character takes two columns), truncated and padded to exactly
one line, then encoded for the display. Amounts arrive as display strings ("12.50"): no money arithmetic here.
The display sits on its own serial port, or behind a printer (``via_printer``), where ``ESC = 2`` routes the
bytes to it and ``ESC = 1`` gives the port back to the printer.
"""

from __future__ import annotations

from drivers.printing.text_width import display_width, pad, truncate
from drivers.transports.base import Transport

ESC, US, FF, CR = b"\x1b", b"\x1f", b"\x0c", b"\r"
SELECT_DISPLAY, SELECT_PRINTER = ESC + b"=\x02", ESC + b"=\x01"


class DisplayProtocol:
    """The bytes of one display command set."""

    name = ""

    def init(self) -> bytes:
        return ESC + b"@"

    def clear(self) -> bytes:
        return FF

    def line(self, row: int, data: bytes) -> bytes:
        raise NotImplementedError


class CD5220(DisplayProtocol):
    """``ESC Q A`` text ``CR`` writes the upper line, ``ESC Q B`` text ``CR`` the lower one."""

    name = "cd5220"

    def line(self, row: int, data: bytes) -> bytes:
        return ESC + b"Q" + (b"A" if row == 1 else b"B") + data + CR


class EpsonDisplay(DisplayProtocol):
    """Epson DM-D: ``US $ x y`` moves the cursor (1-based), then the text overwrites the line."""

    name = "epson"

    def line(self, row: int, data: bytes) -> bytes:
        return US + b"$" + bytes((1, row)) + data


PROTOCOLS = {"cd5220": CD5220, "epson": EpsonDisplay}


class PoleDisplay:
    """Two lines of ``width`` columns. ``render_*`` return bytes; ``show_*`` render and write them.

    Without a transport only ``render_*`` can be used (to chain the bytes behind a printer job).
    """

    def __init__(
        self,
        transport: Transport | None = None,
        *,
        protocol: str = "cd5220",
        width: int = 20,
        encoding: str = "cp437",
        via_printer: bool = False,
    ) -> None:
        if protocol not in PROTOCOLS:
            raise ValueError(f"display protocol is one of {sorted(PROTOCOLS)}")
        self.transport = transport
        self.protocol = PROTOCOLS[protocol]()
        self.width = width
        self.encoding = encoding
        self.via_printer = via_printer
        self._ambiguous = 2 if encoding.lower().replace("-", "") in ("gb18030", "gbk", "gb2312", "big5") else 1

    # -------------------------------------------------------------- render
    def _wrap(self, body: bytes) -> bytes:
        return SELECT_DISPLAY + body + SELECT_PRINTER if self.via_printer else body

    def _printable(self, text: str) -> str:
        # replace what the display cannot show *before* measuring: "?" is one column, a Chinese character two
        try:
            text.encode(self.encoding)
            return text
        except UnicodeEncodeError:
            return "".join(ch if _encodable(ch, self.encoding) else "?" for ch in text)

    def _fit(self, text: str, align: str = "left") -> bytes:
        return pad(self._printable(text), self.width, align, ambiguous=self._ambiguous).encode(self.encoding)

    def render_clear(self) -> bytes:
        return self._wrap(self.protocol.init() + self.protocol.clear())

    def render_line(self, row: int, text: str, *, align: str = "left") -> bytes:
        """Rewrite one line (1 upper, 2 lower), leaving the other as it is."""
        if row not in (1, 2):
            raise ValueError("a pole display has lines 1 and 2")
        return self._wrap(self.protocol.line(row, self._fit(text, align)))

    def render_lines(self, line1: str, line2: str = "", *, align2: str = "left") -> bytes:
        return self._wrap(self.protocol.line(1, self._fit(line1)) + self.protocol.line(2, self._fit(line2, align2)))

    def _pair_text(self, left: str, right: str) -> str:
        left, right = self._printable(left), self._printable(right)
        right = truncate(right, self.width, ambiguous=self._ambiguous)
        room = self.width - display_width(right, ambiguous=self._ambiguous) - 1
        left = truncate(left, max(room, 0), ambiguous=self._ambiguous)
        gap = self.width - display_width(left, ambiguous=self._ambiguous) - display_width(right, ambiguous=self._ambiguous)
        return left + " " * gap + right

    def render_item(self, name: str, price: str, *, qty: str | None = None) -> bytes:
        """Line 1 the product name, line 2 the quantity (if any) and the price, flush right."""
        return self.render_lines(name, self._pair_text(f"x{qty}" if qty else "", price))

    def render_total(self, total: str, *, label: str = "TOTAL") -> bytes:
        return self.render_lines(label, self._pair_text("", total))

    def render_change(self, paid: str, change: str, *, paid_label: str = "PAID", change_label: str = "CHANGE") -> bytes:
        return self.render_lines(self._pair_text(paid_label, paid), self._pair_text(change_label, change))

    # ---------------------------------------------------------------- send
    def _send(self, data: bytes) -> None:
        if self.transport is None:
            raise RuntimeError("this display has no transport: use the render_* methods")
        opened_here = not self.transport.is_open
        if opened_here:
            self.transport.open()
        try:
            self.transport.write(data)
        finally:
            if opened_here:
                self.transport.close()

    def clear(self) -> None:
        self._send(self.render_clear())

    def write_line(self, row: int, text: str, *, align: str = "left") -> None:
        self._send(self.render_line(row, text, align=align))

    def show(self, line1: str, line2: str = "") -> None:
        self._send(self.render_lines(line1, line2))

    def show_item(self, name: str, price: str, *, qty: str | None = None) -> None:
        self._send(self.render_item(name, price, qty=qty))

    def show_total(self, total: str, *, label: str = "TOTAL") -> None:
        self._send(self.render_total(total, label=label))

    def show_change(self, paid: str, change: str, *, paid_label: str = "PAID", change_label: str = "CHANGE") -> None:
        self._send(self.render_change(paid, change, paid_label=paid_label, change_label=change_label))


def _encodable(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False
