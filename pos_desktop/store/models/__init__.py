"""Every model, imported once so ``Base.metadata`` is complete for alembic and for tests."""

from .catalog import Barcode, Category, PriceVersion, Product, Promotion, Supplier
from . import counts  # noqa: F401  (stock counts and transfers: issue 6)
from .journal import JournalEntry, OutboxEvent
from .members import Customer, PointsEntry
from .org import Counter, Location, Setting, Store, Till, User
from . import purchasing  # noqa: F401  (suppliers' terms, purchase orders, goods receipts, invoices: issue 6)
from . import shifts  # noqa: F401  (cash movements and counts, shift tenders, Z reports: issue 7)
from .sales import Payment, Refund, ReturnLine, Sale, SaleLine, SaleReturn, SaleVoid, Shift, SuspendedCart
from .stock import Alert, Batch, StockDocument, StockLevel, StockMovement
from .sync import SyncState

__all__ = [
    "Alert", "Barcode", "Batch", "Category", "Counter", "Customer", "JournalEntry", "Location",
    "OutboxEvent", "Payment", "PointsEntry", "PriceVersion", "Product", "Promotion", "Refund", "ReturnLine",
    "Sale", "SaleLine", "SaleReturn", "SaleVoid", "Setting", "Shift", "StockDocument",
    "StockLevel", "StockMovement", "Store", "Supplier", "SuspendedCart", "SyncState", "Till", "User",
]
