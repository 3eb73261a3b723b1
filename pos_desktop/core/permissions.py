"""Who may do what: the role × action matrix, and the discount limit of each role.

A user who lacks an action may still do it with a manager override: an approver whose role has it. The
services check both and record the approver in the journal.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from .errors import InvalidInput
from .i18n import _


class Role(StrEnum):
    CASHIER = "cashier"
    SUPERVISOR = "supervisor"
    STOCK_CLERK = "stock_clerk"
    MANAGER = "manager"
    ADMIN = "admin"


class Action(StrEnum):
    SELL = "sale.create"
    DISCOUNT = "sale.discount"                  # within the role's discount limit
    DISCOUNT_OVER_LIMIT = "sale.discount_over_limit"
    PRICE_OVERRIDE = "sale.price_override"
    VOID_LINE = "sale.void_line"
    VOID_SALE = "sale.void"
    RETURN = "sale.return"
    NO_SALE = "drawer.no_sale"
    MEMBER_ENROL = "member.enrol"
    STOCK_VIEW = "stock.view"
    STOCK_ADJUST = "stock.adjust"
    STOCK_RECEIVE = "stock.receive"
    STOCK_COUNT = "stock.count"
    COUNT_APPROVE = "stock.count_approve"
    TRANSFER = "stock.transfer"
    PURCHASE = "purchase.manage"
    CATALOG_EDIT = "catalog.edit"
    CATALOG_IMPORT = "catalog.import"
    SHIFT = "shift.operate"
    CASH_MOVE = "shift.cash_move"
    REPORT_X = "report.x"
    REPORT_Z = "report.z"
    REPORTS = "report.view"
    USER_MANAGE = "user.manage"
    SETTINGS = "settings.edit"
    BACKUP = "data.backup"
    RESTORE = "data.restore"
    SYNC = "sync.run"


_CASHIER = {Action.SELL, Action.DISCOUNT, Action.VOID_LINE, Action.RETURN, Action.MEMBER_ENROL,
            Action.STOCK_VIEW, Action.SHIFT, Action.REPORT_X}
_SUPERVISOR = _CASHIER | {Action.VOID_SALE, Action.NO_SALE, Action.CASH_MOVE, Action.PRICE_OVERRIDE}
_STOCK_CLERK = {Action.STOCK_VIEW, Action.STOCK_RECEIVE, Action.STOCK_COUNT, Action.TRANSFER}
_MANAGER = _SUPERVISOR | _STOCK_CLERK | {
    Action.DISCOUNT_OVER_LIMIT, Action.STOCK_ADJUST, Action.COUNT_APPROVE, Action.PURCHASE,
    Action.CATALOG_EDIT, Action.CATALOG_IMPORT, Action.REPORT_Z, Action.REPORTS, Action.BACKUP, Action.SYNC}
_ADMIN = set(Action)

MATRIX: dict[Role, frozenset[Action]] = {
    Role.CASHIER: frozenset(_CASHIER),
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.STOCK_CLERK: frozenset(_STOCK_CLERK),
    Role.MANAGER: frozenset(_MANAGER),
    Role.ADMIN: frozenset(_ADMIN),
}

# Largest line or cart discount (percent of the amount discounted) a role may give without an override.
DEFAULT_DISCOUNT_LIMITS: dict[Role, Decimal] = {
    Role.CASHIER: Decimal(10), Role.SUPERVISOR: Decimal(30), Role.STOCK_CLERK: Decimal(0),
    Role.MANAGER: Decimal(100), Role.ADMIN: Decimal(100),
}


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise InvalidInput(_("Unknown role {role!r}; choose one of {choices}").format(
            role=text, choices=choices)) from None


def allowed(role: Role, action: Action) -> bool:
    return action in MATRIX[role]


def describe(action: Action) -> str:
    """A person's name for an action, for 'you may not …' messages."""
    names = {
        Action.SELL: _("sell"), Action.DISCOUNT: _("give discounts"),
        Action.DISCOUNT_OVER_LIMIT: _("give a discount above your limit"),
        Action.PRICE_OVERRIDE: _("override a price"), Action.VOID_LINE: _("void a line"),
        Action.VOID_SALE: _("void a sale"), Action.RETURN: _("take returns"),
        Action.NO_SALE: _("open the drawer without a sale"), Action.STOCK_ADJUST: _("adjust stock"),
        Action.CATALOG_IMPORT: _("import the catalog"), Action.USER_MANAGE: _("manage users"),
        Action.BACKUP: _("back up the data"), Action.RESTORE: _("restore a backup"),
        Action.REPORT_Z: _("close the day"), Action.REPORT_X: _("print an X report"),
        Action.REPORTS: _("see the reports"), Action.STOCK_VIEW: _("see stock"),
        Action.STOCK_RECEIVE: _("receive goods"), Action.STOCK_COUNT: _("count stock"),
        Action.COUNT_APPROVE: _("approve a stock count"), Action.TRANSFER: _("transfer stock"),
        Action.PURCHASE: _("manage purchasing"), Action.CATALOG_EDIT: _("edit the catalog"),
        Action.SHIFT: _("open or close a shift"), Action.CASH_MOVE: _("move cash in or out of the drawer"),
        Action.MEMBER_ENROL: _("enrol members"), Action.SETTINGS: _("change the settings"),
        Action.SYNC: _("run the sync"),
    }
    return names.get(action, action.value)
