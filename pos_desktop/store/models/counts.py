"""Stock counts and transfers (issue 6), and the two indexes their reports need on the ledger and catalog.

A count is a document that is open while people count, finished when the variance report is made, and
approved when its differences are posted to the ledger (doc_type ``count``). Each line keeps the ledger
position it is measured against: ``expected_milli`` (and per batch ``expected_batches``) is the on-hand at the
moment the line was last counted, so a sale made after that moment stays in the ledger untouched.

A transfer moves stock between two locations of this store, or to/from another store through sync:
draft → shipped (stock left, sits in TRANSIT) → received (with short/over/damaged per line).
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..base import Base
from .catalog import Product
from .org import Id
from .stock import StockMovement


class StockCount(Base):
    """open → finished → approved (or cancelled). ``kind``: full (a whole location), category, stale (items
    not counted for ``stale_days``)."""

    __tablename__ = "stock_counts"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    category_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"))
    stale_days: Mapped[int | None]
    blind: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), index=True)
    note: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[str] = mapped_column(String(32))
    finished_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    finished_at: Mapped[str | None] = mapped_column(String(32))
    approved_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[str | None] = mapped_column(String(32))


class CountLine(Base):
    """One product of a count. ``counted_milli`` is Σ of the counters' tallies in the current ``round``;
    ``expected_*`` is the ledger at ``expected_at`` (the line's last entry, or the finish for an uncounted line)."""

    __tablename__ = "count_lines"
    count_id: Mapped[str] = mapped_column(ForeignKey("stock_counts.id"), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), primary_key=True, index=True)
    in_scope: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    round: Mapped[int] = mapped_column(default=1)
    expected_milli: Mapped[int] = mapped_column(default=0)
    expected_batches: Mapped[str | None] = mapped_column(String)
    expected_at: Mapped[str | None] = mapped_column(String(32))
    counted_milli: Mapped[int] = mapped_column(default=0)
    unit_cost_minor: Mapped[int | None]
    posted_milli: Mapped[int | None]


class CountEntry(Base):
    """What one counter said about one product: ``add`` adds to their tally (each scan), ``set`` replaces it."""

    __tablename__ = "count_entries"
    __table_args__ = (Index("ix_count_entries_line", "count_id", "product_id"),)
    count_id: Mapped[str] = mapped_column(ForeignKey("stock_counts.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"))
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batches.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    round: Mapped[int]
    mode: Mapped[str] = mapped_column(String(10))
    qty_milli: Mapped[int]
    scanned: Mapped[str | None] = mapped_column(String(120))
    recorded_at: Mapped[str] = mapped_column(String(32))


class Transfer(Base):
    """``direction``: internal (both locations here), outgoing (to another store), incoming (from another store,
    made from the sender's ``transfer.shipped`` event, with the sender's id)."""

    __tablename__ = "transfers"
    id: Mapped[str] = mapped_column(Id, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    direction: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), index=True)
    from_store: Mapped[str] = mapped_column(String(10))
    from_location: Mapped[str] = mapped_column(String(10))
    to_store: Mapped[str] = mapped_column(String(10))
    to_location: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[str] = mapped_column(String(32))
    shipped_by: Mapped[str | None] = mapped_column(String(50))
    shipped_at: Mapped[str | None] = mapped_column(String(32))
    received_by: Mapped[str | None] = mapped_column(String(50))
    received_at: Mapped[str | None] = mapped_column(String(32))
    settled_at: Mapped[str | None] = mapped_column(String(32))


class TransferLine(Base):
    """Requested ``qty``; after shipping one line per batch shipped; after receiving what arrived in good order,
    damaged (→ QUAR), and the reason given for any difference."""

    __tablename__ = "transfer_lines"
    transfer_id: Mapped[str] = mapped_column(ForeignKey("transfers.id"), primary_key=True)
    line_no: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(50))
    lot: Mapped[str | None] = mapped_column(String(40))
    expiry: Mapped[str | None] = mapped_column(String(10))
    qty_milli: Mapped[int]
    received_milli: Mapped[int | None]
    damaged_milli: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(String(200))
    unit_cost_minor: Mapped[int | None]


# A recall reads the ledger by batch; only batch-tracked movements pay for this index.
ix_stock_movements_batch = Index("ix_stock_movements_batch", StockMovement.batch_id,
                                 sqlite_where=text("batch_id IS NOT NULL"))
# Dead-stock alerts ask "sold since?" of each stocked product: one seek each, however long the history.
ix_stock_movements_sales = Index("ix_stock_movements_sales", StockMovement.product_id, StockMovement.created_at,
                                 sqlite_where=text("reason = 'sale'"))
# Low-stock alerts read the few products that have a reorder point, not a million that do not.
ix_products_reorder_point = Index("ix_products_reorder_point", Product.reorder_point_milli,
                                  sqlite_where=text("reorder_point_milli IS NOT NULL"))
