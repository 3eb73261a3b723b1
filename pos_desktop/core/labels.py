"""The words for values a person reads: payment methods, roles, document states — each a literal ``_()`` so the
translation tools can see it."""

from __future__ import annotations

from .i18n import _


def method_name(method: str) -> str:
    names = {"cash": _("Cash"), "card": _("Card"), "qr": _("QR pay"), "points": _("Points"),
             "voucher": _("Voucher")}
    return names.get(method, method)


def role_name(role: str) -> str:
    names = {"cashier": _("cashier"), "supervisor": _("supervisor"), "stock_clerk": _("stock clerk"),
             "manager": _("manager"), "admin": _("administrator")}
    return names.get(role, role)


def state_name(state: str) -> str:
    names = {"open": _("open"), "suspended": _("suspended"), "completed": _("completed"),
             "cancelled": _("cancelled"), "voided": _("voided"), "return": _("return")}
    return names.get(state, state)


def fits(text: str, encoding: str) -> bool:
    """Whether ``text`` can be shown on a device with this single- or double-byte ``encoding``."""
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True
