"""Read ESC/POS bytes back the way a person reads the paper: text lines, cuts, drawer pulses, codes, images.

Tests check receipts through this decoder instead of comparing bytes with a copy of what the code wrote. It
knows the common Epson command set and the Chinese printers' ``FS &`` / ``FS .`` mode switch; text is decoded
with the printer's encoding (GB18030, GBK, Big5) in Chinese mode and with the ``ESC t`` code page otherwise.
"""

from __future__ import annotations

from drivers.printing.text_encoder import CODE_PAGES, MULTIBYTE, canonical_encoding
from drivers.sim.escpos_events import (
    Barcode,
    Cut,
    DecodedReceipt,
    DrawerPulse,
    Init,
    QrCode,
    RasterImage,
    StatusQuery,
    TextLine,
    Unknown,
)

CODE_PAGE_BY_NUMBER = {n: name for name, n in CODE_PAGES.items()}
BARCODE_KINDS = {0: "UPC-A", 1: "UPC-E", 2: "EAN13", 3: "EAN8", 4: "CODE39", 5: "ITF", 6: "CODABAR",
                 65: "UPC-A", 66: "UPC-E", 67: "EAN13", 68: "EAN8", 69: "CODE39", 70: "ITF", 71: "CODABAR",
                 72: "CODE93", 73: "CODE128", 74: "GS1-128"}
ALIGN = {0: "left", 1: "center", 2: "right"}
# ESC and GS commands whose parameters are a fixed number of bytes
ESC_FIXED = {"@": 0, "!": 1, "E": 1, "G": 1, "-": 1, "a": 1, "d": 1, "J": 1, "e": 1, "t": 1, "M": 1, "R": 1, "V": 1,
             "{": 1, "r": 1, "2": 0, "3": 1, "A": 1, " ": 1, "$": 2, "\\": 2, "p": 3, "=": 1, "B": 2, "U": 1,
             "%": 1, "?": 1, "L": 0, "S": 0, "T": 1, "W": 8, "i": 0, "m": 0, "c": 2, "u": 1, "v": 0, "K": 1,
             "f": 2, "C": 1, "l": 2, "Q": 0}
GS_FIXED = {"!": 1, "B": 1, "b": 1, "H": 1, "f": 1, "h": 1, "w": 1, "L": 2, "W": 2, "P": 2, "a": 1, "r": 1,
            "I": 1, "E": 1, "|": 1, "\\": 2, "$": 2, "^": 3, "g": 2, "j": 1, "T": 1}


def decode_escpos(data: bytes, encoding: str = "gb18030", *, kanji_default: bool = True) -> DecodedReceipt:
    """Decode ``data`` as printed by a printer set to ``encoding``.

    ``kanji_default`` is whether a GB/Big5 printer starts in Chinese mode (most do); bytes between ``FS .``
    and ``FS &`` are then read with the ``ESC t`` code page (cp437 until one is chosen).
    """
    return _Decoder(encoding, kanji_default).run(data)


