"""Identifiers. Documents get random uuids (never from timestamps); receipts get ``STORE-TILL-000123``."""

from __future__ import annotations

import os
import re
import uuid

from .errors import InvalidInput
from .i18n import _

RECEIPT_RE = re.compile(r"^(?P<store>[A-Z0-9]{1,10})-(?P<till>[A-Z0-9]{1,10})-(?P<seq>\d{6,})$")
CODE_RE = re.compile(r"^[A-Z0-9]{1,10}$")


def new_id() -> str:
    return str(uuid.uuid4())


def receipt_number(store_code: str, till_code: str, seq: int) -> str:
    return f"{store_code}-{till_code}-{seq:06d}"


def parse_receipt_number(text: str) -> tuple[str, str, int]:
    match = RECEIPT_RE.match(text.strip().upper())
    if not match:
        raise InvalidInput(_("{text!r} is not a receipt number (like S01-T01-000123)").format(text=text))
    return match["store"], match["till"], int(match["seq"])


def check_code(text: str, what: str) -> str:
    """Store, till and location codes: 1–10 capital letters or digits, so receipt numbers stay parseable."""
    code = text.strip().upper()
    if not CODE_RE.match(code):
        raise InvalidInput(_("{what} must be 1 to 10 letters or digits, not {text!r}").format(
            what=what, text=text))
    return code


def new_ids(count: int) -> list[str]:
    """``count`` random (version 4) uuids at once, sorted — for bulk loads, where sorted keys keep the
    primary-key index append-only. One ``os.urandom`` call instead of one per id."""
    blob = bytearray(os.urandom(16 * count))
    out = []
    for i in range(0, 16 * count, 16):
        blob[i + 6] = (blob[i + 6] & 0x0F) | 0x40
        blob[i + 8] = (blob[i + 8] & 0x3F) | 0x80
        h = blob[i:i + 16].hex()
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    out.sort()
    return out
