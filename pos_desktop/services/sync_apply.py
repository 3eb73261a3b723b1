"""Applying a page of the server's change feed to the till database: one transaction per page, with the cursor.

Master data flows down (products through ``upsert_products``, promotions, users, settings, locations,
members) and so do the other tills' stock movements of this store, which go into the ledger by movement id:
``INSERT OR IGNORE``, and only a movement that was not there yet moves ``stock_levels``. Applying is
idempotent (a page applied twice changes nothing the second time) and nothing pulled goes into the outbox.

Head office is authoritative for what it sends: a barcode or a PLU it gives to a product is taken from
whichever product had it, and a product's barcodes are the list it sends. A change the till cannot use (a
malformed one, a role it does not know) is skipped and logged, never allowed to stop the feed: the cursor
moves past it, as the server's own ingest never lets one bad event block a queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .context import Context
from .sync_apply_catalog import (
    PageReport,
    _apply_locations,
    _apply_members,
    _apply_products,
    _apply_promotions,
    _apply_settings,
    _apply_users,
)
from .sync_apply_stock import (
    _apply_movements,
    _apply_receipts,
    _apply_shipments,
)
from .sync_state import store_cursor
from .unit import Unit, write


def apply_page(ctx: Context, changes: list[dict[str, Any]], next_cursor: str) -> PageReport:
    """Apply one page of ``GET /changes`` and store ``next_cursor``, in one transaction.

    Kinds are applied in dependency order (locations, products, promotions, users, settings, members, then
    movements, which may name any of them, then transfers between stores); within a kind the feed's order
    holds (a later change wins).
    """
    groups: dict[str, list[Any]] = {}
    report = PageReport()
    for change in changes:
        kind = change.get("kind") if isinstance(change, dict) else None
        if kind not in APPLIERS:
            report.skip(str(kind), change, "unknown kind")
            continue
        groups.setdefault(kind, []).append(change.get("data"))
    with write(ctx) as unit:
        for kind, applier in APPLIERS.items():
            if groups.get(kind):
                applier(unit, groups[kind], report)
        store_cursor(unit.conn, next_cursor)
    ctx.settings.update(report.settings)
    return report


APPLIERS: dict[str, Callable[[Unit, list[Any], PageReport], None]] = {
    "location": _apply_locations,
    "product": _apply_products,
    "promotion": _apply_promotions,
    "user": _apply_users,
    "setting": _apply_settings,
    "member": _apply_members,
    "movement": _apply_movements,
    "transfer.shipped": _apply_shipments,
    "transfer.received": _apply_receipts,
}
