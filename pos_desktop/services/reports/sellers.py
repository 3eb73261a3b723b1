"""Best and worst sellers, by net sales, quantity or margin (the margin report's figures, ranked).

Best: the top ``limit`` by the metric. Worst: the bottom ``limit`` among what sold at all in the range, and —
by product — the stocked items that did not sell at all (on hand above zero at the end of the day today,
most stock value at cost first, with the day each last sold).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ...core import periods as period
from ...core.i18n import _
from ..context import Context
from .margin import BY, Sold, figure_row, sold_in, sort_rows
from .reading import div_half_up, money, qty, snapshot
from .table import INT, MONEY, PCT, QTY, Column, Report, Table, percent

METRICS = ("net_sales", "qty", "margin")
STOCK_LOCATIONS = "SELECT id FROM locations WHERE kind NOT IN ('transit', 'quarantine')"
ON_HAND_SQL = f"""SELECT l.product_id, sum(l.qty_milli) FROM stock_levels l
WHERE l.location_id IN ({STOCK_LOCATIONS}) GROUP BY l.product_id HAVING sum(l.qty_milli) > 0"""
LAST_SOLD_SQL = """SELECT substr(max(created_at), 1, 10) FROM stock_movements
WHERE product_id = ? AND reason = 'sale'"""


def sellers_report(ctx: Context, date_from: date, date_to: date, by: str = "product", metric: str = "net_sales",
                   limit: int = 20, worst: bool = False) -> Report:
    """The ``limit`` best (or worst) products or categories between two business dates (inclusive)."""
    period.check_range(date_from, date_to)
    period.check_by(by, BY)
    period.check_by(metric, METRICS)
    with snapshot(ctx) as conn:
        sold = sold_in(conn, date_from, date_to, ctx)
        unsold = _unsold(conn, sold, limit, ctx.places) if worst and by == "product" else None
    rows = _rows(sold, by, ctx.places)
    total_net = sum((r["net_sales"] for r in rows), Decimal(0))
    for r in rows:
        r["share_pct"] = percent(r["net_sales"], total_net)
    ranked = sort_rows(rows, metric, reverse=not worst)[:max(limit, 0)]
    for i, r in enumerate(ranked, start=1):
        r["rank"] = i
    name_columns = [Column("sku", _("SKU")), Column("name", _("Item")), Column("category", _("Category")),
                    Column("qty", _("Quantity"), QTY)] if by == "product" else \
        [Column("category", _("Category")), Column("products", _("Items"), INT)]
    columns = (Column("rank", _("Rank"), INT), *name_columns, Column("net_sales", _("Net sales"), MONEY),
               Column("margin", _("Margin"), MONEY), Column("margin_pct", _("Margin %"), PCT),
               Column("share_pct", _("Share of sales %"), PCT))
    title = _("Worst sellers") if worst else _("Best sellers")
    tables = [Table("sellers", title, columns, ranked)]
    if unsold is not None:
        tables.append(Table("unsold", _("Stocked but not sold"), (
            Column("sku", _("SKU")), Column("name", _("Item")), Column("category", _("Category")),
            Column("on_hand", _("On hand"), QTY), Column("stock_value", _("Stock value at cost"), MONEY),
            Column("last_sold", _("Last sold"))), unsold))
    params = {"from": date_from.isoformat(), "to": date_to.isoformat(), "by": by, "metric": metric, "limit": limit,
              "worst": worst, "store": ctx.till.store_code, "currency": ctx.till.currency}
    return Report("sellers", title, params, tables, ctx.places)


def _rows(sold: Sold, by: str, places: int) -> list[dict[str, Any]]:
    if by == "product":
        return [{"sku": info.sku if info else pid, "name": info.name if info else "",
                 "category": (info.category if info else None) or _("(no category)"), **figure_row(f, places)}
                for pid, f in sold.figures.items() for info in [sold.products.get(pid)]]
    return [{"category": name or _("(no category)"), "products": n, **figure_row(f, places)}
            for _cid, (name, f, n) in sold.by_category().items()]


def _unsold(conn, sold: Sold, limit: int, places: int) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    from .margin import product_info
    stocked = {pid: q for pid, q in conn.execute(ON_HAND_SQL) if pid not in sold.figures}
    costs = {}
    ids = list(stocked)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        costs.update(conn.execute(f"SELECT id, cost_minor FROM products WHERE id IN ({', '.join('?' * len(chunk))})",
                                  chunk).fetchall())
    value = {pid: div_half_up((costs.get(pid) or 0) * q, 1000) for pid, q in stocked.items()}
    top = sorted(stocked, key=lambda pid: (-value[pid], pid))[:max(limit, 0)]
    info = product_info(conn, top)
    return [{"sku": info[pid].sku if pid in info else pid, "name": info[pid].name if pid in info else "",
             "category": (info[pid].category if pid in info else None) or _("(no category)"),
             "on_hand": qty(stocked[pid]), "stock_value": money(value[pid], places),
             "last_sold": conn.execute(LAST_SOLD_SQL, (pid,)).fetchone()[0]} for pid in top]
