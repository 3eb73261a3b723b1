"""The main window's "Day" menu: the close-day screen (cashiers and up: ``shift.operate``) and the reports
screen (``report.view``: managers). Each opens as a window-modal dialog for the logged-in user; a role without
the right is told so. The reports screen is imported only when opened (it loads pyqtgraph and numpy)."""

from __future__ import annotations

from collections.abc import Callable

from ...core.errors import PermissionDenied
from ...core.i18n import _
from ...core.labels import role_name
from ...core.permissions import Action, allowed, describe
from ...devices import ReceiptPrinting
from ...services.auth import Operator
from ...services.context import Context
from ..errors import show_error
from ..operations import Runner
from ..qt import QDialog, QMenuBar, QWidget

# screen → (the right it needs, its menu entry's key)
SCREENS: dict[str, tuple[Action, str]] = {
    "close_day": (Action.SHIFT, "Ctrl+Shift+D"),
    "reports": (Action.REPORTS, "Ctrl+Shift+T"),
}


def screen_title(name: str) -> str:
    return {"close_day": _("Close of day"), "reports": _("Reports")}[name]


def add_menu(bar: QMenuBar, open_: Callable[[str], None], user: Callable[[], Operator | None]) -> None:
    menu = bar.addMenu(_("Day"))
    menu.setObjectName("dayMenu")
    entries = {}
    for name, (_action, key) in SCREENS.items():
        entry = menu.addAction(screen_title(name))
        entry.setObjectName(f"action_day_{name}")
        entry.setShortcut(key)
        entry.triggered.connect(lambda _checked=False, n=name: open_(n))
        entries[name] = entry

    def follow_user() -> None:
        operator = user()
        for name, entry in entries.items():
            entry.setVisible(operator is not None and allowed(operator.role, SCREENS[name][0]))
    menu.aboutToShow.connect(follow_user)


def open_screen(parent: QWidget, name: str, ctx: Context, operator: Operator, runner: Runner,
                printing: ReceiptPrinting) -> QDialog | None:
    action = SCREENS[name][0]
    if not allowed(operator.role, action):
        show_error(parent, PermissionDenied(_("{name} ({role}) may not {action}").format(
            name=operator.username, role=role_name(operator.role), action=describe(action))))
        return None
    if name == "close_day":
        from .screen import CloseDayScreen
        screen: QDialog = CloseDayScreen(parent, ctx, operator, runner, printing)
    else:
        from ..reports.screen import ReportsScreen
        screen = ReportsScreen(parent, ctx, operator, runner)
    screen.open()
    return screen
