"""Shrinkage: stock that left other than through a sale, from stock adjustments, counts and transfers.

Loss movements of the range (local dates of the movements): stock adjustments (``damaged``, ``lost``,
``correction``, and ``found`` as a gain), posted stock counts (``count``: counted − expected, either sign) and
goods that never arrived from a transfer (``transfer_short``). Goods moved into quarantine are not lost (yet):
only their write-off is. Each is valued at the movement's unit cost (the item's cost if it carried none),
rounded to the cent per movement; a loss is positive, a gain negative.

- ``shrink_value`` = Σ losses − Σ gains, at cost;
- ``shrink_rate`` = shrink value ÷ cost of goods sold in the range (the margin report's cost: sales net of
  returns, at the cost on each sale line) × 100 — cost against cost, so a category with dear goods and one
  with cheap goods compare fairly;
- ``shrink_pct_of_sales`` = shrink value ÷ net sales × 100, the figure retailers usually quote.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...core import periods as period
from ...core.i18n import _
from ..context import Context
from .margin import Figures, product_info, sold_in, sort_rows
from .reading import div_half_up, money, qty, snapshot
from .table import INT, MONEY, PCT, QTY, Column, Report, Table, percent

BY = ("category", "product", "reason")
REASONS = ("damaged", "lost", "correction", "count", "transfer_short", "found")
LOSS_SQL = """SELECT m.product_id, m.reason, m.qty_milli, coalesce(m.unit_cost_minor, p.cost_minor, 0)
FROM stock_movements m JOIN products p ON p.id = m.product_id
WHERE m.created_at >= :start AND substr(m.created_at, 1, 10) <= :to
  AND ((m.doc_type = 'adjustment' AND m.reason IN ('damaged', 'lost', 'found', 'correction'))
       OR m.reason IN ('count', 'transfer_short'))"""


def reason_labels() -> dict[str, str]:
    return {"damaged": _("Damaged"), "lost": _("Lost"), "correction": _("Corrections"), "count": _("Counts"),
            "transfer_short": _("Short in transfers"), "found": _("Found")}


def losses_in(conn, date_from: date, date_to: date) -> dict[str, dict[str, list[int]]]:  # type: ignore[no-untyped-def]
    """product id → reason → [lost thousandths, lost value in minor units, movements] (gains negative)."""
    out: dict[str, dict[str, list[int]]] = {}
    for pid, reason, q, cost in conn.execute(LOSS_SQL, {"start": date_from.isoformat(), "to": date_to.isoformat()}):
        acc = out.setdefault(pid, {}).setdefault(reason, [0, 0, 0])
        acc[0] -= q
        acc[1] += div_half_up(-q * int(cost), 1000)
        acc[2] += 1
    return out


def shrinkage_report(ctx: Context, date_from: date, date_to: date, by: str = "category") -> Report:
    """Shrinkage by category, product or reason between two dates (inclusive), largest loss first."""
    period.check_range(date_from, date_to)
    period.check_by(by, BY)
    with snapshot(ctx) as conn:
        losses = losses_in(conn, date_from, date_to)
        sold = sold_in(conn, date_from, date_to)
        info = {**sold.products, **product_info(conn, [pid for pid in losses if pid not in sold.products])}
    p = ctx.places
    labels = reason_labels()
    groups: dict[str, dict[str, Any]] = {}

    def group(key: str, **fields: Any) -> dict[str, Any]:
        return groups.setdefault(key, {**fields, "qty": 0, "by_reason": dict.fromkeys(REASONS, 0), "moves": 0,
                                       "sold": Figures()})

    if by == "category":                           # every category that sold, so that none looks better by absence
        for name, _f, _n in sold.by_category().values():
            group(name or _("(no category)"), category=name or _("(no category)"))
    for pid, reasons in losses.items():
        i = info.get(pid)
        category = (i.category if i else None) or _("(no category)")
        for reason, (q, value, moves) in reasons.items():
            if by == "reason":
                g = group(reason, reason=labels.get(reason, reason))
            elif by == "product":
                g = group(pid, sku=i.sku if i else pid, name=i.name if i else "", category=category)
            else:
                g = group(category, category=category)
            g["qty"] += q
            g["by_reason"][reason] = g["by_reason"].get(reason, 0) + value
            g["moves"] += moves
    if by != "reason":
        for pid, f in sold.figures.items():
            i = info.get(pid)
            category = (i.category if i else None) or _("(no category)")
            key = pid if by == "product" else category
            if key in groups:
                groups[key]["sold"].add(f)
    total_sold = Figures()
    for f in sold.figures.values():
        total_sold.add(f)
    rows = [_row(g, p) for g in groups.values()]
    rows = sort_rows(rows, "shrink_value")
    total = {"by_reason": {r: sum(g["by_reason"][r] for g in groups.values()) for r in REASONS},
             "moves": sum(g["moves"] for g in groups.values()), "qty": 0, "sold": total_sold}
    totals = {**_row(total, p), ("category" if by == "category" else "sku" if by == "product" else "reason"): _("Total")}
    totals.pop("qty")
    key_columns = {"category": [Column("category", _("Category"))],
                   "product": [Column("sku", _("SKU")), Column("name", _("Item")), Column("category", _("Category")),
                               Column("qty", _("Units lost"), QTY)],
                   "reason": [Column("reason", _("Reason"))]}[by]
    columns = (*key_columns, Column("movements", _("Movements"), INT),
               *(Column(r, labels[r], MONEY) for r in REASONS),
               Column("shrink_value", _("Shrinkage at cost"), MONEY), Column("cogs", _("Cost of goods sold"), MONEY),
               Column("net_sales", _("Net sales"), MONEY), Column("shrink_rate", _("Shrinkage % of cost sold"), PCT),
               Column("shrink_pct_of_sales", _("Shrinkage % of sales"), PCT))
    params = {"from": date_from.isoformat(), "to": date_to.isoformat(), "by": by, "store": ctx.till.store_code,
              "currency": ctx.till.currency}
    return Report("shrinkage", _("Shrinkage"), params, [Table("shrinkage", _("Shrinkage"), columns, rows, totals)], p)


def _row(g: dict[str, Any], p: int) -> dict[str, Any]:
    shrink = sum(g["by_reason"].values())
    sold: Figures = g["sold"]
    row = {k: v for k, v in g.items() if k not in ("by_reason", "moves", "sold", "qty")}
    row.update({r: money(v, p) for r, v in g["by_reason"].items()})
    row.update({"qty": qty(g["qty"]), "movements": g["moves"], "shrink_value": money(shrink, p),
                "cogs": money(sold.cost, p), "net_sales": money(sold.net, p),
                "shrink_rate": percent(shrink, sold.cost), "shrink_pct_of_sales": percent(shrink, sold.net)})
    return row
