"""The delivery being scanned on the receiving screen, before anything is written (no Qt here): its lines as
typed, what each scan means, and the checks shown beside each line — over or under the order, not ordered,
expired, lot or expiry missing. ``receiving.receive_goods`` decides for real when the clerk presses Receive;
these checks only warn early."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ...core.errors import InvalidInput, NotFound, PosError
from ...core.gs1 import looks_like_gs1
from ...core.i18n import _
from ...core.money import ZERO, parse_money, parse_qty
from ...services import receiving
from ...services.context import Context
from ...services.receiving import Identified, ReceiptLineInput
from .screen_base import show_qty

RAW_GS1 = re.compile(r"^01\d{14}\d*[0-9A-Za-z]")   # a GS1-128 read without its ]C1 (many wedge scanners)


def identify_scan(ctx: Context, text: str) -> tuple[Identified, str]:
    """What a scan or a typed code names, and how it is sent to the service: ``gs1``, ``barcode`` or ``sku``."""
    if looks_like_gs1(text) or (RAW_GS1.match(text) and len(text) > 16):
        return receiving.identify(ctx, gs1=text), "gs1"
    if text.isdigit():
        return receiving.identify(ctx, barcode=text), "barcode"
    try:
        return receiving.identify(ctx, sku=text), "sku"
    except NotFound:
        try:
            return receiving.identify(ctx, barcode=text), "barcode"
        except PosError:
            raise NotFound(_("Unknown barcode or SKU {code}").format(code=text), code="unknown_product") from None


def parse_day(text: str) -> date | None:
    """``2027-01-15`` or ``20270115``; empty is None."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text if "-" in text else f"{text[:4]}-{text[4:6]}-{text[6:]}")
    except ValueError:
        raise InvalidInput(_("{text} is not a date: write it as YYYY-MM-DD").format(text=text),
                           code="bad_date") from None


@dataclass
class DraftLine:
    """One line as the clerk sees and edits it (texts, parsed when checked or sent)."""

    item: Identified
    key: str                      # gs1 | barcode | sku
    code: str
    qty: str = "1"
    lot: str = ""
    expiry: str = ""
    rejected: str = ""
    reason: str = ""
    unit_cost: str = ""
    checks: list[str] = field(default_factory=list)

    @classmethod
    def scanned(cls, item: Identified, key: str, code: str, qty: Decimal) -> DraftLine:
        return cls(item, key, code, show_qty(qty), item.lot or "",
                   item.expiry.isoformat() if item.expiry else "")

    @property
    def lot_from_barcode(self) -> bool:
        return self.item.lot is not None

    @property
    def expiry_from_barcode(self) -> bool:
        return self.item.expiry is not None

    def same_goods(self, item: Identified) -> bool:
        """Another scan of this line's goods: same product, same pack, same lot and expiry on the label."""
        return (self.item.sku, self.item.pack_milli, self.item.lot, self.item.expiry) == \
            (item.sku, item.pack_milli, item.lot, item.expiry)

    def add(self, qty: Decimal) -> None:
        self.qty = show_qty(parse_qty(self.qty or "0") + qty)

    def to_input(self, places: int) -> ReceiptLineInput:
        """What the service receives; InvalidInput for a field that is not a number or a date."""
        rejected = parse_qty(self.rejected, _("Rejected")) if self.rejected.strip() else ZERO
        cost = parse_money(self.unit_cost, places, _("Unit cost")) if self.unit_cost.strip() else None
        return ReceiptLineInput(**{self.key: self.code}, qty=parse_qty(self.qty or "0"), lot=self.lot.strip() or None,
                                expiry=parse_day(self.expiry), rejected_qty=rejected,
                                reject_reason=self.reason.strip() or None, unit_cost=cost)

    def units(self, qty: Decimal) -> Decimal:
        """Product units of ``qty`` as scanned (packs for a pack barcode)."""
        return qty * self.item.pack_milli / 1000


@dataclass(frozen=True)
class OrderLine:
    sku: str
    name: str
    ordered: Decimal
    received: Decimal
    outstanding: Decimal
    price: str | None

    @classmethod
    def from_details(cls, line: dict[str, Any]) -> OrderLine:
        return cls(line["sku"], line["name"], Decimal(line["qty"]), Decimal(line["received_qty"]),
                   Decimal(line["outstanding_qty"]), line["price"])


def check_lines(lines: list[DraftLine], order: list[OrderLine] | None, today: date, places: int) -> list[str]:
    """Fill each line's ``checks`` and return what concerns the whole delivery (order lines not delivered)."""
    accepted: dict[str, Decimal] = {}
    for line in lines:
        line.checks = []
        try:
            entry = line.to_input(places)
        except PosError as exc:
            line.checks.append(exc.message)
            continue
        if entry.qty <= 0:
            line.checks.append(_("quantity must be more than 0"))
        if entry.rejected_qty > entry.qty:
            line.checks.append(_("more rejected than delivered"))
        if entry.rejected_qty > 0 and not entry.reject_reason:
            line.checks.append(_("say why goods are rejected"))
        if line.item.track_batches and not entry.lot:
            line.checks.append(_("lot needed"))
        if line.item.track_expiry and not entry.expiry:
            line.checks.append(_("expiry needed"))
        good = max(line.units(entry.qty - entry.rejected_qty), ZERO)
        if entry.expiry is not None and entry.expiry < today and good > 0:
            line.checks.append(_("expired on {date}: reject it").format(date=entry.expiry.isoformat()))
        accepted[line.item.sku] = accepted.get(line.item.sku, ZERO) + good
    if order is None:
        return []
    outstanding = {o.sku: o.outstanding for o in order}
    for line in lines:
        sku = line.item.sku
        if sku not in outstanding:
            line.checks.append(_("not on the order"))
        elif sku in accepted and accepted[sku] > outstanding[sku]:
            line.checks.append(_("over the order by {qty}").format(qty=show_qty(accepted[sku] - outstanding[sku])))
        elif sku in accepted and accepted[sku] < outstanding[sku]:
            line.checks.append(_("under the order by {qty}").format(qty=show_qty(outstanding[sku] - accepted[sku])))
    missing = [f"{o.sku} {show_qty(o.outstanding)}" for o in order if o.outstanding > 0 and o.sku not in accepted]
    return [_("Not in this delivery: {items}").format(items=", ".join(missing))] if missing else []