class _Decoder:
    def __init__(self, encoding: str, kanji_default: bool) -> None:
        self.encoding = canonical_encoding(encoding)
        self.multibyte = self.encoding in MULTIBYTE
        self.default_code_page = "cp437" if self.multibyte else self.encoding
        self.kanji_default = kanji_default and self.multibyte
        self.out = DecodedReceipt()
        self._reset()
        self.qr_store: bytes = b""
        self.qr_size: int | None = None
        self.qr_ec: str | None = None
        self.graphic: RasterImage | None = None

    def _reset(self) -> None:
        self.style = {"bold": False, "underline": 0, "width": 1, "height": 1, "align": "left", "invert": False}
        self.kanji = self.kanji_default
        self.code_page = self.default_code_page
        self.line_text = ""
        self.line_style: dict | None = None
        self.pending = bytearray()

    # ------------------------------------------------------------------ text
    def _flush_text(self) -> None:
        if self.pending:
            codec = self.encoding if self.kanji else self.code_page
            if self.line_style is None:
                self.line_style = dict(self.style)
            self.line_text += bytes(self.pending).decode(codec, errors="replace")
            self.pending.clear()

    def _add_byte(self, b: int) -> None:
        if self.line_style is None:
            self.line_style = dict(self.style)
        self.pending.append(b)

    def _newline(self) -> None:
        self._flush_text()
        style = self.line_style or self.style
        self.out.items.append(TextLine(self.line_text, **style))
        self.line_text, self.line_style = "", None

    def _print_pending_line(self) -> None:
        self._flush_text()
        if self.line_text or self.line_style is not None:
            self._newline()

    def _emit(self, item: object) -> None:
        self._flush_text()
        self.out.items.append(item)

    # ------------------------------------------------------------------- run
    def run(self, data: bytes) -> DecodedReceipt:
        self.data, i = data, 0
        while i < len(data):
            b = data[i]
            if b == 0x1B:
                i = self._esc(i + 1)
            elif b == 0x1D:
                i = self._gs(i + 1)
            elif b == 0x1C:
                i = self._fs(i + 1)
            elif b == 0x10:
                i = self._dle(i + 1)
            elif b in (0x0A, 0x0C):
                self._newline()
                i += 1
            elif b == 0x09:
                self._add_byte(0x20)
                i += 1
            elif b < 0x20 or b == 0x7F:
                i += 1  # CR and other controls print nothing
            else:
                self._add_byte(b)
                i += 1
        self._print_pending_line()
        return self.out

    def _arg(self, i: int) -> int:
        return self.data[i] if i < len(self.data) else 0

    def _esc(self, i: int) -> int:
        cmd = chr(self._arg(i))
        if cmd not in ESC_FIXED and cmd not in "*D":
            self._emit(Unknown(self.data[i - 1 : i + 1]))
            return i + 1
        if cmd == "*":
            m, width = self._arg(i + 1), self._arg(i + 2) + 256 * self._arg(i + 3)
            per_column = 1 if m in (0, 1) else 3
            end = i + 4 + width * per_column
            self._emit(RasterImage(width - width % 8, per_column * 8, _columns_to_rows(self.data[i + 4 : end],
                                                                                       width, per_column)))
            return end
        if cmd == "D":  # tab positions, NUL-terminated
            end = self.data.find(b"\x00", i + 1)
            return len(self.data) if end < 0 else end + 1
        args = self.data[i + 1 : i + 1 + ESC_FIXED[cmd]]
        n = args[0] if args else 0
        if cmd == "@":
            self._init()
        elif cmd == "!":
            self._flush_text()
            self.style.update(bold=bool(n & 8), height=2 if n & 16 else 1, width=2 if n & 32 else 1,
                              underline=1 if n & 128 else 0)
        elif cmd == "E":
            self._flush_text()
            self.style["bold"] = bool(n & 1)
        elif cmd == "-":
            self._flush_text()
            self.style["underline"] = n % 48 if n >= 48 else n
        elif cmd == "a":
            self._flush_text()
            self.style["align"] = ALIGN.get(n % 48 if n >= 48 else n, "left")
        elif cmd == "d":
            self._feed(n)
        elif cmd == "J":
            self._print_pending_line()
        elif cmd == "t":
            self._flush_text()
            self.code_page = CODE_PAGE_BY_NUMBER.get(n, self.code_page)
        elif cmd == "p":
            m, t1, t2 = (list(args) + [0, 0, 0])[:3]
            self._emit(DrawerPulse(pin=2 if m in (0, 48) else 5, on_ms=t1 * 2, off_ms=t2 * 2))
        elif cmd in "im":
            self._print_pending_line()
            self._emit(Cut(partial=cmd == "m"))
        return i + 1 + ESC_FIXED[cmd]

    def _init(self) -> None:
        self.pending.clear()  # ESC @ throws away what has not been printed yet
        self._reset()
        self.out.items.append(Init())

    def _feed(self, n: int) -> None:
        self._flush_text()
        if self.line_text or self.line_style is not None:
            self._newline()
            n -= 1
        for _ in range(max(n, 0)):
            self._newline()

    def _gs(self, i: int) -> int:
        cmd = chr(self._arg(i))
        if cmd in GS_FIXED:
            args = self.data[i + 1 : i + 1 + GS_FIXED[cmd]]
            n = args[0] if args else 0
            if cmd == "!":
                self._flush_text()
                self.style.update(width=(n >> 4) + 1, height=(n & 0x0F) + 1)
            elif cmd == "B":
                self._flush_text()
                self.style["invert"] = bool(n & 1)
            return i + 1 + GS_FIXED[cmd]
        if cmd == "V":
            m = self._arg(i + 1)
            self._print_pending_line()
            self._emit(Cut(partial=m in (1, 49, 66, 98, 104)))
            return i + 2 + (1 if m >= 65 else 0)
        if cmd == "k":
            return self._barcode(i + 1)
        if cmd == "(":
            return self._gs_paren(i + 1)
        if cmd == "v" and self._arg(i + 1) == 0x30:
            xb = self._arg(i + 3) + 256 * self._arg(i + 4)
            h = self._arg(i + 5) + 256 * self._arg(i + 6)
            start = i + 7
            self._print_pending_line()
            self._emit(RasterImage(xb * 8, h, bytes(self.data[start : start + xb * h])))
            return start + xb * h
        if cmd == "*":  # define downloaded bit image: x*y*8 bytes follow
            return i + 3 + self._arg(i + 1) * self._arg(i + 2) * 8
        if cmd == "/":
            return i + 2
        self._emit(Unknown(self.data[i - 1 : i + 1]))
        return i + 1

    def _barcode(self, i: int) -> int:
        m = self._arg(i)
        if m <= 6:
            end = self.data.find(b"\x00", i + 1)
            end = len(self.data) if end < 0 else end
            payload, nxt = self.data[i + 1 : end], end + 1
        else:
            n = self._arg(i + 1)
            payload, nxt = self.data[i + 2 : i + 2 + n], i + 2 + n
        kind = BARCODE_KINDS.get(m, f"type {m}")
        text = _code128_text(payload) if kind in ("CODE128", "GS1-128") else payload.decode("ascii", "replace")
        self._emit(Barcode(kind, text))
        return nxt

    def _gs_paren(self, i: int) -> int:
        fn_letter = chr(self._arg(i))
        size = self._arg(i + 1) + 256 * self._arg(i + 2)
        body = bytes(self.data[i + 3 : i + 3 + size])
        nxt = i + 3 + size
        if fn_letter == "k" and body[:1] == b"1":  # QR code
            fn = body[1] if len(body) > 1 else 0
            if fn == 67:
                self.qr_size = body[2]
            elif fn == 69:
                self.qr_ec = "LMQH"[body[2] - 48] if 48 <= body[2] <= 51 else None
            elif fn == 80:
                self.qr_store = body[3:]
            elif fn == 81:
                self._emit(QrCode(self.qr_store.decode("utf-8", "replace"), self.qr_size, self.qr_ec))
        elif fn_letter == "k" and body[:1] == b"0" and body[1:2] == b"Q":
            self._emit(Barcode("PDF417", ""))
        elif fn_letter == "L" and len(body) >= 2:
            fn = body[1]
            if fn == 112 and len(body) >= 10:  # store raster graphics: m fn a bx by c xL xH yL yH data
                w = body[6] + 256 * body[7]
                h = body[8] + 256 * body[9]
                stride = (w + 7) // 8
                self.graphic = RasterImage(stride * 8, h, body[10 : 10 + stride * h])
            elif fn in (50, 2) and self.graphic is not None:
                self._print_pending_line()
                self._emit(self.graphic)
                self.graphic = None
        return nxt

    def _fs(self, i: int) -> int:
        cmd = chr(self._arg(i))
        if cmd == "&":
            self._flush_text()
            self.kanji = self.multibyte
            return i + 1
        if cmd == ".":
            self._flush_text()
            self.kanji = False
            return i + 1
        fixed = {"!": 1, "C": 1, "-": 1, "W": 1, "S": 2, "p": 2, "2": 74}
        if cmd in fixed:
            return i + 1 + fixed[cmd]
        self._emit(Unknown(self.data[i - 1 : i + 1]))
        return i + 1

    def _dle(self, i: int) -> int:
        cmd = self._arg(i)
        if cmd == 0x04:
            self._emit(StatusQuery(self._arg(i + 1)))
            return i + 2
        if cmd == 0x05:
            return i + 2
        if cmd == 0x14:
            fn, m, t = self._arg(i + 1), self._arg(i + 2), self._arg(i + 3)
            if fn == 1:
                self._emit(DrawerPulse(pin=2 if m == 0 else 5, on_ms=t * 100, off_ms=t * 100))
            return i + 4
        return i  # a lone DLE is just a byte we do not print


