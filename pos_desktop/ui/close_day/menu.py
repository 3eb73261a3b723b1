"""The main window's "Day" menu: the close-day screen (cashiers and up: ``shift.operate``) and the reports
screen (``report.view``: managers). Each opens as a window-modal dialog for the logged-in user; a role without
the right is told so. The reports screen is imported only when opened (it loads pyqtgraph and numpy)."""

from __future__ import annotations

from collections.abc import Callable

from ...core.i18n import _
from ...core.permissions import Action
from ...devices import ReceiptPrinting
from ...services.auth import Operator
from ...services.context import Context
from ..operations import Runner
from ..qt import QDialog, QMenuBar, QWidget
from ..screen_menu import add_screen_menu, may_open

# screen → (the right it needs, its menu entry's key)
SCREENS: dict[str, tuple[Action, str]] = {
    "close_day": (Action.SHIFT, "Ctrl+Shift+D"),
    "reports": (Action.REPORTS, "Ctrl+Shift+T"),
}


def screen_title(name: str) -> str:
    return {"close_day": _("Close of day"), "reports": _("Reports")}[name]


def add_menu(bar: QMenuBar, open_: Callable[[str], None], user: Callable[[], Operator | None]) -> None:
    add_screen_menu(bar, _("Day"), "day", SCREENS, screen_title, open_, user)


def open_screen(parent: QWidget, name: str, ctx: Context, operator: Operator, runner: Runner,
                printing: ReceiptPrinting) -> QDialog | None:
    if not may_open(parent, operator, SCREENS[name][0]):
        return None
    if name == "close_day":
        from .screen import CloseDayScreen
        screen: QDialog = CloseDayScreen(parent, ctx, operator, runner, printing)
    else:
        from ..reports.screen import ReportsScreen
        screen = ReportsScreen(parent, ctx, operator, runner)
    screen.open()
    return screen
