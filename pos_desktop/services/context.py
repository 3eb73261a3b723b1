"""What every service call needs, passed in (no globals): the database, the clock, the till's identity."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..core.clock import Clock, SystemClock, parse_utc_text
from ..core.money import exponent_of
from ..core.promotions import PromoKind, Promotion
from ..core.store_settings import SETTINGS
from ..store.db import Database
from ..store.lookup import ProductIndex
from ..store.models import Promotion as PromotionRow
from ..store.models import Setting
from ..core.money import from_minor

PROMOTION_TTL_S = 30.0


@dataclass(frozen=True)
class TillIdentity:
    store_id: str
    store_code: str
    store_name: str
    currency: str
    till_id: str
    till_code: str
    floor_location_id: str

    @property
    def places(self) -> int:
        return exponent_of(self.currency)


@dataclass
class Context:
    """One open till: pass it to every service function."""

    data_dir: Path
    db: Database
    till: TillIdentity
    clock: Clock = field(default_factory=SystemClock)
    settings: dict[str, Any] = field(default_factory=dict)
    products: ProductIndex = field(init=False)
    _promotions: tuple[float, list[Promotion]] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.products = ProductIndex(self.db.path)

    @property
    def places(self) -> int:
        return self.till.places

    def setting(self, name: str) -> Any:
        return self.settings.get(name, SETTINGS[name].default)

    def promotions(self) -> list[Promotion]:
        """Active promotions, cached for the scan path; a writer in this process invalidates the cache."""
        cached = self._promotions
        if cached is None or time.monotonic() - cached[0] > PROMOTION_TTL_S:
            with self.db.read() as session:
                promos = load_promotions(session, self.places)
            cached = self._promotions = (time.monotonic(), promos)
        return cached[1]

    def invalidate_caches(self) -> None:
        self._promotions = None

    def close(self) -> None:
        self.products.close()
        self.db.close()


def load_settings(session) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {row.key: json.loads(row.value) for row in session.scalars(select(Setting))}


def load_promotions(session, places: int) -> list[Promotion]:  # type: ignore[no-untyped-def]
    rows = session.scalars(select(PromotionRow).where(PromotionRow.active.is_(True)))
    return [to_promotion(row, places) for row in rows]


def to_promotion(row: PromotionRow, places: int) -> Promotion:
    return Promotion(
        id=row.id, name=row.name, kind=PromoKind(row.kind), product_id=row.product_id,
        category_id=row.category_id,
        percent=from_minor(row.percent_bp, 2) if row.percent_bp is not None else None,
        amount=from_minor(row.amount_minor, places) if row.amount_minor is not None else None,
        buy_n=row.buy_n, get_m=row.get_m,
        starts=parse_utc_text(row.starts_utc) if row.starts_utc else None,
        ends=parse_utc_text(row.ends_utc) if row.ends_utc else None,
        members_only=row.members_only)
