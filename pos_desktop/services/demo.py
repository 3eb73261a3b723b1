"""``pos demo``: a realistic synthetic store in a fresh data folder, for demos and benchmarks.

The catalog (up to millions of products) is bulk-loaded; the store carries an assortment of it with opening
stock (batches with expiry dates for fresh goods); then D days of trading are replayed through the real
checkout, return and void code (``record_sale`` & co.) with a daily and weekly rhythm, so every sale has its
lines, movements, journal entry and outbox event exactly as if a cashier had rung it up.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

from .. import paths
from ..core.clock import Clock, FixedClock, SystemClock
from ..core.errors import InvalidInput
from ..core.i18n import _
from . import auth, till
from .demo_history import replay
from .demo_load import load_catalog
from .unit import write

USERS = (("manager", "manager", "2222", "经理 Manager"), ("cashier", "cashier", "1111", "收银员 Cashier"))


def build_demo(folder: Path, *, products: int, days: int, seed: int = 1, force: bool = False,
               clock: Clock | None = None) -> dict[str, Any]:
    """Create a demo till in ``folder``: store S01, till T01, users admin/manager/cashier, the catalog and
    ``days`` days of history ending yesterday. Refuses a folder with a database unless ``force``."""
    if products < 1 or products > 5_000_000:
        raise InvalidInput(_("--products must be between 1 and 5,000,000"))
    if days < 0 or days > 3660:
        raise InvalidInput(_("--days must be between 0 and 3660"))
    if paths.db_path(folder).exists() and not force:
        raise InvalidInput(_("{path} already holds a till database; use --force to replace it").format(
            path=paths.db_path(folder)), code="already_initialized")
    now = (clock or SystemClock()).now()
    start = (now - timedelta(days=days)).replace(hour=7, minute=0, second=0, microsecond=0)
    rng = random.Random(seed)
    setup = FixedClock(start)
    ctx = till.init_till(folder, store_code="S01", store_name="示范超市 Demo Mart", till_code="T01",
                         admin_user="admin", admin_pin="1234", clock=setup, force=force)
    admin = auth.login(ctx, "admin", "1234")
    staff = {name: auth.add_user(ctx, admin, name, role, pin, display) for name, role, pin, display in USERS}
    identity = ctx.till
    ctx.close()
    store = load_catalog(paths.db_path(folder), identity, products, days, rng, start)
    ctx = till.open_till(folder, setup, synchronous="OFF")
    try:
        with write(ctx) as unit:
            unit.journal("demo_catalog", None, {"products": products, "assortment": len(store.assortment),
                                                "seed": seed}, user="admin")
            for doc_id in store.documents:
                unit.journal("stock_opening", doc_id, {"document_id": doc_id}, user="admin")
        counts = replay(ctx, store, days, rng, start, staff["cashier"], staff["manager"])
    finally:
        ctx.close()
    _checkpoint(paths.db_path(folder))
    return {"data_dir": str(folder), "store": "S01", "till": "T01", "products": products,
            "assortment": len(store.assortment), "members": len(store.members), "days": days, **counts,
            "users": [{"user": "admin", "pin": "1234", "role": "admin"},
                      {"user": "manager", "pin": "2222", "role": "manager"},
                      {"user": "cashier", "pin": "1111", "role": "cashier"}],
            "from": start.date().isoformat(), "to": (now - timedelta(days=1)).date().isoformat()}


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def describe(report: dict[str, Any]) -> list[str]:
    lines = [_("Demo store {store}-{till} in {path}").format(store=report["store"], till=report["till"],
                                                            path=report["data_dir"]),
             _("{products} products ({assortment} on the shelves), {members} members").format(**report),
             _("{sales} sales, {returns} returns, {voids} voids over {days} days").format(**report),
             _("Users:")]
    lines += [f'  {u["user"]:<8} PIN {u["pin"]}  ({u["role"]})' for u in report["users"]]
    return lines
