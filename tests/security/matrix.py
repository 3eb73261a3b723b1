"""The permission matrix as cases: every action of ``core/permissions.py`` × every role, alone and with a
manager override, each with a probe that does the action through the real services.

A new ``Action`` without a probe here fails ``test_every_action_has_a_probe``: the matrix walk covers new
actions by construction. A few actions are checked where they are enforced outside ``services/`` (the
screen's line void, the reports menu, the handheld's stock view, the manual sync); the probe then calls
``auth.require`` — the very function the screen calls — and ``ENFORCED_ELSEWHERE`` says where.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D
from pathlib import Path
from typing import Any

from pos_desktop.core.cart import Cart
from pos_desktop.core.permissions import MATRIX, Action, Role, allowed
from pos_desktop.services import (
    auth,
    backups,
    catalog,
    catalog_import,
    checkout,
    counts,
    drawer,
    members,
    promotions,
    receiving,
    returns,
    settings,
    shifts,
    stock,
    suppliers,
    transfers,
    zreport,
)
from pos_desktop.services.auth import Operator
from pos_desktop.services.checkout import Tender
from pos_desktop.services.returns import ReturnRequest
from tests.conftest import COLA

USERS = {Role.ADMIN: ("admin", "1234"), Role.CASHIER: ("amy", "1111"), Role.SUPERVISOR: ("sam", "3333"),
         Role.MANAGER: ("mia", "9999"), Role.STOCK_CLERK: ("ken", "4444")}

ENFORCED_ELSEWHERE = {
    Action.VOID_LINE: "ui/sale_session.py (a line is voided in the open cart, before anything is written)",
    Action.STOCK_VIEW: "services/handheld.py and the screens (pos stock reads without a user, CLI.md)",
    Action.REPORTS: "cli/report_cmds.py and the back-office menus",
    Action.SYNC: "not enforced: the agent syncs on its own and pos sync needs no user (CLI.md)",
}


def approver_for(action: Action) -> Role:
    """Who a cashier calls for an override: the manager, or the administrator when only they may."""
    return Role.MANAGER if allowed(Role.MANAGER, action) else Role.ADMIN


def expected(role: Role, action: Action, approver: Role | None, takes_approver: bool) -> bool:
    if allowed(role, action):
        return True
    return approver is not None and takes_approver and allowed(approver, action)


def cash_sale(ctx, operator: Operator, approver: Operator | None = None, *, price: D | None = None):  # type: ignore[no-untyped-def]
    cart = Cart()
    found = catalog.lookup_scan(ctx, COLA)
    cart.add(found.product, found.qty)
    if price is not None:
        cart.override_price(1, price)
    total = cart.price(at=ctx.clock.now()).cart.total
    return checkout.complete_sale(ctx, cart, [Tender("cash", total)], operator, approver)


@dataclass(frozen=True)
class Probe:
    """``run`` does the action; ``takes_approver``: the service accepts an override; ``setup`` (as admin)
    makes what the action needs, again after each allowed run; ``fresh``: each allowed run needs a till of
    its own (a second open shift, a second count of a location, a restore are refused or replace it)."""

    run: Callable[[Any, Operator, Operator | None, dict[str, Any]], Any]
    takes_approver: bool
    setup: Callable[[Any, Operator, Path], dict[str, Any]] | None = None
    fresh: bool = False


NUMBERS = itertools.count(100)


def _with_sale(ctx, admin: Operator, _tmp: Path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"receipt": cash_sale(ctx, admin).receipt_no}


def _with_shift(ctx, admin: Operator, _tmp: Path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    shifts.open_shift(ctx, admin, float_amount=D(100))
    return {}


def _with_finished_count(ctx, admin: Operator, _tmp: Path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    info = counts.start_count(ctx, admin, location="BACK")
    counts.finish_count(ctx, admin, info.id)
    return {"count": info.id}


def _with_backup(ctx, admin: Operator, tmp: Path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"backup": backups.backup(ctx, admin, tmp / f"before{next(NUMBERS)}.db")}


def _with_catalog_file(_ctx, _admin: Operator, tmp: Path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    path = tmp / "catalog.csv"
    path.write_text("sku,name,price,barcode\nTEA,Green tea 绿茶,4.50,\n", encoding="utf-8")
    return {"file": path}


PROBES: dict[Action, Probe] = {
    Action.SELL: Probe(lambda ctx, op, ap, s: cash_sale(ctx, op, ap), True),
    Action.DISCOUNT: Probe(lambda ctx, op, ap, s: auth.require_discount(ctx, op, D(5), ap), True),
    Action.DISCOUNT_OVER_LIMIT: Probe(lambda ctx, op, ap, s: auth.require_discount(ctx, op, D(50), ap), True),
    Action.PRICE_OVERRIDE: Probe(lambda ctx, op, ap, s: cash_sale(ctx, op, ap, price=D("2.00")), True),
    Action.VOID_LINE: Probe(lambda ctx, op, ap, s: auth.require(op, Action.VOID_LINE, ap), True),
    Action.VOID_SALE: Probe(lambda ctx, op, ap, s: returns.void_sale(ctx, op, receipt_no=s["receipt"], reason="wrong",
                                                                      approver=ap), True, _with_sale),
    Action.RETURN: Probe(lambda ctx, op, ap, s: returns.return_items(
        ctx, op, receipt_no=s["receipt"], lines=[ReturnRequest(1, D(1))], reason="damaged", approver=ap),
        True, _with_sale),
    Action.NO_SALE: Probe(lambda ctx, op, ap, s: drawer.record_no_sale(ctx, op, reason="change", approver=ap), True),
    Action.MEMBER_ENROL: Probe(lambda ctx, op, ap, s: members.enrol_member(ctx, op, code=f"M{next(NUMBERS)}",
                                                                                   name="李雷"), False),
    Action.STOCK_VIEW: Probe(lambda ctx, op, ap, s: auth.require(op, Action.STOCK_VIEW, ap), True),
    Action.STOCK_ADJUST: Probe(lambda ctx, op, ap, s: stock.adjust_stock(
        ctx, op, sku="COLA", location="BACK", qty_delta=D(2), reason="found", approver=ap), True),
    Action.STOCK_RECEIVE: Probe(lambda ctx, op, ap, s: receiving.receive_goods(ctx, op, receiving.ReceiptInput(
        (receiving.ReceiptLineInput(sku="SOAP", qty=D(6)),)), ap), True),
    Action.STOCK_COUNT: Probe(lambda ctx, op, ap, s: counts.start_count(ctx, op, location="BACK"), False,
                              fresh=True),
    Action.COUNT_APPROVE: Probe(lambda ctx, op, ap, s: counts.approve_count(ctx, op, s["count"], ap), True,
                                _with_finished_count, fresh=True),
    Action.TRANSFER: Probe(lambda ctx, op, ap, s: transfers.create_transfer(
        ctx, op, from_location="BACK", to="FLOOR", lines=[transfers.LineInput(D(1), sku="SOAP")]), False),
    Action.PURCHASE: Probe(lambda ctx, op, ap, s: suppliers.save_supplier(
        ctx, op, suppliers.SupplierInput("SUP09", "华联 Hualian"), ap), True),
    Action.CATALOG_EDIT: Probe(lambda ctx, op, ap, s: promotions.add_promotion(
        ctx, op, name="九折 10 % off", kind="percent_off", sku="COLA", percent=D(10)), False),
    Action.CATALOG_IMPORT: Probe(lambda ctx, op, ap, s: catalog_import.import_catalog(ctx, s["file"], op), False,
                                 _with_catalog_file),
    Action.SHIFT: Probe(lambda ctx, op, ap, s: shifts.open_shift(ctx, op, float_amount=D(100), approver=ap), True,
                        fresh=True),
    Action.CASH_MOVE: Probe(lambda ctx, op, ap, s: shifts.move_cash(
        ctx, op, kind="in", amount=D(20), reason="coins", approver=ap), True, _with_shift, fresh=True),
    Action.REPORT_X: Probe(lambda ctx, op, ap, s: zreport.x_report(ctx, op, approver=ap), True),
    Action.REPORT_Z: Probe(lambda ctx, op, ap, s: zreport.close_day(ctx, op, date(2026, 11, 20), approver=ap), True),
    Action.REPORTS: Probe(lambda ctx, op, ap, s: auth.require(op, Action.REPORTS, ap), True),
    Action.USER_MANAGE: Probe(lambda ctx, op, ap, s: auth.add_user(ctx, op, f"lily{next(NUMBERS)}", "cashier",
                                                                   "5555"), False),
    Action.SETTINGS: Probe(lambda ctx, op, ap, s: settings.update_settings(ctx, op, {"cash_rounding": "drop_fen"}),
                           False),
    Action.BACKUP: Probe(lambda ctx, op, ap, s: backups.backup(ctx, op, s["dir"] / f"copy{next(NUMBERS)}.db"), False),
    Action.RESTORE: Probe(lambda ctx, op, ap, s: backups.restore(ctx, op, s["backup"]), False, _with_backup,
                          fresh=True),
    Action.SYNC: Probe(lambda ctx, op, ap, s: auth.require(op, Action.SYNC, ap), True),
}


def cases() -> list[tuple[Action, Role, Role | None]]:
    """(action, role, approver role or None) for the whole matrix; an override only where one is needed."""
    out: list[tuple[Action, Role, Role | None]] = []
    for action in Action:
        for role in MATRIX:
            out.append((action, role, None))
            if not allowed(role, action):
                out.append((action, role, approver_for(action)))
    return out
