"""Replenishment suggestions: what to order from whom, and why.

Per active product:

- **velocity** v: the exponentially weighted mean of its daily sales over the last ``window_days`` complete
  days (today is left out: it is not over). Daily sales are the sale movements (out of the sales floor, where
  the tills sell) net of voids (returns are not demand and are left out), read from ``sales_daily`` (their sum per product and day,
  kept by a trigger on the ledger); days without a sale count as 0. A history shorter than the window (a new
  till, a new product) counts only its own days, at least 7. Weights halve every
  ``half_life_days`` (default 14), normalised over the window, so a product whose sales have changed shows it
  within two weeks while one odd day moves little.
- **σ**: the standard deviation of daily sales with the same weights.
- **lead time** L: the days its supplier needs — the product's supplier in the catalog, else the first (by
  code) supplier that has it among its items (``pos supplier item``); ``default_lead_days`` without one.
- **safety stock** = z × σ × √L, where z is the standard normal quantile of the target service level (95 % →
  1.645). This assumes daily demand independent from day to day and lead-time demand approximately normal
  (the sum of L days; for slow movers, whose demand is Poisson-like and skewed, the normal approximation
  under-states the tail a little); the lead time itself is taken as certain.
- **reorder point** = v × L + safety stock (or the catalog's ``reorder_point`` when that is higher).
- **on hand**: the stock of every location of the store but quarantine (rejected goods are not for sale);
  **on order**: what sent and partly received orders still miss; **in draft**: what draft orders hold
  (counted too, so that suggesting twice does not order twice).

When on hand + on order + in draft is at or below the reorder point, the suggestion orders up to the reorder
point plus ``review_days`` of sales (the stock must last until the next order is placed); at least the
catalog's ``reorder_qty``; rounded up to the supplier's pack size. Lines are grouped per supplier; a
supplier's group below its minimum order value is topped up one pack at a time, each time on the line that
would run out first (fewest days of cover), until the minimum is reached. Each line says all this in words
and numbers (``reason``) and carries the figures.

``suggest`` only reads; ``create_drafts`` turns suggestions into draft purchase orders (``purchase.manage``).
The policy and the demand figures (velocity and σ from ``sales_daily``) are in ``replenishment_demand``; they
are imported here, so every name stays importable from this module.
"""

from __future__ import annotations

import heapq
import math
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from ..core.i18n import _
from ..core.money import format_money, format_qty, from_minor
from ..core.permissions import Action
from ..store import sql
from .auth import Operator, require
from .context import Context
from .purchasing import PoLineInput, add_draft
from .replenishment_demand import Policy, demand
from .replenishment_demand import JULIAN_OFFSET, rebuild_sales_daily  # noqa: F401 (its callers import them here)
from .unit import write


@dataclass(frozen=True)
class Suggestion:
    """One product to order, with every figure its reason names (quantities in product units)."""

    sku: str
    name: str
    qty: Decimal
    reason: str
    velocity: float
    sigma: float
    lead_time_days: int
    safety_stock: float
    reorder_point: float
    on_hand: Decimal
    on_order: Decimal
    in_draft: Decimal
    order_up_to: float
    pack_qty: Decimal
    unit_cost: Decimal | None
    topped_up: Decimal = Decimal(0)
    product_id: str = field(default="", repr=False)

    def to_json(self, places: int) -> dict[str, Any]:
        value = self.unit_cost * self.qty if self.unit_cost is not None else None
        return {"sku": self.sku, "qty": format_qty(self.qty), "reason": self.reason, "name": self.name,
                "velocity": _fixed(self.velocity), "sigma": _fixed(self.sigma),
                "lead_time_days": self.lead_time_days, "safety_stock": _fixed(self.safety_stock),
                "reorder_point": _fixed(self.reorder_point), "on_hand": format_qty(self.on_hand),
                "on_order": format_qty(self.on_order), "in_draft": format_qty(self.in_draft),
                "order_up_to": _fixed(self.order_up_to), "pack_qty": format_qty(self.pack_qty),
                "topped_up": format_qty(self.topped_up),
                "unit_cost": format_money(self.unit_cost, places) if self.unit_cost is not None else None,
                "value": format_money(value, places) if value is not None else None}


