"""Turn text into the bytes a given printer prints: our own encoder, not python-escpos's "magic" one.

Chinese printers take GB18030/GBK (mainland) or Big5 (Taiwan, Hong Kong) double-byte text; Western printers
take a single-byte code page selected with ``ESC t n``. Some Chinese printers only print double-byte text
between ``FS &`` (enter Chinese mode) and ``FS .`` (leave it), which ``kanji_mode`` adds around each run.
"""

from __future__ import annotations

import codecs

ESC_T = b"\x1bt"
FS_KANJI_ON = b"\x1c&"
FS_KANJI_OFF = b"\x1c."

MULTIBYTE = ("gb18030", "gbk", "gb2312", "big5", "big5hkscs")

# ESC t n numbers of the single-byte code pages in the Epson table, which Chinese clones copy.
CODE_PAGES = {
    "cp437": 0,
    "cp850": 2,
    "cp860": 3,
    "cp863": 4,
    "cp865": 5,
    "cp1252": 16,
    "cp866": 17,
    "cp852": 18,
    "cp858": 19,
}


def canonical_encoding(name: str) -> str:
    """The Python codec name for a printer encoding (``"GB18030"`` → ``"gb18030"``), ``LookupError`` if unknown."""
    codec = codecs.lookup(name).name  # raises LookupError for an unknown encoding
    return {"cp936": "gbk", "big5-hkscs": "big5hkscs"}.get(codec, codec)


class TextEncoder:
    """Encode text for one printer.

    ``encode`` never raises for text it cannot represent: each such character becomes ``?`` (the printer
    prints *something* rather than the sale failing); ``can_encode`` tells the layout in advance, so it can
    draw the line as an image instead.
    """

    def __init__(self, encoding: str = "gb18030", *, kanji_mode: bool = False) -> None:
        self.encoding = canonical_encoding(encoding)
        self.multibyte = self.encoding in MULTIBYTE
        self.kanji_mode = kanji_mode and self.multibyte
        if not self.multibyte and self.encoding not in CODE_PAGES:
            raise ValueError(f"unsupported printer encoding {encoding!r}: use one of {MULTIBYTE + tuple(CODE_PAGES)}")
        self._cache: dict[str, bytes] = {}

    @property
    def ambiguous_width(self) -> int:
        """Columns of an East Asian Ambiguous character: 2 when the printer draws it from its CJK font."""
        return 2 if self.multibyte else 1

    def setup(self) -> bytes:
        """Bytes to send once after ``ESC @``: the code page, or leaving Chinese mode when runs are wrapped."""
        if not self.multibyte:
            return ESC_T + bytes([CODE_PAGES[self.encoding]])
        if self.kanji_mode:
            return FS_KANJI_OFF
        return b""

    def can_encode(self, text: str) -> bool:
        try:
            text.encode(self.encoding)
        except UnicodeEncodeError:
            return False
        return True

    def encode(self, text: str) -> bytes:
        """The printer bytes for ``text`` (no line feed added)."""
        if text.isascii():
            return text.encode("ascii")
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        if self.kanji_mode:
            data = b"".join(self._encode_run(run, wide) for run, wide in _runs(text))
        else:
            data = text.encode(self.encoding, errors="replace")
        if len(self._cache) < 2048:  # receipts repeat labels and product names; bound the memory anyway
            self._cache[text] = data
        return data

    def _encode_run(self, run: str, wide: bool) -> bytes:
        if not wide:
            return run.encode("ascii")
        return FS_KANJI_ON + run.encode(self.encoding, errors="replace") + FS_KANJI_OFF


def _runs(text: str) -> list[tuple[str, bool]]:
    """Split text into (run, is_double_byte) pieces: ASCII runs and non-ASCII runs."""
    runs: list[tuple[str, bool]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or text[i].isascii() != text[start].isascii():
            runs.append((text[start:i], not text[start].isascii()))
            start = i
    return runs
