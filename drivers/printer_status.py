"""Parse the replies to ``DLE EOT 1..4`` into a status where every field may be unknown.

Each reply is one byte with bits 0 and 7 clear and bits 1 and 4 set; anything else is not a status reply.
No reply is *unknown* (``None``), never "fine": python-escpos's ``paper_status`` answers "paper adequate" when
the printer said nothing, which would send receipts into a printer without paper.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

FIXED_MASK = 0x93  # bits 0, 1, 4, 7
FIXED_VALUE = 0x12  # bit 1 and bit 4 set, bits 0 and 7 clear


def is_status_byte(value: int) -> bool:
    return (value & FIXED_MASK) == FIXED_VALUE


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said about itself. True/False as reported; None when it did not say.

    ``drawer_open`` comes from the drawer connector (pin 3) bit of ``DLE EOT 1``; whether a high level means
    open depends on the drawer, hence ``drawer_open_level`` where the status is parsed.
    """

    online: bool | None = None
    cover_open: bool | None = None
    paper_near_end: bool | None = None
    paper_end: bool | None = None
    drawer_open: bool | None = None
    error: bool | None = None

    @property
    def known(self) -> bool:
        """Whether the printer answered at least one query."""
        return any(value is not None for value in asdict(self).values())

    @property
    def ready(self) -> bool:
        """True only when the printer positively reported online, paper present, cover shut and no error."""
        return (self.online is True and self.paper_end is False and self.cover_open is False
                and self.error is False)

    def problems(self) -> list[str]:
        """Machine names of what is reported wrong: offline, cover_open, paper_end, paper_near_end, error."""
        names = ("online", "cover_open", "paper_end", "paper_near_end", "error")
        found = [name for name in names[1:] if getattr(self, name) is True]
        return (["offline"] if self.online is False else []) + found

    def to_dict(self) -> dict[str, bool | None]:
        return asdict(self)


UNKNOWN = PrinterStatus()


def _bit(value: int | None, bit: int) -> bool | None:
    if value is None:
        return None
    return bool(value & (1 << bit))


def parse_status(replies: dict[int, int | None], *, drawer_open_level: str = "high") -> PrinterStatus:
    """Combine the replies to ``DLE EOT n`` (n → byte or None) into a ``PrinterStatus``.

    n=1: bit 2 drawer pin 3, bit 3 offline. n=2: bit 2 cover open, bit 5 stopped for paper end, bit 6 error.
    n=3: bits 2, 3, 5, 6 recoverable, autocutter, unrecoverable, auto-recoverable errors.
    n=4: bits 2+3 paper near end, bits 5+6 paper end.
    """
    if drawer_open_level not in ("high", "low"):
        raise ValueError("drawer_open_level is 'high' or 'low'")
    r = {n: (v if v is not None and is_status_byte(v) else None) for n, v in replies.items()}
    printer, offline, errors, paper = r.get(1), r.get(2), r.get(3), r.get(4)

    online = None if printer is None else not (printer & 0x08)
    pin3 = _bit(printer, 2)
    drawer_open = None if pin3 is None else (pin3 if drawer_open_level == "high" else not pin3)

    paper_end = None if paper is None else (paper & 0x60) != 0
    if offline is not None and offline & 0x20:
        paper_end = True  # printing stopped because the paper ran out, whatever the roll sensor said
    paper_near_end = None if paper is None else (paper & 0x0C) != 0

    error = None if errors is None else (errors & 0x6C) != 0
    if offline is not None and offline & 0x40:
        error = True
    elif error is None and offline is not None:
        error = False

    return PrinterStatus(
        online=online,
        cover_open=_bit(offline, 2),
        paper_near_end=paper_near_end,
        paper_end=paper_end,
        drawer_open=drawer_open,
        error=error,
    )
