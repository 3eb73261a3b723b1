"""What every service call needs, passed in (no globals): the database, the clock, the till's identity."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..core.clock import Clock, SystemClock, parse_utc_text
from ..core.money import exponent_of, from_minor
from ..core.promotions import PromoKind, Promotion
from ..core.store_settings import SETTINGS
from ..store.db import Database
from ..store.lookup import ProductIndex
from ..store.models import Setting


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
    _promotions: tuple[int, list[Promotion]] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.products = ProductIndex(self.db.path)

    @property
    def places(self) -> int:
        return self.till.places

    def setting(self, name: str) -> Any:
        return self.settings.get(name, SETTINGS[name].default)

    def promotions(self, conn: sqlite3.Connection | None = None) -> list[Promotion]:
        """Active promotions, reloaded only when the ``promotions`` counter moved (every writer of promotions
        advances it in its transaction). Read through ``conn`` inside a transaction, else the lookup index."""
        run = (lambda q: conn.execute(q).fetchall()) if conn is not None else self.products.query
        found = run(PROMOTIONS_REVISION)
        revision = found[0][0] if found else 0
        if self._promotions is None or self._promotions[0] != revision:
            self._promotions = (revision, [to_promotion(row, self.places) for row in run(PROMOTIONS_SQL)])
        return self._promotions[1]

    def close(self) -> None:
        self.products.close()
        self.db.close()


def load_settings(session) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {row.key: json.loads(row.value) for row in session.scalars(select(Setting))}


PROMOTIONS_REVISION = "SELECT value FROM counters WHERE name = 'promotions'"
PROMOTIONS_SQL = """SELECT id, name, kind, product_id, category_id, percent_bp, amount_minor, buy_n, get_m,
       starts_utc, ends_utc, members_only FROM promotions WHERE active = 1 ORDER BY rowid"""


def to_promotion(row: tuple, places: int) -> Promotion:
    (pid, name, kind, product_id, category_id, percent_bp, amount_minor, buy_n, get_m, starts, ends,
     members_only) = row
    return Promotion(
        id=pid, name=name, kind=PromoKind(kind), product_id=product_id, category_id=category_id,
        percent=from_minor(percent_bp, 2) if percent_bp is not None else None,
        amount=from_minor(amount_minor, places) if amount_minor is not None else None,
        buy_n=buy_n, get_m=get_m, starts=parse_utc_text(starts) if starts else None,
        ends=parse_utc_text(ends) if ends else None, members_only=bool(members_only))
