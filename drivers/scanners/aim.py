"""AIM symbology identifiers: the ``]Cm`` prefix a scanner can send before the data to say what it read."""

from __future__ import annotations

NAMES = {
    "]A": "Code 39", "]C0": "Code 128", "]C1": "GS1-128", "]E0": "EAN-13 / UPC-A", "]E4": "EAN-8",
    "]E1": "UPC-E", "]E3": "EAN-13 with add-on", "]F": "Codabar", "]G": "Code 93", "]I": "Interleaved 2 of 5",
    "]L": "PDF417", "]Q": "QR Code", "]d": "Data Matrix", "]d2": "GS1 DataMatrix", "]e": "GS1 DataBar",
    "]z": "Aztec", "]X": "other",
}


def split_aim(code: str) -> tuple[str, str | None]:
    """``("]E06901234567892")`` → ``("6901234567892", "]E0")``; a code without the prefix is returned as is."""
    if len(code) >= 3 and code[0] == "]" and code[1].isalpha():
        return code[3:], code[:3]
    return code, None


def symbology_name(aim: str | None) -> str | None:
    """A readable name for an AIM identifier (``"]E0"`` → ``"EAN-13 / UPC-A"``), None when unknown."""
    if not aim:
        return None
    return NAMES.get(aim) or NAMES.get(aim[:2])
