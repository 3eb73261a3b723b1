"""What a cashier does on the window, as small steps the UI tests share (keys and clicks on objectNames),
and read-only looks at the till's SQLite file."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from PySide6.QtGui import QInputMethodEvent

from pos_desktop.ui.qt import QApplication, QDialog, QLabel, QLineEdit, QPushButton, Qt, QTableView, QWidget
from tests.ui.conftest import find

WAIT_MS = 3000


# ------------------------------------------------------------------------------------------------- finding
def visible_dialog(qtbot, win: QWidget, name: str) -> QDialog:
    """The open dialog called ``name`` (older, closed ones of the same name may still exist)."""
    found: list[QDialog] = []

    def shown() -> bool:
        found[:] = [d for d in win.findChildren(QDialog, name) if d.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=WAIT_MS)
    dialog = found[-1]
    settle(qtbot, dialog)
    return dialog


def settle(qtbot, win: QWidget) -> None:
    """Wait until the window that should have the keyboard is active: the open modal dialog, else the till's
    window (``WindowManager`` in conftest activates them as a desktop's window manager would)."""
    expected = win.window()

    def active() -> None:
        want = QApplication.activeModalWidget() or expected
        assert QApplication.activeWindow() is want, f"active: {QApplication.activeWindow()}, expected {want}"

    qtbot.waitUntil(active, timeout=WAIT_MS)


def has_keyboard(qtbot, widget: QWidget) -> bool:
    """Whether typing now goes to ``widget``."""
    settle(qtbot, widget.window())
    return widget.hasFocus()


def no_dialog(win: QWidget, name: str) -> bool:
    return not any(d.isVisible() for d in win.findChildren(QDialog, name))


def label(win: QWidget, name: str) -> str:
    return find(win, QLabel, name).text()


def line_edit(win: QWidget, name: str) -> QLineEdit:
    return find(win, QLineEdit, name)


def button(win: QWidget, name: str) -> QPushButton:
    return find(win, QPushButton, name)


def cart_rows(win: QWidget) -> list[tuple[str, ...]]:
    """What the cart table shows: (#, item, qty, price, discount, net) per line."""
    model = find(win, QTableView, "cartTable").model()
    return [tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount())]


def total(win: QWidget) -> str:
    return label(win, "totalLabel")


def message(win: QWidget) -> str:
    return label(win, "messageLabel")


# ------------------------------------------------------------------------------------------------- doing
def login(qtbot, win: QWidget, user: str = "amy", pin: str = "1111") -> None:
    """Type the user, Enter (to the PIN), the PIN, Enter — as at the till."""
    user_field, pin_field = line_edit(win, "loginUser"), line_edit(win, "loginPin")
    user_field.clear()
    qtbot.keyClicks(user_field, user)
    qtbot.keyClick(user_field, Qt.Key.Key_Return)
    qtbot.keyClicks(pin_field, pin)
    qtbot.keyClick(pin_field, Qt.Key.Key_Return)


def logged_in(qtbot, win: QWidget, user: str = "amy", pin: str = "1111") -> None:
    login(qtbot, win, user, pin)
    qtbot.waitUntil(lambda: win.findChild(QLineEdit, "scanInput") is not None
                    and win.findChild(QLineEdit, "scanInput").isVisible(), timeout=WAIT_MS)
    settle(qtbot, win)


def scan(qtbot, win: QWidget, code: str) -> None:
    """A keyboard-wedge scan: the code typed into the scan field, then Enter."""
    field = line_edit(win, "scanInput")
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def type_text(qtbot, field: QLineEdit, text: str) -> None:
    """Type like a person: keys for ASCII, an input-method commit for Chinese (as a pinyin IME delivers it;
    QTest cannot press keys for characters outside Latin-1)."""
    if text.isascii():
        qtbot.keyClicks(field, text)
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(field, event)


def press(qtbot, win: QWidget, key: Qt.Key) -> None:
    """A function key pressed while the scan field has the focus (where it always is)."""
    settle(qtbot, win)
    qtbot.keyClick(line_edit(win, "scanInput"), key)


def answer(qtbot, win: QWidget, text: str) -> None:
    """Type ``text`` into the open one-line question (askDialog) and press Enter."""
    dialog = visible_dialog(qtbot, win, "askDialog")
    field = find(dialog, QLineEdit, "askInput")
    field.selectAll()
    type_text(qtbot, field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)


def approve(qtbot, win: QWidget, user: str = "mia", pin: str = "9999") -> QDialog:
    """A manager types user and PIN into the approval dialog and presses Enter."""
    dialog = visible_dialog(qtbot, win, "approverDialog")
    user_field, pin_field = find(dialog, QLineEdit, "approverUser"), find(dialog, QLineEdit, "approverPin")
    qtbot.keyClicks(user_field, user)
    pin_field.setFocus()
    qtbot.keyClicks(pin_field, pin)
    qtbot.keyClick(pin_field, Qt.Key.Key_Return)
    return dialog


def open_payment(qtbot, win: QWidget) -> QDialog:
    press(qtbot, win, Qt.Key.Key_F12)
    return visible_dialog(qtbot, win, "paymentDialog")


def pay_cash(qtbot, win: QWidget, amount: str) -> Any:
    """F12, type the tendered cash, Enter; returns the committed Receipt."""
    dialog = open_payment(qtbot, win)
    tender = find(dialog, QLineEdit, "tenderInput")
    qtbot.keyClicks(tender, amount)
    with qtbot.waitSignal(win.sale_completed, timeout=WAIT_MS) as done:
        qtbot.keyClick(tender, Qt.Key.Key_Return)
    return done.args[0]


# ------------------------------------------------------------------------------------------------ database
def query(data_dir: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    """Rows from the till's database, opened read-only (the window keeps its own connection)."""
    uri = (Path(data_dir) / "pos.db").resolve().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


def journal(data_dir: Path, kind: str) -> list[dict[str, Any]]:
    return [json.loads(entry) for (entry,) in query(data_dir, "SELECT entry FROM journal WHERE kind = ? ORDER BY seq",
                                                    kind)]


def on_hand(data_dir: Path, sku: str) -> int:
    """Stock on hand of ``sku`` in milli-units, summed over locations and batches."""
    rows = query(data_dir, "SELECT coalesce(sum(l.qty_milli), 0) FROM stock_levels l "
                           "JOIN products p ON p.id = l.product_id WHERE p.sku = ?", sku)
    return rows[0][0]