@dataclass(frozen=True)
class SupplierSuggestion:
    supplier: str | None
    supplier_name: str | None
    lead_time_days: int
    min_order: Decimal
    lines: tuple[Suggestion, ...]
    note: str | None = None

    @property
    def total(self) -> Decimal:
        return sum((s.unit_cost * s.qty for s in self.lines if s.unit_cost is not None), Decimal(0))

    def to_json(self, places: int) -> dict[str, Any]:
        return {"supplier": self.supplier, "lines": [line.to_json(places) for line in self.lines],
                "supplier_name": self.supplier_name, "lead_time_days": self.lead_time_days,
                "min_order": format_money(self.min_order, places), "total": format_money(self.total, places),
                "note": self.note}


def _fixed(value: float) -> str:
    """A float figure with three decimals, as quantities are written ("-0.000" never)."""
    return f"{round(value, 3) + 0.0:.3f}"


# ---------------------------------------------------------------------------------------------- the figures



ON_HAND_SQL = """SELECT sl.product_id, sum(sl.qty_milli) FROM stock_levels sl
JOIN locations l ON l.id = sl.location_id WHERE l.kind != 'quarantine' GROUP BY sl.product_id"""

OPEN_LINES_SQL = """SELECT l.product_id, o.status, l.qty_milli, coalesce(r.got, 0)
FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.po_id
LEFT JOIN (SELECT g.po_id, gl.po_line_no, sum(gl.accepted_milli) AS got FROM goods_receipt_lines gl
           JOIN goods_receipts g ON g.id = gl.receipt_id WHERE g.po_id IS NOT NULL GROUP BY g.po_id, gl.po_line_no) r
  ON r.po_id = l.po_id AND r.po_line_no = l.line_no
WHERE o.status IN ('draft', 'sent', 'partly_received')"""

PRODUCTS_SQL = """SELECT p.id, p.sku, p.name, p.supplier_id, p.reorder_point_milli, p.reorder_qty_milli,
       p.is_weighed, p.cost_minor, p.created_at FROM products p WHERE p.active = 1"""

PRICES_SQL = """SELECT supplier_id, product_id, price_minor FROM supplier_prices
WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) ORDER BY valid_from, created_at, rowid"""


@dataclass
class _Figures:
    velocity: dict[str, tuple[float, float]]
    on_hand: dict[str, int]
    on_order: dict[str, int]
    in_draft: dict[str, int]
    suppliers: dict[str, tuple[str, str, int, int]]          # id → (code, name, lead, min order minor)
    packs: dict[tuple[str, str], int]
    prices: dict[tuple[str, str], int]
    item_supplier: dict[str, str]                            # product → first supplier (by code) that has it


def _figures(conn: sqlite3.Connection, as_of: date, policy: Policy, created: dict[str, str]) -> _Figures:
    on_order: dict[str, int] = {}
    in_draft: dict[str, int] = {}
    for product_id, status, qty, got in sql.rows(conn, OPEN_LINES_SQL):
        target = in_draft if status == "draft" else on_order
        target[product_id] = target.get(product_id, 0) + max(qty - got, 0)
    suppliers = {sid: (code, name, lead, minimum or 0) for sid, code, name, lead, minimum in sql.rows(
        conn, "SELECT s.id, s.code, s.name, s.lead_time_days, t.min_order_minor FROM suppliers s "
              "LEFT JOIN supplier_terms t ON t.supplier_id = s.id")}
    day = as_of.isoformat()
    item_supplier: dict[str, str] = {}
    packs: dict[tuple[str, str], int] = {}
    for product_id, supplier_id, pack in sql.rows(conn, "SELECT product_id, supplier_id, pack_qty_milli "
                                                        "FROM supplier_items"):
        packs[(supplier_id, product_id)] = pack
        first = item_supplier.get(product_id)
        if first is None or suppliers[supplier_id][0] < suppliers[first][0]:
            item_supplier[product_id] = supplier_id
    return _Figures(
        velocity=demand(conn, as_of, policy, created), on_hand=dict(sql.rows(conn, ON_HAND_SQL)),
        on_order=on_order, in_draft=in_draft, suppliers=suppliers, packs=packs,
        prices={(s, p): price for s, p, price in sql.rows(conn, PRICES_SQL, day, day)}, item_supplier=item_supplier)


# ---------------------------------------------------------------------------------------------- suggesting


