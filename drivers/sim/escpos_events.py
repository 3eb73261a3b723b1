"""What the ESC/POS decoder finds in a byte stream, in the order a person would see it on paper."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TextLine:
    """One printed line and the style it started with (width/height are multipliers)."""

    text: str
    bold: bool = False
    underline: int = 0
    width: int = 1
    height: int = 1
    align: str = "left"
    invert: bool = False


@dataclass(frozen=True)
class Cut:
    partial: bool


@dataclass(frozen=True)
class DrawerPulse:
    """A drawer kick: connector pin (2 or 5) and pulse on/off times in milliseconds."""

    pin: int
    on_ms: int
    off_ms: int


@dataclass(frozen=True)
class Barcode:
    kind: str
    data: str


@dataclass(frozen=True)
class QrCode:
    data: str
    size: int | None = None
    ec: str | None = None


@dataclass(frozen=True)
class RasterImage:
    """A bit image: ``data`` holds rows of ``width // 8`` bytes, most significant bit first, 1 = black."""

    width: int
    height: int
    data: bytes = field(repr=False)

    def pixel(self, x: int, y: int) -> bool:
        byte = self.data[y * (self.width // 8) + x // 8]
        return bool(byte & (0x80 >> (x % 8)))

    def ink_rows(self) -> list[int]:
        """Indexes of rows that have at least one black dot."""
        stride = self.width // 8
        return [y for y in range(self.height) if any(self.data[y * stride : (y + 1) * stride])]

    def black_dots(self) -> int:
        return sum(b.bit_count() for b in self.data)


@dataclass(frozen=True)
class StatusQuery:
    """``DLE EOT n`` found in the stream."""

    n: int


@dataclass(frozen=True)
class Init:
    """``ESC @``."""


@dataclass(frozen=True)
class Unknown:
    """A command the decoder does not know; ``data`` is its first bytes."""

    data: bytes


@dataclass
class DecodedReceipt:
    """Everything found, in order, plus views by kind."""

    items: list = field(default_factory=list)

    def _of(self, kind: type) -> list:
        return [item for item in self.items if isinstance(item, kind)]

    @property
    def text_lines(self) -> list[TextLine]:
        return self._of(TextLine)

    @property
    def lines(self) -> list[str]:
        """Printed text lines, without the blank lines fed out at the end of each receipt."""
        lines = [line.text for line in self.text_lines]
        while lines and not lines[-1].strip():
            lines.pop()
        return lines

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def cuts(self) -> list[Cut]:
        return self._of(Cut)

    @property
    def drawer_pulses(self) -> list[DrawerPulse]:
        return self._of(DrawerPulse)

    @property
    def barcodes(self) -> list[Barcode]:
        return self._of(Barcode)

    @property
    def qr_codes(self) -> list[QrCode]:
        return self._of(QrCode)

    @property
    def images(self) -> list[RasterImage]:
        return self._of(RasterImage)

    @property
    def status_queries(self) -> list[int]:
        return [q.n for q in self._of(StatusQuery)]

    @property
    def unknown(self) -> list[bytes]:
        return [u.data for u in self._of(Unknown)]

    def line_with(self, fragment: str) -> TextLine:
        """The first line containing ``fragment`` (``LookupError`` when there is none)."""
        for line in self.text_lines:
            if fragment in line.text:
                return line
        raise LookupError(f"no printed line contains {fragment!r}")

    def pages(self) -> list[list[str]]:
        """Text lines grouped by cut: one list per piece of paper a customer would tear off."""
        pages, page = [], []
        for item in self.items:
            if isinstance(item, TextLine):
                page.append(item.text)
            elif isinstance(item, Cut):
                pages.append(_strip_blank_tail(page))
                page = []
        if any(line.strip() for line in page):
            pages.append(_strip_blank_tail(page))
        return pages


def _strip_blank_tail(lines: list[str]) -> list[str]:
    lines = list(lines)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines
