"""The manager's dashboard: alerts grouped by kind (negative stock after sales of goods never received, a batch
near its expiry), replenishment suggestions turned into draft orders, an order sent, a transfer shipped and
received, a lot traced, labels written, the catalog's quality; a stock clerk is not let in."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pos_desktop.services import auth, suppliers, transfers
from pos_desktop.services.suppliers import SupplierInput
from pos_desktop.services.transfers import LineInput
from pos_desktop.ui.qt import (
    QAction,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    Qt,
    QTabWidget,
    QTreeWidget,
    QWidget,
)
from tests.backoffice.helpers import sell, stock_in
from tests.ui.conftest import find
from tests.ui.flows import WAIT_MS, logged_in, query, visible_dialog
from tests.ui_backoffice.steps import click, open_screen, rows, tree_groups, type_into


@pytest.fixture
def busy_store(store):
    """Cola and chips sold but never received (negative on the floor); milk lot NEAR1 expiring in 3 days; 10
    bars of soap in the back room and a draft transfer of 4 of them to the floor."""
    manager, cashier = auth.login(store, "mia", "9999"), auth.login(store, "amy", "1111")
    suppliers.save_supplier(store, manager, SupplierInput("SUP01", "太古可口可乐 Swire", 3, D(0), 30, ()))
    suppliers.set_item(store, manager, supplier="SUP01", sku="COLA", price=D("2.00"), pack_qty=D(6))
    stock_in(store, "MILK", "FLOOR", 6, lot="NEAR1", expiry="2026-11-23")
    sell(store, cashier, ("CHIPS", 2), ("COLA", 1))
    stock_in(store, "SOAP", "BACK", 10)
    return transfers.create_transfer(store, manager, from_location="BACK", to="FLOOR",
                                     lines=[LineInput(D(4), sku="SOAP")]).number


@pytest.fixture
def dashboard(qtbot, busy_store, window):
    logged_in(qtbot, window, "mia", "9999")
    return open_screen(qtbot, window, "dashboard", "backofficeDashboard")


def tab(qtbot, screen, name: str) -> QWidget:
    """Click the dashboard's tab whose panel is ``name``."""
    tabs = find(screen, QTabWidget, "dashboardTabs")
    [index] = [i for i in range(tabs.count()) if tabs.widget(i).objectName() == name]
    qtbot.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(index).center())
    assert tabs.currentIndex() == index
    return tabs.widget(index)


def test_alerts_and_draft_orders_from_the_suggestions(qtbot, dashboard, till_dir):
    groups = tree_groups(dashboard, "alertsTree")                        # computed as the dashboard opened
    negative = groups["Negative stock (2)"]
    assert [(row[1], row[2], row[5]) for row in negative] == [("CHIPS", "FLOOR", "-2"), ("COLA", "FLOOR", "-1")]
    [near] = groups["Near expiry (1)"]
    assert (near[1], near[2], near[3], near[4]) == ("MILK", "FLOOR", "NEAR1", "2026-11-23")
    assert "in 3 days" in near[0]

    panel = tab(qtbot, dashboard, "replenishmentPanel")
    click(qtbot, panel, "suggestButton")
    suggested = tree_groups(panel, "suggestionsTree")
    [lines] = [v for k, v in suggested.items() if k.startswith("SUP01")]
    assert [line[1] for line in lines] == ["COLA"] and lines[0][2] == "6"   # one pack of six
    tree = find(panel, QTreeWidget, "suggestionsTree")
    tree.setCurrentItem(tree.topLevelItem(0).child(0))
    assert "on hand" in find(panel, QLabel, "suggestionReason").text()
    click(qtbot, panel, "createDraftsButton")
    [(po, status, source)] = query(till_dir, "SELECT po_no, status, source FROM purchase_orders")
    assert (status, source) == ("draft", "suggestion")
    assert po in find(dashboard, QLabel, "dashboardMessage").text()
    assert not any(k.startswith("SUP01") for k in tree_groups(panel, "suggestionsTree"))  # in draft now

    orders = tab(qtbot, dashboard, "ordersPanel")
    assert [r["Order"] for r in rows(orders, "ordersTable")] == [po]
    orders.view.selectRow(0)
    assert [(r["SKU"], r["Qty"]) for r in rows(orders, "orderLines")] == [("COLA", "6")]
    click(qtbot, orders, "orderSendButton")
    assert query(till_dir, "SELECT status FROM purchase_orders") == [("sent",)]
    assert rows(orders, "ordersTable")[0]["State"] == "sent"


def test_transfers_trace_labels_and_catalog_quality(qtbot, dashboard, busy_store, till_dir):
    panel = tab(qtbot, dashboard, "transfersPanel")
    assert [(r["Number"], r["State"]) for r in rows(panel, "transfersTable")] == [(busy_store, "draft")]
    panel.view.selectRow(0)
    click(qtbot, panel, "transferShipButton")
    assert query(till_dir, "SELECT status FROM transfers") == [("shipped",)]
    click(qtbot, panel, "transferReceiveButton")
    assert query(till_dir, "SELECT status FROM transfers") == [("received",)]
    assert rows(panel, "transfersTable")[0]["State"] == "received"

    panel = tab(qtbot, dashboard, "tracePanel")
    type_into(qtbot, find(panel, QLineEdit, "traceLotInput"), "NEAR1")
    [event] = rows(panel, "traceEvents")
    assert (event["What"], event["SKU"], event["Location"], event["Qty"]) == ("opening stock", "MILK", "FLOOR", "6")
    assert "FLOOR 6" in find(panel, QLabel, "traceSummary").text()

    panel = tab(qtbot, dashboard, "labelsPanel")
    type_into(qtbot, find(panel, QLineEdit, "labelSkus"), "COLA MILK", enter=False)
    click(qtbot, panel, "labelsButton")
    text = find(panel, QLabel, "labelsResult").text()
    assert text.startswith("2 labels on 1 pages")
    pdf = panel.sheet.path
    assert pdf.parent == till_dir / "documents" / "labels" and pdf.read_bytes().startswith(b"%PDF")

    panel = tab(qtbot, dashboard, "qualityPanel")                        # loads when first shown
    qtbot.waitUntil(lambda: len(tree_groups(panel, "qualityTree")) == 7, timeout=WAIT_MS)


def test_a_stock_clerk_is_not_let_into_the_dashboard(qtbot, window):
    logged_in(qtbot, window, "ken", "4444")
    window.findChild(QAction, "action_backoffice_dashboard").trigger()
    box = visible_dialog(qtbot, window, "errorDialog")
    assert isinstance(box, QMessageBox) and "may not see the reports" in box.text()
    assert not any(d.isVisible() for d in window.findChildren(QDialog, "backofficeDashboard"))