def suggest(ctx: Context, policy: Policy | None = None, *, as_of: date | None = None,
            supplier: str | None = None) -> list[SupplierSuggestion]:
    """What to order now, per supplier (by code; products without a supplier last, as ``supplier`` None).
    Reads only; ``as_of`` defaults to today (its sales are not counted: the day is not over)."""
    policy = (policy or Policy()).check()
    as_of = as_of or ctx.clock.now().date()
    with ctx.db.raw() as conn:
        conn.execute("BEGIN")    # one snapshot for every figure
        try:
            products = sql.rows(conn, PRODUCTS_SQL)
            figures = _figures(conn, as_of, policy, {row[0]: row[-1] for row in products})
        finally:
            conn.execute("COMMIT")
    rule = _Rule(figures, policy, ctx.places)
    groups: dict[str | None, list[Suggestion]] = {}
    item_supplier = figures.item_supplier
    for product_id, sku, name, supplier_id, rop_milli, min_qty_milli, weighed, cost, _created in products:
        supplier_id = supplier_id or item_supplier.get(product_id)
        line = rule.line(product_id, sku, name, supplier_id, rop_milli, min_qty_milli, bool(weighed), cost)
        if line is not None:
            groups.setdefault(supplier_id, []).append(line)
    out = []
    for supplier_id, lines in groups.items():
        code, name, lead, minimum = figures.suppliers.get(supplier_id, (None, None, policy.default_lead_days, 0))
        if supplier is not None and code != supplier:
            continue
        group = SupplierSuggestion(code, name, lead, from_minor(minimum, ctx.places),
                                   tuple(sorted(lines, key=lambda s: s.sku)))
        out.append(_reach_minimum(group, figures, ctx.places))
    return sorted(out, key=lambda g: (g.supplier is None, g.supplier or ""))


class _Rule:
    """The reorder rule of the module docstring for one call: the policy's constants and the words of the
    reasons are looked up once, the figures of each product come from ``_Figures`` (plain ints and floats in
    the loop; a Suggestion is made only for the products to order)."""

    def __init__(self, figures: _Figures, policy: Policy, places: int) -> None:
        self.f, self.policy, self.places = figures, policy, places
        self.z, self.review = policy.z, policy.review_days
        self.leads = {sid: lead for sid, (_c, _n, lead, _m) in figures.suppliers.items()}
        self.roots: dict[int, float] = {}
        self.words = {
            "sells": _("sells {velocity}/day (σ {sigma}, weighted over recent days)"),
            "lead": _("lead time {lead} d"),
            "safety": _("safety stock {safety} = {z} × {sigma} × √{lead} for {level} % service (normal demand)"),
            "rop": _("reorder point {rop}"), "rop_catalog": _("reorder point {rop} (from the catalog)"),
            "stock": _("on hand {on_hand}, on order {on_order}"),
            "stock_draft": _("on hand {on_hand}, on order {on_order}, in draft orders {in_draft}"),
            "target": _("order up to {target} (reorder point + {review} d of sales): {need}"),
            "pack": _("rounded up to packs of {pack}: {qty}"),
        }
        self.z_text, self.level = _num(self.z), _num(policy.service_level * 100)

    def line(self, product_id: str, sku: str, name: str, supplier_id: str | None, rop_milli: int | None,
             min_qty_milli: int | None, weighed: bool, cost: int | None) -> Suggestion | None:
        f = self.f
        velocity, sigma = f.velocity.get(product_id, (0.0, 0.0))
        hand_milli = f.on_hand.get(product_id, 0)
        if velocity == 0 and rop_milli is None and hand_milli >= 0:
            return None                                   # the common case, decided cheaply
        order_milli, draft_milli = f.on_order.get(product_id, 0), f.in_draft.get(product_id, 0)
        lead = self.leads.get(supplier_id, self.policy.default_lead_days) if supplier_id else \
            self.policy.default_lead_days
        root = self.roots.get(lead)
        if root is None:
            root = self.roots[lead] = math.sqrt(lead)
        safety = self.z * sigma * root
        computed = velocity * lead + safety
        from_catalog = rop_milli is not None and rop_milli / 1000 > computed
        rop = rop_milli / 1000 if from_catalog else computed  # type: ignore[operator]
        position = (hand_milli + order_milli + draft_milli) / 1000
        if position > rop:
            return None
        target = rop + velocity * self.review
        need = target - position
        if min_qty_milli and need < min_qty_milli / 1000:
            need = min_qty_milli / 1000
        pack = (f.packs.get((supplier_id, product_id)) if supplier_id else None) or 1000
        qty_milli = _round_up(need, pack, weighed)
        if qty_milli <= 0:
            return None
        price = f.prices.get((supplier_id, product_id)) if supplier_id else None
        price = price if price is not None else cost
        return Suggestion(sku, name, _milli(qty_milli), self._reason(
            velocity, sigma, lead, safety, rop, from_catalog, hand_milli, order_milli, draft_milli, target, need,
            pack, qty_milli), velocity, sigma, lead, safety, rop, _milli(hand_milli), _milli(order_milli),
            _milli(draft_milli), target, _milli(pack), Decimal(price).scaleb(-self.places) if price is not None
            else None, product_id=product_id)

    def _reason(self, velocity: float, sigma: float, lead: int, safety: float, rop: float, from_catalog: bool,
                hand: int, order: int, draft: int, target: float, need: float, pack: int, qty: int) -> str:
        w = self.words
        sigma_text = _num(sigma)
        parts = [w["sells"].format(velocity=_num(velocity), sigma=sigma_text), w["lead"].format(lead=lead),
                 w["safety"].format(safety=_num(safety), z=self.z_text, sigma=sigma_text, lead=lead,
                                    level=self.level),
                 (w["rop_catalog"] if from_catalog else w["rop"]).format(rop=_num(rop)),
                 w["stock_draft" if draft else "stock"].format(on_hand=_num(hand / 1000), on_order=_num(order / 1000),
                                                               in_draft=_num(draft / 1000)),
                 w["target"].format(target=_num(target), review=self.review, need=_num(need))]
        if pack != 1000:
            parts.append(w["pack"].format(pack=_num(pack / 1000), qty=_num(qty / 1000)))
        return "; ".join(parts)


