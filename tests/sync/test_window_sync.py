"""The till's window with a real server: the status bar says what is true (synced only when the outbox is
empty and acknowledged, offline with the unsent count), a sale is sent at once rather than at the next
15-second tick, and the agent never runs on the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest

from pos_desktop.ui.app import create_main_window
from tests.ui.conftest import WindowManager
from tests.ui.flows import label, logged_in, pay_cash, scan

COLA = "6901234567892"
WAIT_MS = 20_000


@pytest.fixture
def window_manager(qapp):
    manager = WindowManager()
    qapp.installEventFilter(manager)
    yield manager
    qapp.removeEventFilter(manager)


def test_status_bar_and_a_sale_woken_to_the_server(qtbot, window_manager, tills, server):
    t = tills("T01")
    t.close()
    win = create_main_window(t.folder)                    # the till's own worker threads, as in a shop
    qtbot.addWidget(win)
    try:
        qtbot.waitUntil(lambda: label(win, "syncStatus").startswith("Synced · "), timeout=WAIT_MS)
        agent = win.status.agent
        assert agent is not None and agent.interval == 15
        ran_on = []
        real = agent.sync_once
        agent.sync_once = lambda **kw: (ran_on.append(threading.current_thread()), real(**kw))[1]

        logged_in(qtbot, win, "admin", "1234")
        scan(qtbot, win, COLA)
        pay_cash(qtbot, win, "5")
        sold = time.monotonic()
        qtbot.waitUntil(lambda: server.summary(tills.store)["sales_count"] == 1, timeout=WAIT_MS)
        assert time.monotonic() - sold < 10, "the sale woke the agent; it did not wait for the next tick"
        assert ran_on and threading.main_thread() not in ran_on
        qtbot.waitUntil(lambda: label(win, "syncStatus").startswith("Synced · "), timeout=WAIT_MS)

        t.proxy.offline = True                            # the network goes
        scan(qtbot, win, COLA)
        pay_cash(qtbot, win, "5")
        qtbot.waitUntil(lambda: label(win, "syncStatus").startswith("Offline · ")
                        and " unsent · last sync " in label(win, "syncStatus"), timeout=WAIT_MS)
        assert server.summary(tills.store)["sales_count"] == 1
    finally:
        win.close()
    assert win.status.agent is None, "closing the window stops the agent"
