"""A receipt as data: what `pos sale --json` prints and what a printer lays out. Pure values."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .money import format_money, format_qty, format_rate


@dataclass(frozen=True)
class ReceiptLine:
    line_no: int
    sku: str
    name: str
    qty: Decimal
    unit_price: Decimal
    gross: Decimal
    discount: Decimal
    net: Decimal
    tax_rate: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Receipt:
    receipt_no: str
    sale_id: str
    created_at: str
    store_name: str
    till_code: str
    cashier: str
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal
    rounding: Decimal
    paid: Decimal
    change: Decimal
    lines: tuple[ReceiptLine, ...]
    payments: tuple[tuple[str, Decimal], ...]
    customer: str | None = None
    points_earned: int = 0
    points_balance: int | None = None
    voided: bool = False
    warnings: tuple[str, ...] = field(default=())
    places: int = 2

    def tax_summary(self) -> dict[Decimal, tuple[Decimal, Decimal]]:
        summary: dict[Decimal, tuple[Decimal, Decimal]] = {}
        for line in self.lines:
            net, tax = summary.get(line.tax_rate, (Decimal(0), Decimal(0)))
            summary[line.tax_rate] = (net + line.net, tax + line.tax)
        return summary

    def to_json(self) -> dict[str, Any]:
        m = lambda amount: format_money(amount, self.places)  # noqa: E731
        doc: dict[str, Any] = {
            "receipt_no": self.receipt_no, "sale_id": self.sale_id, "created_at": self.created_at,
            "status": "voided" if self.voided else "completed",
            "subtotal": m(self.subtotal), "discount_total": m(self.discount_total),
            "tax_total": m(self.tax_total), "total": m(self.total), "rounding": m(self.rounding),
            "paid": m(self.paid), "change": m(self.change),
            "lines": [{"line_no": ln.line_no, "sku": ln.sku, "name": ln.name, "qty": format_qty(ln.qty),
                       "unit_price": m(ln.unit_price), "gross": m(ln.gross), "discount": m(ln.discount),
                       "net": m(ln.net), "tax_rate": format_rate(ln.tax_rate), "tax": m(ln.tax)}
                      for ln in self.lines],
            "payments": [{"method": method, "amount": m(amount)} for method, amount in self.payments],
            "customer": self.customer, "points_earned": self.points_earned,
        }
        if self.points_balance is not None:
            doc["points_balance"] = self.points_balance
        if self.warnings:
            doc["warnings"] = list(self.warnings)
        return doc