def _milli(milli: int) -> Decimal:
    return Decimal(milli).scaleb(-3)


def _num(value: float | Decimal) -> str:
    """A figure as people read it: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _round_up(need: float, pack_milli: int, weighed: bool) -> int:
    """``need`` rounded up to whole packs (and whole units for counted goods), in thousandths."""
    if need <= 0:
        return 0
    step = pack_milli if weighed or pack_milli % 1000 == 0 else -(-pack_milli // 1000) * 1000
    packs = math.ceil(round(need * 1000 / step, 6))
    return packs * step


def _reach_minimum(group: SupplierSuggestion, f: _Figures, places: int) -> SupplierSuggestion:
    """Top a group up to the supplier's minimum order value, a pack at a time on the line with the fewest days
    of cover; unchanged when it already reaches it or when no line has a price."""
    minimum = group.min_order
    if minimum <= 0 or group.total >= minimum:
        return group
    priced = [i for i, s in enumerate(group.lines) if s.unit_cost]
    if not priced:
        return replace(group, note=_("The minimum order value {minimum} cannot be checked: no line has a "
                                     "price").format(minimum=format_money(minimum, places)))
    extra = {i: Decimal(0) for i in priced}
    total = group.total
    heap = [(_cover(group.lines[i], Decimal(0)), i) for i in priced]
    heapq.heapify(heap)
    while total < minimum:
        _days, i = heapq.heappop(heap)
        line = group.lines[i]
        extra[i] += line.pack_qty
        total += line.pack_qty * line.unit_cost
        heapq.heappush(heap, (_cover(line, extra[i]), i))
    lines = list(group.lines)
    for i, more in extra.items():
        if more:
            line = lines[i]
            note = _("+ {extra} to reach the supplier's minimum order value {minimum}: {qty}").format(
                extra=_num(more), minimum=format_money(minimum, places), qty=_num(line.qty + more))
            lines[i] = replace(line, qty=line.qty + more, topped_up=more, reason=f"{line.reason}; {note}")
    return replace(group, lines=tuple(lines))


def _cover(line: Suggestion, extra: Decimal) -> float:
    """Days the line's stock lasts after this order (+ ``extra``); lines that do not sell come last."""
    stock = float(line.on_hand + line.on_order + line.in_draft + line.qty + extra)
    return stock / line.velocity if line.velocity > 0 else math.inf


# ---------------------------------------------------------------------------------------------- drafts


def create_drafts(ctx: Context, operator: Operator, groups: list[SupplierSuggestion],
                  approver: Operator | None = None) -> list[str]:
    """Turn suggestions into draft purchase orders, one per supplier (products without a supplier are left
    out), in one transaction; each order journaled (``po_created``) and outboxed (``purchase_order.created``)
    with ``source`` ``suggestion``. Needs ``purchase.manage``. Returns the order numbers."""
    approved = require(operator, Action.PURCHASE, approver)
    numbers = []
    with write(ctx) as unit:
        for group in groups:
            if group.supplier is None or not group.lines:
                continue
            lines = [PoLineInput(line.sku, line.qty) for line in group.lines]
            numbers.append(add_draft(unit, operator, supplier=group.supplier, lines=lines, source="suggestion",
                                     note=_("Suggested by replenishment"), approver=approved))
    return numbers
