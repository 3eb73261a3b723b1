"""Receipts as data for the device tests (the same shape checkout returns), and a config.toml helper."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

from pos_desktop import config
from pos_desktop.core.receipt import Receipt, ReceiptLine

NAMES = ["可口可乐 Coca-Cola 330ml", "红富士苹果 Fuji apple", "农夫山泉 550ml", "康师傅红烧牛肉面 noodles",
         "蒙牛纯牛奶 250ml milk", "徐福记沙琪玛 snack", "金龙鱼大米 5kg rice", "海天酱油 soy sauce 500ml",
         "德芙巧克力 Dove chocolate", "青岛啤酒 Tsingtao beer"]


def sample_receipt(n_lines: int = 3, *, voided: bool = False, customer: str | None = "M0001",
                   payments: tuple[tuple[str, D], ...] | None = None) -> Receipt:
    lines = []
    for i in range(n_lines):
        qty = D("0.755") if i % 5 == 1 else D(i % 3 + 1)
        price = D(i * 137 % 9000) / 100 + D("1.50")
        gross = (qty * price).quantize(D("0.01"))
        discount = D("0.50") if i % 4 == 0 else D(0)
        net = gross - discount
        rate = D("0.09") if i % 2 else D("0.13")
        tax = (net - net / (1 + rate)).quantize(D("0.01"))
        lines.append(ReceiptLine(i + 1, f"SKU{i}", NAMES[i % len(NAMES)], qty, price, gross, discount, net, rate,
                                 tax))
    subtotal = sum((ln.gross for ln in lines), D(0))
    discounts = sum((ln.discount for ln in lines), D(0))
    total = subtotal - discounts
    paid = (total // 100 + 1) * 100
    payments = payments or (("cash", paid),)
    paid = sum((amount for _m, amount in payments), D(0))
    return Receipt(
        receipt_no="S01-T01-000123", sale_id="sale-1", created_at="2026-11-20T10:00:00+08:00",
        store_name="好又多超市 Haoyouduo", till_code="T01", cashier="收银员 Amy", subtotal=subtotal,
        discount_total=discounts, tax_total=sum((ln.tax for ln in lines), D(0)), total=total, rounding=D(0),
        paid=paid, change=paid - total, lines=tuple(lines), payments=payments, customer=customer,
        points_earned=int(total) if customer else 0, points_balance=1200 if customer else None, voided=voided)


RETURN_JSON: dict[str, Any] = {
    "receipt_no": "S01-T01-000124", "return_id": "ret-1", "original_receipt": "S01-T01-000123",
    "created_at": "2026-11-20T11:00:00+08:00", "total": "3.15", "tax_total": "0.36",
    "lines": [{"line_no": 1, "sale_line_no": 1, "sku": "SKU0", "qty": "1.000", "amount": "3.15", "tax": "0.36"}],
    "refunds": [{"method": "cash", "amount": "3.15"}],
}


def write_config(folder: Path, **sections: dict[str, Any]) -> Path:
    """A config.toml in ``folder`` with ``sections`` over the defaults (validated as the till reads it)."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = config.defaults()
    for name, values in sections.items():
        doc[name].update(values)
    path = folder / "config.toml"
    config.save(path, doc)
    return path
