"""Pricing exactly as ARCHITECTURE.md states it, in Decimal, half-up to the currency's minor unit.

- line gross = unit price × quantity (or the fixed price printed on a scale label)
- promotion discount (computed by ``promotions``), then the manual line discount on what is left:
  a percentage → round_half_up(base × pct / 100); an amount → as given, never above the line
- a cart discount is allocated to lines in proportion to their net after line discounts, each share rounded
  half-up; the leftover cent(s) go to the (first) line with the largest net
- tax-inclusive: tax = net − round_half_up(net / (1 + rate)); tax-exclusive: tax = round_half_up(net × rate)
- total = Σ net (+ Σ tax when tax-exclusive)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum

from .errors import InvalidInput
from .i18n import _
from .money import ZERO, quantum, round_half_up

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Discount:
    """A manual discount: exactly one of ``percent`` (0–100) or ``amount``."""

    percent: Decimal | None = None
    amount: Decimal | None = None

    def __post_init__(self) -> None:
        if (self.percent is None) == (self.amount is None):
            raise InvalidInput(_("A discount is either a percent or an amount"))
        if self.percent is not None and not ZERO <= self.percent <= HUNDRED:
            raise InvalidInput(_("A discount must be between 0 and 100 %, not {pct} %").format(pct=self.percent))
        if self.amount is not None and self.amount < 0:
            raise InvalidInput(_("A discount amount cannot be negative"))

    def on(self, base: Decimal, places: int) -> Decimal:
        """The discount on ``base``; an amount above the base is refused, never silently cut."""
        if self.percent is not None:
            return round_half_up(base * self.percent / HUNDRED, places)
        assert self.amount is not None
        if self.amount > base:
            raise InvalidInput(_("A discount of {amount} is more than the {base} it applies to").format(
                amount=self.amount, base=base))
        return self.amount


@dataclass(frozen=True)
class LineInput:
    unit_price: Decimal
    qty: Decimal
    tax_rate: Decimal
    discount: Discount | None = None
    promo_discount: Decimal = ZERO
    fixed_gross: Decimal | None = None


@dataclass(frozen=True)
class PricedLine:
    gross: Decimal
    promo_discount: Decimal
    line_discount: Decimal
    cart_share: Decimal
    net: Decimal
    tax_rate: Decimal
    tax: Decimal

    @property
    def discount(self) -> Decimal:
        return self.promo_discount + self.line_discount + self.cart_share


@dataclass(frozen=True)
class PricedCart:
    lines: tuple[PricedLine, ...]
    subtotal: Decimal
    cart_discount: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal
    tax_inclusive: bool = True
    by_rate: dict[Decimal, tuple[Decimal, Decimal]] = field(default_factory=dict)


def line_gross(line: LineInput, places: int) -> Decimal:
    if line.fixed_gross is not None:
        return line.fixed_gross
    return round_half_up(line.unit_price * line.qty, places)


def allocate(total: Decimal, weights: list[Decimal], places: int) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights``; shares sum exactly to ``total``.

    Each share is rounded half-up; the leftover goes to the first line with the largest weight.
    """
    base = sum(weights, ZERO)
    if total == 0 or base == 0:
        return [ZERO for _w in weights]
    shares = [round_half_up(total * w / base, places) for w in weights]
    leftover = total - sum(shares, ZERO)
    if leftover:
        largest = weights.index(max(weights))
        shares[largest] += leftover
    return shares


def tax_of(net: Decimal, rate: Decimal, tax_inclusive: bool, places: int) -> Decimal:
    if tax_inclusive:
        return net - round_half_up(net / (1 + rate), places)
    return round_half_up(net * rate, places)


def price_cart(lines: list[LineInput], cart_discount: Discount | None = None, *,
               tax_inclusive: bool = True, places: int = 2) -> PricedCart:
    """Price a cart. Raises ``InvalidInput`` for a discount above what it applies to."""
    grosses = [line_gross(line, places) for line in lines]
    promos = [min(line.promo_discount, gross) for line, gross in zip(lines, grosses)]
    manual = [line.discount.on(gross - promo, places) if line.discount else ZERO
              for line, gross, promo in zip(lines, grosses, promos)]
    after_line = [gross - promo - disc for gross, promo, disc in zip(grosses, promos, manual)]
    cart_amount = cart_discount.on(sum(after_line, ZERO), places) if cart_discount else ZERO
    shares = allocate(cart_amount, after_line, places)
    priced = []
    for line, gross, promo, disc, base, share in zip(lines, grosses, promos, manual, after_line, shares):
        net = base - share
        priced.append(PricedLine(gross, promo, disc, share, net, line.tax_rate,
                                 tax_of(net, line.tax_rate, tax_inclusive, places)))
    return _totals(tuple(priced), cart_amount, tax_inclusive)


def _totals(lines: tuple[PricedLine, ...], cart_amount: Decimal, tax_inclusive: bool) -> PricedCart:
    by_rate: dict[Decimal, tuple[Decimal, Decimal]] = {}
    for line in lines:
        net, tax = by_rate.get(line.tax_rate, (ZERO, ZERO))
        by_rate[line.tax_rate] = (net + line.net, tax + line.tax)
    net_total = sum((line.net for line in lines), ZERO)
    tax_total = sum((line.tax for line in lines), ZERO)
    return PricedCart(
        lines=lines,
        subtotal=sum((line.gross for line in lines), ZERO),
        cart_discount=cart_amount,
        discount_total=sum((line.discount for line in lines), ZERO),
        tax_total=tax_total,
        total=net_total if tax_inclusive else net_total + tax_total,
        tax_inclusive=tax_inclusive,
        by_rate=by_rate,
    )


class CashRounding(StrEnum):
    """抹零: a store setting, off by default; the difference is recorded on the sale as ``rounding``."""

    NONE = "none"
    DROP_FEN = "drop_fen"        # 12.34 → 12.30
    ROUND_JIAO = "round_jiao"    # 12.35 → 12.40, 12.34 → 12.30
    DROP_JIAO = "drop_jiao"      # 12.34 → 12.00


def cash_rounding(total: Decimal, mode: CashRounding, places: int = 2) -> Decimal:
    """The amount to add to ``total`` (zero or negative when dropping, either sign when rounding)."""
    if mode is CashRounding.NONE or places < 1:
        return ZERO
    if mode is CashRounding.DROP_FEN:
        due = total.quantize(quantum(places - 1), rounding=ROUND_FLOOR)
    elif mode is CashRounding.ROUND_JIAO:
        due = total.quantize(quantum(places - 1), rounding=ROUND_HALF_UP)
    else:
        due = total.quantize(quantum(max(places - 2, 0)), rounding=ROUND_FLOOR)
    return (due - total).quantize(quantum(places))
