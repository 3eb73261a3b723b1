"""Every model of the server database, imported in one place for alembic and ``create_all`` (one module per
area: org, catalog, members, access, events, sales, stock, changes)."""

from .access import ApiKey, EnrolCode, Enrolment
from .audit import AdminTotp, JournalAlert, JournalLink
from .base import Base
from .catalog import Barcode, Category, PriceVersion, Product, Promotion
from .changes import Change
from .events import Event, EventError
from .members import Member
from .org import CHAIN, Location, Setting, Store, Supplier, User
from .sales import Payment, Refund, ReturnLine, Sale, SaleLine, SaleReturn, SaleVoid
from .stock import StockLevel, StockMovement

__all__ = [
           "AdminTotp",
           "JournalAlert",
           "JournalLink",
           "CHAIN",
           "ApiKey",
           "Barcode",
           "Base",
           "Category",
           "Change",
           "EnrolCode",
           "Enrolment",
           "Event",
           "EventError",
           "Location",
           "Member",
           "Payment",
           "PriceVersion",
           "Product",
           "Promotion",
           "Refund",
           "ReturnLine",
           "Sale",
           "SaleLine",
           "SaleReturn",
           "SaleVoid",
           "Setting",
           "StockLevel",
           "StockMovement",
           "Store",
           "Supplier",
           "User",
]
