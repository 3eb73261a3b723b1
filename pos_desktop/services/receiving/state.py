"""The working state of one delivery while it is taken in: the purchase order it is matched to
(``_Order``) and the receipt being written (``_Receiving``: stock on hand and costs seen so far).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..auth import Operator
from ..unit import Unit


@dataclass
class _Order:
    id: str
    po_no: str
    lines: dict[str, tuple[int, int, int | None]]     # product → (line_no, ordered, price)
    before: dict[int, int]                            # line_no → accepted before this receipt
    now: dict[int, int] = field(default_factory=dict)  # line_no → accepted in this receipt


@dataclass
class _Receiving:
    unit: Unit
    receipt_id: str
    location_id: str
    supplier_id: str | None
    order: _Order | None
    operator: Operator
    on_hand: dict[str, int] = field(default_factory=dict)
    costs: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)   # product → (old, new)
    warnings: list[str] = field(default_factory=list)
