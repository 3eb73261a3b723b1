"""Maintaining promotions (master data; head office will send most of them down with the sync).

Every writer advances the ``promotions`` counter in its transaction, which is how every open till notices
that its cached promotions are stale (``Context.promotions``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ..core.clock import utc_text
from ..core.errors import InvalidInput, NotFound
from ..core.i18n import _
from ..core.ids import new_id
from ..core.money import to_minor
from ..core.permissions import Action
from ..core.promotions import PromoKind
from ..store import sql
from .auth import Operator, require
from .context import Context
from .unit import write


def add_promotion(ctx: Context, operator: Operator, *, name: str, kind: str, sku: str | None = None,
                  category: str | None = None, percent: Decimal | None = None, amount: Decimal | None = None,
                  buy_n: int = 0, get_m: int = 0, starts: datetime | None = None, ends: datetime | None = None,
                  members_only: bool = False) -> str:
    """Create a promotion on one product (``sku``) or a category (``catalog.edit``); emits ``promotion.created``."""
    require(operator, Action.CATALOG_EDIT)
    try:
        promo_kind = PromoKind(kind)
    except ValueError:
        raise InvalidInput(_("Unknown promotion kind {kind!r}").format(kind=kind)) from None
    if (sku is None) == (category is None):
        raise InvalidInput(_("A promotion is for one product or one category"))
    _check_terms(promo_kind, percent, amount, buy_n, get_m, starts, ends)
    with write(ctx) as unit:
        product_id = category_id = None
        if sku is not None:
            product_id = sql.scalar(unit.conn, "SELECT id FROM products WHERE sku = ?", sku)
            if product_id is None:
                raise NotFound(_("Unknown SKU {sku}").format(sku=sku), code="unknown_product")
        else:
            category_id = sql.scalar(unit.conn, "SELECT id FROM categories WHERE name = ?", category)
            if category_id is None:
                raise NotFound(_("Unknown category {name}").format(name=category), code="unknown_category")
        row = {"id": new_id(), "name": name, "kind": promo_kind.value, "product_id": product_id,
               "category_id": category_id, "percent_bp": to_minor(percent, 2) if percent is not None else None,
               "amount_minor": to_minor(amount, ctx.places) if amount is not None else None,
               "buy_n": buy_n, "get_m": get_m, "starts_utc": utc_text(starts) if starts else None,
               "ends_utc": utc_text(ends) if ends else None, "members_only": members_only, "active": True}
        unit.insert("promotions", row)
        unit.next_counter("promotions")
        unit.outbox("promotion.created", row)
    return row["id"]


def _check_terms(kind: PromoKind, percent: Decimal | None, amount: Decimal | None, buy_n: int, get_m: int,
                 starts: datetime | None, ends: datetime | None) -> None:
    if kind is PromoKind.PERCENT_OFF and (percent is None or not 0 < percent <= 100):
        raise InvalidInput(_("A percent-off promotion needs a percent between 0 and 100"))
    if kind is PromoKind.AMOUNT_OFF and (amount is None or amount <= 0):
        raise InvalidInput(_("An amount-off promotion needs an amount above 0"))
    if kind is PromoKind.BUY_N_GET_M and (buy_n < 1 or get_m < 1):
        raise InvalidInput(_("Buy N get M needs N and M of at least 1"))
    if starts and ends and ends <= starts:
        raise InvalidInput(_("A promotion must end after it starts"))
