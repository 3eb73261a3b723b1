"""Stock alerts for the manager's dashboard and ``pos alerts``: computed from the ledger when asked, never stored.

Kinds (in this order):
- ``low_stock``: an active product whose on-hand (all locations but TRANSIT and QUAR) is below its reorder point;
- ``negative_stock``: a product whose on-hand at one location is below zero (a sale is a fact; count it);
- ``near_expiry``: a batch with stock (not in QUAR/TRANSIT) expiring within N days — N is the store setting
  ``near_expiry_days`` (default 7), per category in ``near_expiry_by_category`` (``{"乳制品 Dairy": 3}``);
- ``expired``: a batch past its expiry date with stock anywhere but QUAR (on the floor it is still on sale);
- ``dead_stock``: a product with stock that has not sold for ``dead_stock_days`` (default 60) and has been in
  the store at least that long.

Each kind is one set-based query over the cached levels (``stock_levels``), the batches, and — for dead stock —
the sales of the last N days (found through ``sales.business_date``), so the cost follows the store's stock,
not the catalog's size: ≤ 1 s for a million-product catalog with 20,000 stocked products.
The settings are store data in the ``settings`` table like the others (declared here until they join
``core.store_settings``); changing them needs ``settings.edit`` and is journaled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.permissions import Action
from ..core.store_settings import SETTINGS, SettingVar
from ..store import sql
from .auth import Operator, require
from .context import Context
from .unit import write

KINDS = ("low_stock", "negative_stock", "near_expiry", "expired", "dead_stock")
SELLABLE = "(SELECT id FROM locations WHERE kind NOT IN ('transit', 'quarantine'))"


ALERT_SETTINGS: dict[str, SettingVar] = {name: SETTINGS[name] for name in (
    "near_expiry_days", "near_expiry_by_category", "dead_stock_days")}


@dataclass(frozen=True)
class AlertSettings:
    near_expiry_days: int
    near_expiry_by_category: dict[str, int]
    dead_stock_days: int

    def to_json(self) -> dict[str, Any]:
        return {"near_expiry_days": self.near_expiry_days, "near_expiry_by_category": self.near_expiry_by_category,
                "dead_stock_days": self.dead_stock_days}


def alert_settings(ctx: Context) -> AlertSettings:
    get = lambda name: ctx.settings.get(name, ALERT_SETTINGS[name].default)
    return AlertSettings(int(get("near_expiry_days")), dict(get("near_expiry_by_category")),
                         int(get("dead_stock_days")))


def update_alert_settings(ctx: Context, operator: Operator, values: dict[str, Any],
                          approver: Operator | None = None) -> AlertSettings:
    """Validate and store alert settings (``settings.edit``); one transaction with the ``settings_changed``
    journal entry and the ``settings.changed`` outbox event (as for every store setting)."""
    approved = require(operator, Action.SETTINGS, approver)
    parsed = {}
    for name, value in values.items():
        if name not in ALERT_SETTINGS:
            raise InvalidInput(_("Unknown setting {name!r}").format(name=name), code="unknown_setting")
        parsed[name] = ALERT_SETTINGS[name].parse(value)
    with write(ctx) as unit:
        for name, value in parsed.items():
            unit.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) "
                              "DO UPDATE SET value = excluded.value", (name, json.dumps(value, ensure_ascii=False)))
        digest = unit.journal("settings_changed", None, parsed, user=operator.username,
                              approver=approved.username if approved else None)
        unit.outbox("settings.changed", parsed, digest)
    ctx.settings.update(parsed)
    return alert_settings(ctx)


@dataclass(frozen=True)
class StockAlert:
    kind: str
    sku: str
    name: str
    location: str | None
    lot: str | None
    expiry: str | None
    qty: Decimal
    message: str
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "sku": self.sku, "name": self.name, "location": self.location, "lot": self.lot,
                "expiry": self.expiry, "qty": f"{self.qty:f}", "message": self.message, **self.detail}


def compute_alerts(ctx: Context, kinds: tuple[str, ...] = KINDS) -> list[StockAlert]:
    """Every alert of ``kinds`` as the ledger stands now (``ctx.clock`` decides what today is). Reads only."""
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise InvalidInput(_("Unknown alert kind {kind}; choose from {kinds}").format(
            kind=", ".join(sorted(unknown)), kinds=", ".join(KINDS)), code="bad_kind")
    settings = alert_settings(ctx)
    today = ctx.clock.now().date()
    with ctx.db.read() as session:
        conn = sql.dbapi(session.connection())
        found: list[StockAlert] = []
        if "low_stock" in kinds:
            found += _low_stock(conn)
        if "negative_stock" in kinds:
            found += _negative(conn)
        if "near_expiry" in kinds or "expired" in kinds:
            found += [a for a in _expiry(conn, today, settings) if a.kind in kinds]
        if "dead_stock" in kinds:
            found += _dead(conn, today, settings.dead_stock_days)
    return found


def _low_stock(conn) -> list[StockAlert]:  # type: ignore[no-untyped-def]
    rows = sql.rows(conn, f"""
        SELECT sku, name, reorder_point_milli, qty FROM (
            SELECT p.sku, p.name, p.reorder_point_milli,
                   coalesce((SELECT sum(sl.qty_milli) FROM stock_levels sl WHERE sl.product_id = p.id
                             AND sl.location_id IN {SELLABLE}), 0) AS qty
            FROM products p INDEXED BY ix_products_reorder_point
            WHERE p.reorder_point_milli IS NOT NULL AND p.active)
        WHERE qty < reorder_point_milli ORDER BY sku""")
    text = _("{name} ({sku}): {qty} on hand, below the reorder point of {point}")
    return [StockAlert("low_stock", sku, name, None, None, None, _dec(qty),
                       text.format(
                           name=name, sku=sku, qty=_qty(qty),
                           point=_qty(point)),
                       {"reorder_point": _qty(point)})
            for sku, name, point, qty in rows]


def _negative(conn) -> list[StockAlert]:  # type: ignore[no-untyped-def]
    rows = sql.rows(conn, """
        SELECT p.sku, p.name, l.code, n.qty FROM (
            SELECT product_id, location_id, sum(qty_milli) AS qty FROM stock_levels
            GROUP BY product_id, location_id HAVING sum(qty_milli) < 0) n
        JOIN products p ON p.id = n.product_id JOIN locations l ON l.id = n.location_id ORDER BY p.sku, l.code""")
    text = _("{name} ({sku}) at {location}: {qty} on hand; count it or record the missing delivery")
    return [StockAlert("negative_stock", sku, name, loc, None, None, _dec(qty),
                       text.format(name=name, sku=sku, location=loc, qty=_qty(qty)), {})
            for sku, name, loc, qty in rows]


def _expiry(conn, today: date, settings: AlertSettings) -> list[StockAlert]:  # type: ignore[no-untyped-def]
    by_category = {cid: settings.near_expiry_by_category[name] for cid, name in sql.rows(
        conn, "SELECT id, name FROM categories") if name in settings.near_expiry_by_category}
    horizon = today + timedelta(days=max([settings.near_expiry_days, *by_category.values()]))
    rows = sql.rows(conn, """
        SELECT p.sku, p.name, p.category_id, l.code, l.kind, b.lot, b.expiry, sl.qty_milli
        FROM stock_levels sl JOIN batches b ON b.id = sl.batch_key JOIN locations l ON l.id = sl.location_id
        JOIN products p ON p.id = sl.product_id
        WHERE sl.batch_key != '' AND sl.qty_milli > 0 AND b.expiry IS NOT NULL AND b.expiry <= ?
          AND l.kind != 'quarantine'
        ORDER BY b.expiry, p.sku, l.code, b.lot""", horizon.isoformat())
    found = []
    for sku, name, category, loc, kind, lot, expiry, qty in rows:
        left = (date.fromisoformat(expiry) - today).days
        q = _qty(qty)
        if left < 0:
            message = (_("{name} ({sku}) lot {lot} expired on {expiry} and is still on the sales floor ({location}): "
                         "take it off sale") if kind == "floor" else
                       _("{name} ({sku}) lot {lot} expired on {expiry}; {qty} still at {location}: move it to "
                         "quarantine")).format(name=name, sku=sku, lot=lot, expiry=expiry, location=loc, qty=q)
            found.append(StockAlert("expired", sku, name, loc, lot, expiry, _dec(qty), message,
                                    {"days_left": left}))
        elif kind != "transit" and left <= by_category.get(category, settings.near_expiry_days):
            message = _("{name} ({sku}) lot {lot} at {location}: {qty} expire on {expiry} (in {days} days)").format(
                name=name, sku=sku, lot=lot, location=loc, qty=q, expiry=expiry, days=left)
            found.append(StockAlert("near_expiry", sku, name, loc, lot, expiry, _dec(qty), message,
                                    {"days_left": left}))
    return found


def _dead(conn, today: date, days: int) -> list[StockAlert]:  # type: ignore[no-untyped-def]
    """Stocked products whose last sale (``ix_stock_movements_sales``: one index seek each) is older than the
    cut-off, among those that have been in the store since before it."""
    since = (today - timedelta(days=days)).isoformat()
    rows = sql.rows(conn, f"""
        SELECT p.sku, p.name, s.qty, s.last_sale, (SELECT min(created_at) FROM stock_movements m
                                                  WHERE m.product_id = s.product_id) AS first_seen
        FROM (SELECT sl.product_id, sum(sl.qty_milli) AS qty,
                     (SELECT max(m.created_at) FROM stock_movements m INDEXED BY ix_stock_movements_sales
                      WHERE m.product_id = sl.product_id AND m.reason = 'sale') AS last_sale
              FROM stock_levels sl WHERE sl.location_id IN {SELLABLE}
              GROUP BY sl.product_id HAVING sum(sl.qty_milli) > 0) s
        JOIN products p ON p.id = s.product_id
        WHERE (s.last_sale IS NULL OR substr(s.last_sale, 1, 10) <= ?) ORDER BY p.sku""", since)
    found = []
    for sku, name, qty, last, first in rows:
        if first is None or first[:10] > since:
            continue
        q = _qty(qty)
        message = (_("{name} ({sku}): {qty} on hand, no sale for {days} days (last sale {date})").format(
            name=name, sku=sku, qty=q, days=days, date=last[:10]) if last else
            _("{name} ({sku}): {qty} on hand, never sold since {date}").format(name=name, sku=sku, qty=q,
                                                                             date=first[:10]))
        found.append(StockAlert("dead_stock", sku, name, None, None, None, _dec(qty), message,
                                {"last_sale": last[:10] if last else None}))
    return found


def _dec(milli: int) -> Decimal:
    """``milli_to_qty`` for thousands of rows: exponent −3 already, so ``f"{q:f}"`` prints three decimals."""
    return Decimal(milli).scaleb(-3)


def _qty(milli: int) -> str:
    """``format_qty(milli_to_qty(milli))`` without the Decimal round trip (thousands of alerts at a time)."""
    sign, milli = ("-", -milli) if milli < 0 else ("", milli)
    return f"{sign}{milli // 1000}.{milli % 1000:03d}"
