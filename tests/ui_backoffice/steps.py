"""What a stock clerk or a manager does on the back-office screens, as small steps (keys and clicks on
objectNames), and reading what the screens show."""

from __future__ import annotations

from pos_desktop.ui.qt import QAction, QDialog, QLineEdit, QPushButton, Qt, QTableView, QTreeWidget, QWidget
from tests.ui.conftest import find
from tests.ui.flows import WAIT_MS, settle, visible_dialog


def open_screen(qtbot, win, screen: str, name: str) -> QDialog:
    """The Back office menu's entry for ``screen``, then wait for the window ``name``."""
    action = win.findChild(QAction, f"action_backoffice_{screen}")
    assert action is not None, "no Back office menu entry"
    action.trigger()
    return visible_dialog(qtbot, win, name)


def type_into(qtbot, field: QLineEdit, text: str, enter: bool = True) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    if enter:
        qtbot.keyClick(field, Qt.Key.Key_Return)


def wedge_scan(qtbot, screen: QWidget, field_name: str, code: str) -> None:
    """A keyboard-wedge scanner types the code into the focused scan field and presses Enter."""
    field = find(screen, QLineEdit, field_name)
    settle(qtbot, screen)
    assert field.hasFocus(), f"{field_name} does not have the keyboard"
    qtbot.keyClicks(field, code)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def click(qtbot, screen: QWidget, name: str) -> None:
    widget = find(screen, QPushButton, name)
    assert widget.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def rows(screen: QWidget, name: str) -> list[dict[str, str]]:
    """A table's rows as {header: text}, hidden columns left out."""
    view = find(screen, QTableView, name)
    model = view.model()
    headers = [(c, model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())
               if not view.isColumnHidden(c)]
    return [{h: model.index(r, c).data() for c, h in headers} for r in range(model.rowCount())]


def tree_groups(screen: QWidget, name: str) -> dict[str, list[list[str]]]:
    """A tree's top-level texts → its children's cells."""
    tree = find(screen, QTreeWidget, name)
    found = {}
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        found[top.text(0)] = [[top.child(j).text(c) for c in range(tree.columnCount())]
                              for j in range(top.childCount())]
    return found


def closed(qtbot, dialog: QDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
