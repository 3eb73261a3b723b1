"""Promotions, evaluated per cart line; the best single offer wins (offers do not stack).

Kinds: ``percent_off`` and ``amount_off`` (per unit) on an item or a whole category within a date range,
``buy_n_get_m`` (every N+M units of the item, M are free) and the member price of a price version (for a
sale with a member). A promotion may be for members only. The result is a discount amount on the line; the
cashier's manual discount then applies to what is left (see ``pricing``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from .money import ZERO, round_half_up

HUNDRED = Decimal(100)


class PromoKind(StrEnum):
    PERCENT_OFF = "percent_off"
    AMOUNT_OFF = "amount_off"
    BUY_N_GET_M = "buy_n_get_m"


@dataclass(frozen=True)
class Promotion:
    id: str
    name: str
    kind: PromoKind
    product_id: str | None = None
    category_id: str | None = None
    percent: Decimal | None = None
    amount: Decimal | None = None
    buy_n: int = 0
    get_m: int = 0
    starts: datetime | None = None
    ends: datetime | None = None
    members_only: bool = False

    def applies(self, product_id: str, category_id: str | None, at: datetime, is_member: bool) -> bool:
        if self.members_only and not is_member:
            return False
        if self.starts is not None and at < self.starts:
            return False
        if self.ends is not None and at >= self.ends:
            return False
        if self.product_id is not None:
            return self.product_id == product_id
        return self.category_id is not None and self.category_id == category_id

    def discount(self, unit_price: Decimal, qty: Decimal, gross: Decimal, places: int) -> Decimal:
        if self.kind is PromoKind.PERCENT_OFF and self.percent is not None:
            off = round_half_up(gross * self.percent / HUNDRED, places)
        elif self.kind is PromoKind.AMOUNT_OFF and self.amount is not None:
            off = round_half_up(self.amount * qty, places)
        elif self.kind is PromoKind.BUY_N_GET_M and self.buy_n > 0 and self.get_m > 0:
            free_units = (int(qty) // (self.buy_n + self.get_m)) * self.get_m
            off = round_half_up(unit_price * free_units, places)
        else:
            off = ZERO
        return max(ZERO, min(off, gross))


@dataclass(frozen=True)
class Offer:
    """The discount chosen for a line, and where it came from (a promotion id, or ``member_price``)."""

    discount: Decimal
    promotion_id: str | None
    label: str


NO_OFFER = Offer(ZERO, None, "")


def best_offer(*, product_id: str, category_id: str | None, unit_price: Decimal, qty: Decimal,
               gross: Decimal, member_price: Decimal | None, is_member: bool, at: datetime,
               promotions: list[Promotion], places: int = 2) -> Offer:
    """The largest single discount available to this line; ties go to the earlier promotion."""
    best = NO_OFFER
    if is_member and member_price is not None and member_price < unit_price:
        member_gross = round_half_up(member_price * qty, places)
        best = Offer(max(ZERO, gross - member_gross), None, "member_price")
    for promo in promotions:
        if not promo.applies(product_id, category_id, at, is_member):
            continue
        off = promo.discount(unit_price, qty, gross, places)
        if off > best.discount:
            best = Offer(off, promo.id, promo.name)
    return best
