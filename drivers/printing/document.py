"""Build one receipt as one bytes blob, sent to the printer in one write.

python-escpos's ``Dummy`` printer supplies the command set (styles, barcodes, QR, raster images, cut,
drawer); text goes through our own ``TextEncoder`` so Chinese comes out in the printer's encoding, and lines
the printer cannot print are drawn as images when the profile asks for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

_root_handlers = list(logging.getLogger().handlers)
from escpos.capabilities import get_profile
from escpos.constants import QR_ECLEVEL_H, QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q
from escpos.printer import Dummy
from PIL import Image, ImageFont

# python-escpos calls logging.basicConfig() when imported, which would copy every warning of the whole
# program to stderr (a CLI's JSON users see it as noise); logging is the application's to configure.
for _handler in logging.getLogger().handlers:
    if _handler not in _root_handlers:
        logging.getLogger().removeHandler(_handler)

from drivers.printing import commands, text_width
from drivers.printing.raster_text import load_cjk_font, render_lines
from drivers.printing.text_encoder import TextEncoder

QR_LEVELS = {"L": QR_ECLEVEL_L, "M": QR_ECLEVEL_M, "Q": QR_ECLEVEL_Q, "H": QR_ECLEVEL_H}
FONT_A_DOTS = 12  # font A is 12 x 24 dots on 203 dpi receipt printers: one column is 12 dots wide


@dataclass(frozen=True)
class PrinterProfile:
    """What the layout needs to know about one printer.

    ``width`` is characters per line (32 for 58 mm paper, 48 for 80 mm); ``fallback`` says what to do with a
    line the encoding cannot represent: ``"raster"`` draws it as an image, ``"replace"`` prints ``?``.
    """

    encoding: str = "gb18030"
    width: int = text_width.RECEIPT_80MM
    kanji_mode: bool = False
    fallback: str = "raster"
    font_path: str | None = None
    dots: int | None = None

    @property
    def paper_dots(self) -> int:
        return self.dots or self.width * FONT_A_DOTS


@lru_cache(maxsize=8)
def _escpos_profile(dots: int):
    # The default profile does not know the paper width, so python-escpos would print a warning on every
    # image. Give this instance its own data (the class-level dict is shared by every Dummy).
    profile = get_profile("default")
    data = dict(profile.profile_data)
    data["media"] = {"dpi": 203, "width": {"mm": "Unknown", "pixels": dots}}
    profile.profile_data = data
    return profile


class ReceiptDocument:
    """A receipt under construction. Methods append; ``to_bytes`` returns everything so far.

    The bytes start with ``ESC @`` and the encoder's set-up, so a job never depends on what the previous job
    left behind. Every text line is laid out in display columns and never exceeds ``columns``.
    """

    def __init__(self, profile: PrinterProfile | None = None, *, font: ImageFont.ImageFont | None = None) -> None:
        self.profile = profile or PrinterProfile()
        self.encoder = TextEncoder(self.profile.encoding, kanji_mode=self.profile.kanji_mode)
        self.ambiguous = self.encoder.ambiguous_width
        self._font = font
        self._printer = Dummy()
        self._printer.profile = _escpos_profile(self.profile.paper_dots)
        self._raw = self._printer._raw
        self._style = {"align": "left", "bold": False, "underline": 0, "width": 1, "height": 1, "invert": False}
        self._printer.hw("INIT")
        self._raw(self.encoder.setup())

    # ----------------------------------------------------------------- styles
    @property
    def columns(self) -> int:
        """Characters per line at the current character width (double width halves it)."""
        return max(1, self.profile.width // self._style["width"])

    def style(
        self,
        *,
        align: str | None = None,
        bold: bool | None = None,
        underline: int | None = None,
        width: int | None = None,
        height: int | None = None,
        invert: bool | None = None,
    ) -> ReceiptDocument:
        """Change only what is given; sizes are multipliers 1..8 (``GS !``, which also scales Chinese)."""
        new = dict(self._style)
        for key, value in (("align", align), ("bold", bold), ("underline", underline), ("width", width),
                           ("height", height), ("invert", invert)):
            if value is not None:
                new[key] = value
        if (new["width"], new["height"]) != (self._style["width"], self._style["height"]):
            self._printer.set(custom_size=True, width=new["width"], height=new["height"])
        for key in ("bold", "underline", "align", "invert"):
            if new[key] != self._style[key]:
                self._printer.set(**{key: new[key]})
        self._style = new
        return self

    def reset_style(self) -> ReceiptDocument:
        return self.style(align="left", bold=False, underline=0, width=1, height=1, invert=False)

    @contextmanager
    def styled(self, **changes) -> Iterator[ReceiptDocument]:
        """Apply ``changes`` for the block, then put back what was there before."""
        before = dict(self._style)
        self.style(**changes)
        try:
            yield self
        finally:
            self.style(**before)

    # ------------------------------------------------------------------- text
    def text(self, text: str) -> ReceiptDocument:
        """Raw text without a line feed; unprintable characters become ``?``. Prefer ``line``."""
        self._raw(self.encoder.encode(text))
        return self

    def line(self, text: str = "") -> ReceiptDocument:
        """One line, truncated to ``columns``; drawn as an image when the printer cannot encode it."""
        self._emit(text_width.truncate(text, self.columns, ambiguous=self.ambiguous))
        return self

    def wrapped(self, text: str) -> ReceiptDocument:
        """``text`` wrapped over as many lines as it needs."""
        for part in text_width.wrap(text, self.columns, ambiguous=self.ambiguous):
            self._emit(part)
        return self

    def pair(self, left: str, right: str) -> ReceiptDocument:
        """``left`` flush left and ``right`` flush right (a label and an amount)."""
        for part in text_width.two_columns(left, right, self.columns, ambiguous=self.ambiguous):
            self._emit(part)
        return self

    def row(self, cells: list[str], widths: list[int], aligns: list[str] | None = None) -> ReceiptDocument:
        """A table row; ``widths`` plus one space between cells must fit ``columns``."""
        if sum(widths) + len(widths) - 1 > self.columns:
            raise ValueError(f"row of {sum(widths) + len(widths) - 1} columns does not fit {self.columns}")
        for part in text_width.columns(cells, widths, aligns, ambiguous=self.ambiguous):
            self._emit(part)
        return self

    def rule(self, char: str = "-") -> ReceiptDocument:
        self._emit(char * (self.columns // max(1, text_width.display_width(char, ambiguous=self.ambiguous))))
        return self

    def _emit(self, text: str) -> None:
        if self.profile.fallback == "raster" and not self.encoder.can_encode(text):
            self.raster_lines([text], align=self._style["align"])
            return
        self._raw(self.encoder.encode(text) + b"\n")

    def raster_lines(self, lines: list[str], *, align: str = "left") -> ReceiptDocument:
        """Draw ``lines`` as one image with a CJK font (``CjkFontMissing`` when none is installed)."""
        if self._font is None:
            self._font = load_cjk_font(24 * self._style["height"], self.profile.font_path)
        image = render_lines(lines, width_px=self.profile.paper_dots, font=self._font, align=align)
        return self.image(image, center=False)

    # --------------------------------------------------------------- graphics
    def image(self, image: Image.Image, *, center: bool = True) -> ReceiptDocument:
        """A picture (logo) as a ``GS v 0`` raster image, scaled down to the paper width if wider."""
        if image.width > self.profile.paper_dots:
            ratio = self.profile.paper_dots / image.width
            image = image.resize((self.profile.paper_dots, max(1, int(image.height * ratio))))
        self._printer.image(image, impl="bitImageRaster", center=center)
        return self

    def barcode(self, data: str, kind: str = "CODE128", *, height: int = 80, module: int = 2,
                hri: str = "below") -> ReceiptDocument:
        """A barcode the printer draws itself (``GS k``), centred; CODE128 takes any printable ASCII."""
        code = _code128_payload(data) if kind.upper() == "CODE128" else data
        with self.styled(align="center"):
            # _hw_barcode rather than barcode(): the public method print()s to stdout on every call
            self._printer._hw_barcode(code, kind.upper(), height, module, hri.upper(), "A", False, "B", True)
        return self

    def qr(self, data: str, *, size: int = 6, ec: str = "M", native: bool = True) -> ReceiptDocument:
        """A QR code (UTF-8 payload), centred: drawn by the printer (``GS ( k``) or sent as an image."""
        with self.styled(align="center"):
            if native:
                self._printer.qr(data, ec=QR_LEVELS[ec], size=size, native=True)
                self._raw(b"\n")
            else:
                self._printer.qr(data, ec=QR_LEVELS[ec], size=size, native=False, center=True)
        return self

    # ------------------------------------------------------------------ paper
    def feed(self, lines: int = 1) -> ReceiptDocument:
        self._printer.print_and_feed(lines)
        return self

    def cut(self, *, partial: bool = False) -> ReceiptDocument:
        """Feed the last line past the cutter and cut (full or partial)."""
        self._printer.cut(mode="PART" if partial else "FULL")
        return self

    def drawer_kick(self, pin: int = 2, on_ms: int = 50, off_ms: int = 500) -> ReceiptDocument:
        """Open the drawer plugged into the printer: ``ESC p m t1 t2`` (pin 2 → m=0, pin 5 → m=1)."""
        m, t1, t2 = commands.drawer_pulse_args(pin, on_ms, off_ms)
        self._printer.cashdraw([27, 112, m, t1, t2])
        return self

    def raw(self, data: bytes) -> ReceiptDocument:
        self._raw(data)
        return self

    def to_bytes(self) -> bytes:
        return self._printer.output


def _code128_payload(data: str) -> str:
    """python-escpos wants the code set first: ``{C`` packs digit pairs, ``{B`` takes printable ASCII."""
    if not data or not all(" " <= ch <= "~" for ch in data):
        raise ValueError("CODE128 data must be printable ASCII")
    if data.isdigit() and len(data) % 2 == 0 and len(data) >= 4:
        return "{C" + "".join(chr(int(data[i : i + 2])) for i in range(0, len(data), 2))
    return "{B" + data.replace("{", "{{")
