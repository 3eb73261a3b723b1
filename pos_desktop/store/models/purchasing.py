"""Purchasing: supplier terms, contacts, packs and contract prices; purchase orders; goods receipts; supplier
invoices. The ``suppliers`` table itself (code, name, lead time) lives with the catalog (``catalog.py``).

Money is integer minor units, quantities integer thousandths, dates ``YYYY-MM-DD`` text, times ISO 8601 with
offset. A goods receipt is an immutable document (its stock movements are in the ledger); a purchase order
and an invoice carry a status that moves forward only, each move journaled. ``sales_daily`` is a cache of the
ledger for replenishment, kept by a trigger.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..base import Base
from .org import Id


class SupplierTerms(Base):
    """What a supplier's contract says beyond the catalog's lead time: minimum order value, payment days."""

    __tablename__ = "supplier_terms"
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), primary_key=True)
    min_order_minor: Mapped[int] = mapped_column(default=0)
    payment_days: Mapped[int] = mapped_column(default=30)
    updated_at: Mapped[str] = mapped_column(String(32))


class SupplierContact(Base):
    __tablename__ = "supplier_contacts"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))


class SupplierItem(Base):
    """A product a supplier delivers: its order multiple (pack size) and the supplier's own item code."""

    __tablename__ = "supplier_items"
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), primary_key=True, index=True)
    pack_qty_milli: Mapped[int] = mapped_column(default=1000)
    supplier_sku: Mapped[str | None] = mapped_column(String(50))


class SupplierPrice(Base):
    """A contract price per product unit, valid from ``valid_from`` to ``valid_to`` (inclusive; open if null).
    On a date the newest ``valid_from`` that covers it wins."""

    __tablename__ = "supplier_prices"
    __table_args__ = (Index("ix_supplier_prices_lookup", "supplier_id", "product_id", "valid_from"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"))
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    price_minor: Mapped[int]
    valid_from: Mapped[str] = mapped_column(String(10))
    valid_to: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[str] = mapped_column(String(32))


class PurchaseOrder(Base):
    """draft → sent → partly_received → received, or cancelled (from draft or sent)."""

    __tablename__ = "purchase_orders"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    po_no: Mapped[str] = mapped_column(String(40), unique=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    status: Mapped[str] = mapped_column(String(20), index=True)
    source: Mapped[str] = mapped_column(String(20), default="manual")
    note: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[str | None] = mapped_column(String(32))
    expected_date: Mapped[str | None] = mapped_column(String(10))
    closed_at: Mapped[str | None] = mapped_column(String(32))
    close_reason: Mapped[str | None] = mapped_column(String(200))


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    po_id: Mapped[str] = mapped_column(ForeignKey("purchase_orders.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    qty_milli: Mapped[int]
    price_minor: Mapped[int | None]
    pack_qty_milli: Mapped[int] = mapped_column(default=1000)


class GoodsReceipt(Base):
    """One delivery taken in, with or without a purchase order. Immutable."""

    __tablename__ = "goods_receipts"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    supplier_id: Mapped[str | None] = mapped_column(ForeignKey("suppliers.id"), index=True)
    po_id: Mapped[str | None] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[str] = mapped_column(String(32))


class GoodsReceiptLine(Base):
    """Delivered = accepted + rejected; accepted went to the receipt's location, rejected to quarantine."""

    __tablename__ = "goods_receipt_lines"
    receipt_id: Mapped[str] = mapped_column(ForeignKey("goods_receipts.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    po_line_no: Mapped[int | None]
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batches.id"))
    accepted_milli: Mapped[int]
    rejected_milli: Mapped[int] = mapped_column(default=0)
    reject_reason: Mapped[str | None] = mapped_column(String(200))
    unit_cost_minor: Mapped[int | None]
    code: Mapped[str | None] = mapped_column(String(120))


class SupplierInvoice(Base):
    """A supplier's bill, matched against its purchase order and goods receipts; open until paid."""

    __tablename__ = "supplier_invoices"
    __table_args__ = (UniqueConstraint("supplier_id", "invoice_no"),)
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"))
    invoice_no: Mapped[str] = mapped_column(String(50))
    po_id: Mapped[str | None] = mapped_column(ForeignKey("purchase_orders.id"))
    invoice_date: Mapped[str] = mapped_column(String(10))
    due_date: Mapped[str] = mapped_column(String(10), index=True)
    total_minor: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="open")
    match_status: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[str] = mapped_column(String(32))
    paid_at: Mapped[str | None] = mapped_column(String(32))


class SupplierInvoiceLine(Base):
    __tablename__ = "supplier_invoice_lines"
    invoice_id: Mapped[str] = mapped_column(ForeignKey("supplier_invoices.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    qty_milli: Mapped[int]
    price_minor: Mapped[int]


class SupplierInvoiceReceipt(Base):
    """Which goods receipts an invoice bills."""

    __tablename__ = "supplier_invoice_receipts"
    invoice_id: Mapped[str] = mapped_column(ForeignKey("supplier_invoices.id"), primary_key=True)
    receipt_id: Mapped[str] = mapped_column(ForeignKey("goods_receipts.id"), primary_key=True, index=True)


class SalesDaily(Base):
    """Σ of the sale and void movements per product and local day (the date of the movement's ``created_at``),
    as units sold — demand, wherever it was sold from (the tills sell from the floor) — a cache of the ledger
    for replenishment, like ``stock_levels``. ``day`` is the day number ``julianday(date) - 0.5`` (``date.toordinal() + 1721424``
    in Python): an integer key compares and joins faster than a date text.

    Kept by the trigger ``SALES_DAILY_TRIGGER`` in the same transaction as every movement, whoever writes it
    (checkout, voids, movements of other tills pulled by sync); ``replenishment.rebuild_sales_daily`` recomputes
    it from the ledger. Reading 90 days of it is reading one narrow row per product and day that had a sale,
    clustered by product (a product's window is one key range), instead of every sale line's movement.
    """

    __tablename__ = "sales_daily"
    __table_args__ = ({"sqlite_with_rowid": False},)
    product_id: Mapped[str] = mapped_column(Id, primary_key=True)
    day: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    qty_milli: Mapped[int]


SALES_DAILY_TRIGGER = """CREATE TRIGGER IF NOT EXISTS stock_movements_sales_daily AFTER INSERT ON stock_movements
WHEN new.reason IN ('sale', 'void') BEGIN
  INSERT INTO sales_daily (product_id, day, qty_milli)
  VALUES (new.product_id, CAST(julianday(substr(new.created_at, 1, 10)) AS INTEGER), -new.qty_milli)
  ON CONFLICT (product_id, day) DO UPDATE SET qty_milli = qty_milli + excluded.qty_milli;
END"""
SALES_DAILY_FILL = """INSERT INTO sales_daily (product_id, day, qty_milli)
SELECT product_id, CAST(julianday(substr(created_at, 1, 10)) AS INTEGER), -sum(qty_milli)
FROM stock_movements WHERE reason IN ('sale', 'void') GROUP BY 1, 2"""
