"""The back office on the store PC (issue 6): receiving, stock counts and the manager's dashboard, one module
per screen. ``add_menu`` puts them in the main window's "Back office" menu; ``open_screen`` opens one for the
logged-in user when their role has the right (a window-modal dialog, so serial/USB scans reach its
``take_scan``)."""

from __future__ import annotations

from collections.abc import Callable

from ...core.i18n import _
from ...core.permissions import Action
from ...devices import DeviceManager
from ...services.auth import Operator
from ...services.context import Context
from ..operations import Runner
from ..qt import QDialog, QMenuBar, QWidget
from ..screen_menu import add_screen_menu, may_open

# screen → (the right it needs, its menu entry's key)
SCREENS: dict[str, tuple[Action, str]] = {
    "receiving": (Action.STOCK_RECEIVE, "Ctrl+Shift+R"),
    "count": (Action.STOCK_COUNT, "Ctrl+Shift+C"),
    "dashboard": (Action.REPORTS, "Ctrl+Shift+M"),
}


def screen_title(name: str) -> str:
    titles = {"receiving": _("Receiving goods"), "count": _("Stock count"), "dashboard": _("Manager dashboard")}
    return titles[name]


def add_menu(bar: QMenuBar, open_: Callable[[str], None], user: Callable[[], Operator | None]) -> None:
    """The "Back office" menu: an entry per screen, shown to the users whose role may use it."""
    add_screen_menu(bar, _("Back office"), "backoffice", SCREENS, screen_title, open_, user)


def open_screen(parent: QWidget, name: str, ctx: Context, operator: Operator, runner: Runner,
                devices: DeviceManager) -> QDialog | None:
    """Open screen ``name`` for ``operator``; a role without the right is told so instead."""
    if not may_open(parent, operator, SCREENS[name][0]):
        return None
    if name == "receiving":
        from .receiving import ReceivingScreen
        screen: QDialog = ReceivingScreen(parent, ctx, operator, runner, devices)
    elif name == "count":
        from .counting import CountScreen
        screen = CountScreen(parent, ctx, operator, runner)
    else:
        from .dashboard import DashboardScreen
        screen = DashboardScreen(parent, ctx, operator, runner)
    screen.open()
    return screen
