"""Measure and lay out text in printer columns.

A column is one half-width cell: ASCII takes one, East Asian Wide and Fullwidth characters take two
(``unicodedata.east_asian_width`` W/F), combining marks take none. Ambiguous characters (A: ×, °, Cyrillic,
accented Latin…) take one by default; Chinese printers in GB/Big5 mode print them from the double-byte font,
so pass ``ambiguous=2`` for those. Every function here guarantees its result never exceeds the width asked.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

RECEIPT_58MM = 32
RECEIPT_80MM = 48


@lru_cache(maxsize=4096)
def char_width(ch: str, ambiguous: int = 1) -> int:
    """Columns one character occupies (0, 1 or 2)."""
    if ch < "\u0300":  # fast path for ASCII and Latin-1 that are neither wide nor combining
        if ch < " " or "\x7f" <= ch < "\xa0":
            return 0
        return ambiguous if ambiguous != 1 and unicodedata.east_asian_width(ch) == "A" else 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    eaw = unicodedata.east_asian_width(ch)
    if eaw in ("W", "F"):
        return 2
    if eaw == "A":
        return ambiguous
    return 1


def display_width(text: str, *, ambiguous: int = 1) -> int:
    """Columns ``text`` occupies on the paper."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(char_width(ch, ambiguous) for ch in text)


def truncate(text: str, width: int, *, ellipsis: str = "", ambiguous: int = 1) -> str:
    """The longest prefix of ``text`` that fits ``width`` columns (with ``ellipsis`` when something was cut).

    A wide character that would straddle the edge is dropped whole, never split.
    """
    if display_width(text, ambiguous=ambiguous) <= width:
        return text
    room = width - display_width(ellipsis, ambiguous=ambiguous)
    if room < 0:
        return truncate(ellipsis, width, ambiguous=ambiguous)
    used = 0
    for i, ch in enumerate(text):
        w = char_width(ch, ambiguous)
        if used + w > room:
            return text[:i] + ellipsis
        used += w
    return text + ellipsis


def pad(text: str, width: int, align: str = "left", *, ambiguous: int = 1) -> str:
    """``text`` truncated to ``width`` and padded with spaces to exactly ``width`` columns."""
    text = truncate(text, width, ambiguous=ambiguous)
    gap = width - display_width(text, ambiguous=ambiguous)
    if align == "right":
        return " " * gap + text
    if align == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def wrap(text: str, width: int, *, ambiguous: int = 1) -> list[str]:
    """Break ``text`` into lines of at most ``width`` columns.

    Latin words break at spaces when they can, Chinese may break between any two characters, a word longer
    than a line is cut. Always returns at least one line (``[""]`` for empty text).
    """
    if width < 1:
        raise ValueError("width must be at least 1")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width, ambiguous))
    return lines


def _wrap_paragraph(text: str, width: int, ambiguous: int) -> list[str]:
    lines: list[str] = []
    line, used = "", 0
    last_space = -1  # index in ``line`` of the last space, where a Latin word may break
    for ch in text:
        w = char_width(ch, ambiguous)
        if w > width:
            continue  # a wide character cannot be printed in a one-column line at all
        if used + w > width:
            if ch == " ":
                lines.append(line.rstrip(" "))
                line, used, last_space = "", 0, -1
                continue
            if last_space > 0 and w == 1 and not _is_wide(line[-1], ambiguous):
                lines.append(line[:last_space].rstrip(" "))  # break the Latin word at its space
                line = line[last_space + 1 :]
                used = display_width(line, ambiguous=ambiguous)
            else:
                lines.append(line.rstrip(" "))  # Chinese breaks anywhere; an over-long word is cut
                line, used = "", 0
            last_space = -1
            if used + w > width:
                lines.append(line)
                line, used = "", 0
        if ch == " ":
            if not line and lines:
                continue  # no leading space on a continuation line
            last_space = len(line)
        line += ch
        used += w
    lines.append(line)
    return lines


def _is_wide(ch: str, ambiguous: int) -> bool:
    return bool(ch) and char_width(ch, ambiguous) == 2


def two_columns(left: str, right: str, width: int, *, ambiguous: int = 1) -> list[str]:
    """``left`` flush left and ``right`` flush right on one line of exactly ``width`` columns.

    When both do not fit with one space between them, ``left`` wraps over as many lines as it needs and
    ``right`` goes flush right on its last line, or on a line of its own below when there is no room (how a
    long product name is printed). Every returned line is exactly ``width`` columns wide.
    """
    lw = display_width(left, ambiguous=ambiguous)
    rw = display_width(right, ambiguous=ambiguous)
    if lw + 1 + rw <= width or (not left and rw <= width):
        gap = max(width - lw - rw, 0)
        return [left + " " * gap + right]
    lines = wrap(left, width, ambiguous=ambiguous) if left else []
    if not right:
        return [pad(line, width, ambiguous=ambiguous) for line in lines]
    out = [pad(line, width, ambiguous=ambiguous) for line in lines]
    last_w = display_width(lines[-1], ambiguous=ambiguous) if lines else width
    if last_w + 1 + rw <= width:
        out[-1] = lines[-1] + " " * (width - last_w - rw) + right
    else:
        out.append(pad(right, width, "right", ambiguous=ambiguous))
    return out


def columns(
    cells: list[str], widths: list[int], aligns: list[str] | None = None, *, gap: int = 1, ambiguous: int = 1
) -> list[str]:
    """One table row: each cell wrapped inside its own width, aligned, separated by ``gap`` spaces.

    Every returned line is exactly ``sum(widths) + gap * (len(widths) - 1)`` columns wide.
    """
    if len(cells) != len(widths):
        raise ValueError("one width per cell")
    aligns = aligns or ["left"] * len(cells)
    wrapped = [wrap(cell, w, ambiguous=ambiguous) for cell, w in zip(cells, widths)]
    height = max(len(lines) for lines in wrapped)
    out = []
    for row in range(height):
        parts = [
            pad(lines[row] if row < len(lines) else "", w, align, ambiguous=ambiguous)
            for lines, w, align in zip(wrapped, widths, aligns)
        ]
        out.append((" " * gap).join(parts))
    return out
