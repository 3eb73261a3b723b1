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
