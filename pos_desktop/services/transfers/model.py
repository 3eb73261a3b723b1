"""What a transfer is made of, as the services take and give it: the lines to move (``LineInput``), what
arrived (``Received``), a picking suggestion (``Pick``) and the transfer as read back (``TransferInfo``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...core.money import ZERO, format_qty


@dataclass(frozen=True)
class LineInput:
    """A line to move: by SKU or barcode, how many, optionally which lot."""

    qty: Decimal
    sku: str | None = None
    barcode: str | None = None
    lot: str | None = None


@dataclass(frozen=True)
class Received:
    """What arrived of a shipped line (``line_no``, or ``sku`` and ``lot``): in good order, damaged, and why
    it differs. A line not mentioned arrived in full; a SKU that was not shipped at all is an excess."""

    received: Decimal
    damaged: Decimal = ZERO
    line_no: int | None = None
    sku: str | None = None
    lot: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Pick:
    lot: str | None
    expiry: str | None
    qty: Decimal
    expired: bool = False


@dataclass(frozen=True)
class TransferLineInfo:
    line_no: int
    sku: str
    lot: str | None
    expiry: str | None
    qty: Decimal
    received: Decimal | None
    damaged: Decimal | None
    reason: str | None
    picks: tuple[Pick, ...] = ()

    @property
    def short(self) -> Decimal:
        return max(self.qty - (self.received or ZERO) - (self.damaged or ZERO), ZERO) if self.received is not None \
            else ZERO

    @property
    def over(self) -> Decimal:
        return max((self.received or ZERO) + (self.damaged or ZERO) - self.qty, ZERO)


@dataclass(frozen=True)
class TransferInfo:
    id: str
    number: str
    direction: str
    status: str
    from_store: str
    from_location: str
    to_store: str
    to_location: str
    created_at: str
    shipped_at: str | None
    received_at: str | None
    lines: tuple[TransferLineInfo, ...]

    def to_json(self) -> dict[str, Any]:
        q = lambda v: format_qty(v) if v is not None else None
        return {"transfer_id": self.id, "number": self.number, "direction": self.direction, "status": self.status,
                "from": f"{self.from_store}:{self.from_location}", "to": f"{self.to_store}:{self.to_location}",
                "created_at": self.created_at, "shipped_at": self.shipped_at, "received_at": self.received_at,
                "lines": [{"line_no": ln.line_no, "sku": ln.sku, "lot": ln.lot, "expiry": ln.expiry,
                           "qty": q(ln.qty), "received": q(ln.received), "damaged": q(ln.damaged),
                           "short": q(ln.short), "over": q(ln.over), "reason": ln.reason,
                           "pick": [{"lot": p.lot, "expiry": p.expiry, "qty": q(p.qty)} for p in ln.picks]}
                          for ln in self.lines]}
