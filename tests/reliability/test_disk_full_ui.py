"""On the till's window: when the disk is full the payment dialog stays open and tells the cashier so, the cart
is kept, nothing is stored; when there is space again the same Enter completes the sale."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pos_desktop.services import checkout
from pos_desktop.services.checkout import Tender
from pos_desktop.store.db import DiskFull
from pos_desktop.ui.qt import QLineEdit, Qt
from tests.conftest import CHIPS, COLA
from tests.reliability.test_disk_full import FULL_MESSAGE, cart_of, limit_pages
from tests.ui.conftest import find, window, window_manager  # noqa: F401 - the UI tests' fixtures
from tests.ui.flows import WAIT_MS, cart_rows, label, logged_in, open_payment, query, scan


def test_the_cashier_reads_that_the_disk_is_full_and_can_sell_again(qtbot, window, till_dir):  # noqa: F811
    ctx = window.ctx
    limit = limit_pages(ctx)
    with pytest.raises(DiskFull):   # the shop's disk fills up during the day
        for _ in range(500):
            checkout.complete_sale(ctx, cart_of(ctx, COLA, CHIPS, COLA), [Tender("cash", D("20"))],
                                   _operator(ctx))
    stored = query(till_dir, "SELECT count(*) FROM sales")

    logged_in(qtbot, window)
    for code in (COLA, CHIPS, COLA):
        scan(qtbot, window, code)
    dialog = open_payment(qtbot, window)
    tender = find(dialog, QLineEdit, "tenderInput")
    qtbot.keyClick(tender, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: label(dialog, "paymentMessage").startswith(FULL_MESSAGE), timeout=WAIT_MS)
    assert dialog.isVisible() and len(cart_rows(window)) == 2     # cola ×2, chips: the cart is kept
    assert query(till_dir, "SELECT count(*) FROM sales") == stored

    limit["pages"] += 1000          # the manager frees some space
    with qtbot.waitSignal(window.sale_completed, timeout=WAIT_MS):
        qtbot.keyClick(tender, Qt.Key.Key_Return)
    assert query(till_dir, "SELECT count(*) FROM sales") == [(stored[0][0] + 1,)]


def _operator(ctx):  # type: ignore[no-untyped-def]
    from pos_desktop.services import auth
    return auth.login(ctx, "amy", "1111")
