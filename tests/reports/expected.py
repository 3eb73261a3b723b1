"""The reports' figures recomputed the plain way, row by row from the raw tables, with Decimal arithmetic —
deliberately sharing no code with pos_desktop.services.reports."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal as D


def cents(minor: int) -> D:
    return (D(minor) / 100).quantize(D("0.01"))


def half_up(value: D) -> int:
    return int(value.quantize(D(1), rounding=ROUND_HALF_UP))


@dataclass
class Raw:
    sales: list[dict]
    lines: list[dict]
    voided: set
    returns: list[dict]
    return_lines: list[dict]
    products: dict
    users: dict

    @classmethod
    def read(cls, path) -> "Raw":  # type: ignore[no-untyped-def]
        conn = sqlite3.connect(path)
        conn.row_factory = sqlite3.Row
        try:
            sales = [dict(r) for r in conn.execute("SELECT * FROM sales")]
            lines = [dict(r) for r in conn.execute("SELECT * FROM sale_lines")]
            voided = {r[0] for r in conn.execute("SELECT sale_id FROM sale_voids")}
            rets = [dict(r) for r in conn.execute("SELECT * FROM returns")]
            rlines = [dict(r) for r in conn.execute("SELECT * FROM return_lines")]
            products = {r["id"]: dict(r) for r in conn.execute(
                "SELECT p.id, p.sku, p.name, p.is_weighed, p.cost_minor, c.name AS category FROM products p "
                "LEFT JOIN categories c ON c.id = p.category_id")}
            users = {r["id"]: r["username"] for r in conn.execute("SELECT id, username FROM users")}
        finally:
            conn.close()
        return cls(sales, lines, voided, rets, rlines, products, users)

    def completed(self, lo: date, hi: date) -> list[dict]:
        return [s for s in self.sales if lo.isoformat() <= s["business_date"] <= hi.isoformat()
                and s["id"] not in self.voided]

    def returns_in(self, lo: date, hi: date) -> list[dict]:
        return [r for r in self.returns if lo.isoformat() <= r["business_date"] <= hi.isoformat()]


def day_figures(raw: Raw, lo: date, hi: date) -> dict:
    """The sales trend's figures of a range, from sale lines (not headers) and return lines."""
    sales = raw.completed(lo, hi)
    ids = {s["id"] for s in sales}
    lines = [ln for ln in raw.lines if ln["sale_id"] in ids]
    rets = raw.returns_in(lo, hi)
    ret_ids = {r["id"] for r in rets}
    rlines = [ln for ln in raw.return_lines if ln["return_id"] in ret_ids]
    gross = sum(ln["gross_minor"] for ln in lines)
    discounts = sum(ln["promo_discount_minor"] + ln["line_discount_minor"] + ln["cart_share_minor"] for ln in lines)
    returned = sum(ln["amount_minor"] for ln in rlines)
    voids = [s for s in raw.sales if lo.isoformat() <= s["business_date"] <= hi.isoformat() and s["id"] in raw.voided]
    return {"sales_count": len(sales), "returns_count": len(rets), "voids_count": len(voids),
            "gross_sales": cents(gross), "discounts": cents(discounts), "returns": cents(returned),
            "net_sales": cents(gross - discounts - returned),
            "tax": cents(sum(ln["tax_minor"] for ln in lines) - sum(ln["tax_minor"] for ln in rlines))}


@dataclass
class ProductMargin:
    qty: D = D(0)
    gross: int = 0
    discounts: int = 0
    returns: int = 0
    cost: int = 0
    uncosted: int = 0
    costed_net: int = 0
    skus: set = field(default_factory=set)

    @property
    def net(self) -> int:
        return self.gross - self.discounts - self.returns

    @property
    def margin(self) -> int:
        return self.costed_net - self.cost


def margins(raw: Raw, lo: date, hi: date, by: str = "product") -> dict[str, ProductMargin]:
    out: dict[str, ProductMargin] = defaultdict(ProductMargin)

    def key(product_id: str) -> str:
        p = raw.products[product_id]
        return p["sku"] if by == "product" else (p["category"] or "(no category)")

    ids = {s["id"] for s in raw.completed(lo, hi)}
    by_line = {(ln["sale_id"], ln["line_no"]): ln for ln in raw.lines}
    for ln in raw.lines:
        if ln["sale_id"] not in ids:
            continue
        m = out[key(ln["product_id"])]
        m.skus.add(raw.products[ln["product_id"]]["sku"])
        m.qty += D(ln["qty_milli"]) / 1000
        m.gross += ln["gross_minor"]
        m.discounts += ln["promo_discount_minor"] + ln["line_discount_minor"] + ln["cart_share_minor"]
        net = ln["net_minor"]
        if ln["unit_cost_minor"] is None:
            m.uncosted += net
        else:
            m.cost += half_up(D(ln["unit_cost_minor"]) * ln["qty_milli"] / 1000)
            m.costed_net += net
    rets = {r["id"]: r for r in raw.returns_in(lo, hi)}
    for rl in raw.return_lines:
        if rl["return_id"] not in rets:
            continue
        sold = by_line[(rets[rl["return_id"]]["original_sale_id"], rl["sale_line_no"])]
        m = out[key(rl["product_id"])]
        m.skus.add(raw.products[rl["product_id"]]["sku"])
        m.qty -= D(rl["qty_milli"]) / 1000
        m.returns += rl["amount_minor"]
        if sold["unit_cost_minor"] is None:
            m.uncosted -= rl["amount_minor"]
        else:
            m.cost -= half_up(D(sold["unit_cost_minor"]) * rl["qty_milli"] / 1000)
            m.costed_net -= rl["amount_minor"]
    return dict(out)
