"""Serial scale protocols: Mettler-Toledo continuous output and the ``W<CR>`` request/reply (NCI) format.

Every parse returns a ``WeightReading``; only a ``stable`` one may be sold. Weights are ``Decimal`` kilograms
with three places (a scale set to pounds is converted), never floats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from drivers.errors import ScaleNotReady

KG = Decimal("0.001")
LB_IN_KG = Decimal("0.45359237")
STX, ETX, CR, LF = 0x02, 0x03, 0x0D, 0x0A
STATES = ("stable", "unstable", "overload", "underload", "negative", "not_ready")


@dataclass(frozen=True)
class WeightReading:
    """One reading. ``weight`` is kg with three places (None when the scale sent no number).

    ``state`` is stable, unstable (in motion), overload, underload, negative or not_ready (not zeroed since
    power-up); ``unit`` is what the scale itself was set to.
    """

    weight: Decimal | None
    state: str
    unit: str = "kg"

    @property
    def stable(self) -> bool:
        return self.state == "stable"

    def require_stable(self) -> Decimal:
        """The weight to sell, or ``ScaleNotReady`` with the reason when it must be refused."""
        if self.state != "stable" or self.weight is None:
            raise ScaleNotReady(f"scale reading is {self.state.replace('_', ' ')}", reason=self.state)
        return self.weight


def _to_kg(value: Decimal, unit: str) -> Decimal:
    if unit == "lb":
        value = value * LB_IN_KG
    elif unit == "g":
        value = value / 1000
    return value.quantize(KG, rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------ Toledo continuous
TOLEDO_FRAME_LEN = 17  # STX, SWA, SWB, SWC, 6 weight digits, 6 tare digits, CR (a checksum may follow)
_DECIMALS = {0: 2, 1: 1, 2: 0, 3: -1, 4: -2, 5: -3, 6: -4, 7: -5}  # SWA bits 0-2 → power of ten


def parse_toledo_frame(frame: bytes) -> WeightReading:
    """Parse one continuous-output frame starting at STX. ``ValueError`` when it is not one."""
    data = bytes(b & 0x7F for b in frame)  # 7E1 data read as 8N1 carries parity in bit 7
    if len(data) < TOLEDO_FRAME_LEN or data[0] != STX or data[16] != CR or not data[4:10].isdigit():
        raise ValueError("not a Toledo continuous frame")
    swa, swb = data[1], data[2]
    unit = "kg" if swb & 0x10 else "lb"
    value = Decimal(int(data[4:10])).scaleb(_DECIMALS[swa & 0x07])
    negative = bool(swb & 0x02)
    if swb & 0x04:
        return WeightReading(None, "underload" if negative else "overload", unit)
    weight = _to_kg(-value if negative else value, unit)
    if swb & 0x40:
        state = "not_ready"
    elif swb & 0x08:
        state = "unstable"
    elif negative and value:
        state = "negative"
    else:
        state = "stable"
    return WeightReading(weight, state, unit)


def toledo_frame(weight_kg: Decimal, *, stable: bool = True, overload: bool = False) -> bytes:
    """The frame a Toledo scale in kg with three decimals sends: for simulators and tests."""
    negative = weight_kg < 0
    digits = int(abs(weight_kg).quantize(KG) * 1000)
    swa = 0x20 | 0x08 | 5  # bit 5 always set, increment ×1, XXX.XXX
    swb = 0x20 | 0x10 | (0x02 if negative else 0) | (0x04 if overload else 0) | (0 if stable else 0x08)
    return bytes([STX, swa, swb, 0x20]) + f"{min(digits, 999999):06d}".encode() + b"000000\r"


def find_toledo_frame(buffer: bytes) -> tuple[WeightReading | None, bytes]:
    """The newest complete frame in ``buffer`` and the bytes left after it."""
    reading, rest = None, buffer
    start = rest.find(bytes([STX]))
    while start >= 0 and len(rest) - start >= TOLEDO_FRAME_LEN:
        try:
            reading = parse_toledo_frame(rest[start : start + TOLEDO_FRAME_LEN])
            rest = rest[start + TOLEDO_FRAME_LEN :]
        except ValueError:
            rest = rest[start + 1 :]
        start = rest.find(bytes([STX]))
    return reading, (rest[start:] if start >= 0 else b"")


# ------------------------------------------------------------------ W request / reply
W_REQUEST = b"W\r"
_WEIGHT = re.compile(r"^(?:(ST|US|OL|QT),(?:GS|NT|TR),)?\s*([+-]?)\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


def parse_w_reply(reply: bytes) -> WeightReading:
    """Parse the answer to ``W<CR>``: ``<LF>  1.234kg<CR><LF><status><CR><ETX>`` (NCI) or ``ST,GS,+1.234kg``.

    NCI status: first byte bit 0 = in motion; second byte bit 0 = under capacity, bit 1 = over capacity.
    Overload may also come as ``^^^^^^`` and underload as ``______`` in place of the weight.
    ``ValueError`` when the reply has no weight at all.
    """
    text = bytes(b & 0x7F for b in reply).decode("ascii", "replace")
    fields = [f.strip() for f in re.split(r"[\r\n\x02\x03]+", text) if f.strip()]
    if not fields:
        raise ValueError("empty scale reply")
    weight_field, status = fields[0], (fields[1] if len(fields) > 1 else "")
    if set(weight_field) <= set("^ "):
        return WeightReading(None, "overload")
    if set(weight_field) <= set("_v "):
        return WeightReading(None, "underload")
    match = _WEIGHT.match(weight_field)
    if not match:
        raise ValueError(f"no weight in scale reply {weight_field!r}")
    header, sign, number, unit_text = match.groups()
    unit = {"kg": "kg", "lb": "lb", "g": "g", "": "kg"}.get(unit_text.lower(), unit_text.lower())
    value = Decimal(number)
    weight = _to_kg(-value if sign == "-" else value, unit)
    state = _nci_state(status)
    if header == "US":
        state = "unstable"
    elif header == "OL":
        return WeightReading(None, "overload", unit)
    if state == "stable" and weight < 0:
        state = "negative"
    return WeightReading(weight, state, unit)


def _nci_state(status: str) -> str:
    status = status[1:] if status[:1] in ("S", "s") else status
    if not status:
        return "stable"
    first = ord(status[0])
    second = ord(status[1]) if len(status) > 1 else 0x30
    if second & 0x02:
        return "overload"
    if second & 0x01:
        return "underload"
    if first & 0x01:
        return "unstable"
    return "stable"


def nci_reply(weight_kg: Decimal, *, stable: bool = True, overload: bool = False) -> bytes:
    """The reply an NCI scale sends to ``W<CR>``: for simulators and tests."""
    if overload:
        return b"\n^^^^^^\r\n" + bytes([0x30, 0x32]) + b"\r\x03"
    status = bytes([0x30 | (0 if stable else 0x01), 0x30])
    return b"\n" + f"{weight_kg.quantize(KG):>8}kg".encode() + b"\r\n" + status + b"\r\x03"