def _code128_text(payload: bytes) -> str:
    """The characters a CODE128 ``GS k`` payload encodes, following its ``{A``/``{B``/``{C`` code sets."""
    out, code_set, i = [], "B", 0
    while i < len(payload):
        ch = payload[i]
        if ch == ord("{") and i + 1 < len(payload):
            nxt = chr(payload[i + 1])
            if nxt in "ABC":
                code_set = nxt
                i += 2
                continue
            if nxt == "{":
                out.append("{")
                i += 2
                continue
            i += 2  # FNC1..FNC4 and shift carry no printable character
            continue
        out.append(f"{ch:02d}" if code_set == "C" else chr(ch))
        i += 1
    return "".join(out)


def _columns_to_rows(data: bytes, width: int, per_column: int) -> bytes:
    """``ESC *`` sends vertical columns of dots; turn them into the row layout ``RasterImage`` uses."""
    height = per_column * 8
    stride = width // 8
    rows = bytearray(stride * height)
    for x in range(stride * 8):
        for k in range(per_column):
            byte = data[x * per_column + k] if x * per_column + k < len(data) else 0
            for bit in range(8):
                if byte & (0x80 >> bit):
                    y = k * 8 + bit
                    rows[y * stride + x // 8] |= 0x80 >> (x % 8)
    return bytes(rows)
