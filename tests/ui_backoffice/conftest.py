"""Back-office screen tests: the till's real window (fixtures of ``tests/ui``), a store prepared through the
services before the window opens (a supplier and a sent purchase order, stock, a second stock clerk), and
steps a stock clerk or manager takes on the back-office screens."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pos_desktop.services import auth, purchasing, suppliers, till
from pos_desktop.services.purchasing import PoLineInput
from pos_desktop.services.suppliers import Contact, SupplierInput
from pos_desktop.ui.app import create_main_window
from pos_desktop.ui.operations import InlineExecutor
from tests.ui.conftest import (  # noqa: F401 — fixtures shared with the till's own UI tests
    configure,
    network_printer,
    printer_window,
    pty_scanner,
    scanner_window,
    sim_printer,
    window,
    window_manager,
)


@pytest.fixture
def store(till_dir, clock):
    """An open context on the till folder for preparing data; closed before the window opens its own."""
    ctx = till.open_till(till_dir, clock)
    yield ctx
    ctx.close()


@pytest.fixture
def sent_order(store) -> str:
    """SUP01 (COLA in packs of 6 at 2.00, MILK at 1.80) and a sent order for 24 COLA and 12 MILK."""
    manager = auth.login(store, "mia", "9999")
    suppliers.save_supplier(store, manager, SupplierInput("SUP01", "太古可口可乐 Swire", 3, D("100.00"), 30,
                                                          (Contact("王经理", "13900000000", "w@swire.cn"),)))
    suppliers.set_item(store, manager, supplier="SUP01", sku="COLA", price=D("2.00"), pack_qty=D(6))
    suppliers.set_item(store, manager, supplier="SUP01", sku="MILK", price=D("1.80"))
    po = purchasing.create_po(store, manager, supplier="SUP01",
                              lines=[PoLineInput("COLA", D(24)), PoLineInput("MILK", D(12))])["po"]
    purchasing.send_po(store, manager, po)
    return po


@pytest.fixture
def second_clerk(store) -> str:
    auth.add_user(store, auth.login(store, "admin", "1234"), "kai", "stock_clerk", "5555")
    return "kai"


@pytest.fixture
def device_window(qtbot, till_dir, clock, sim_printer, pty_scanner):  # noqa: F811 — the imported fixtures
    """The till with a network receipt printer and a serial scanner (prepare data before asking for it)."""
    configure(till_dir, printer=network_printer(sim_printer),
              scanner={"kind": "serial", "device": pty_scanner.path, "suffix": "CR", "timeout": 1})
    win = create_main_window(till_dir, executor=InlineExecutor(), clock=clock)
    qtbot.addWidget(win)
    yield win
