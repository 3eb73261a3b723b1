"""Steps on the close-day and reports screens: open them from the Day menu, count notes and coins, read what
the screens show."""

from __future__ import annotations

from pos_desktop.ui.close_day.counting_grid import piece_name
from pos_desktop.ui.qt import QAction, QDialog, QLabel, QPlainTextEdit, QSpinBox, Qt, QTabWidget, QWidget
from tests.ui.conftest import find
from tests.ui.flows import visible_dialog


def open_day_screen(qtbot, win, screen: str, name: str) -> QDialog:
    action = win.findChild(QAction, f"action_day_{screen}")
    assert action is not None, "no Day menu entry"
    action.trigger()
    return visible_dialog(qtbot, win, name)


def show_tab(qtbot, screen: QWidget, tabs_name: str, panel_name: str) -> QWidget:
    tabs = find(screen, QTabWidget, tabs_name)
    [index] = [i for i in range(tabs.count()) if tabs.widget(i).objectName() == panel_name]
    qtbot.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(index).center())
    assert tabs.currentIndex() == index
    return tabs.widget(index)


def count_pieces(qtbot, screen: QWidget, grid: str, pieces: dict[tuple[str, str], int]) -> None:
    """Type how many of each note and coin into the grid's spin boxes, as a person would."""
    for (kind, value), qty in pieces.items():
        spin = find(screen, QSpinBox, piece_name(grid, kind, value))
        spin.setFocus()
        spin.selectAll()
        qtbot.keyClicks(spin, str(qty))
        assert spin.value() == qty


def text_of(screen: QWidget, name: str) -> str:
    widget = screen.findChild(QLabel, name) or screen.findChild(QPlainTextEdit, name)
    assert widget is not None, f"no label or text named {name}"
    return widget.text() if isinstance(widget, QLabel) else widget.toPlainText()


def all_text(screen: QWidget) -> str:
    """Every word the screen shows in labels and text views (to check what it does not show)."""
    return "\n".join([label.text() for label in screen.findChildren(QLabel)] +
                     [view.toPlainText() for view in screen.findChildren(QPlainTextEdit)])
