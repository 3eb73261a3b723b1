"""A menu of screens that follows the logged-in user: an entry per screen, shown only to the roles that may use
it, and the check made again when a screen is opened (a key press does not look at the menu)."""

from __future__ import annotations

from collections.abc import Callable

from ..core.errors import PermissionDenied
from ..core.i18n import _
from ..core.labels import role_name
from ..core.permissions import Action, allowed, describe
from ..services.auth import Operator
from .errors import show_error
from .qt import QMenuBar, QWidget


def add_screen_menu(bar: QMenuBar, title: str, key: str, screens: dict[str, tuple[Action, str]],
                    titles: Callable[[str], str], open_: Callable[[str], None],
                    user: Callable[[], Operator | None]) -> None:
    """Menu ``<key>Menu`` with entries ``action_<key>_<screen>``, each with its shortcut."""
    menu = bar.addMenu(title)
    menu.setObjectName(f"{key}Menu")
    entries = {}
    for name, (_action, shortcut) in screens.items():
        entry = menu.addAction(titles(name))
        entry.setObjectName(f"action_{key}_{name}")
        entry.setShortcut(shortcut)
        entry.triggered.connect(lambda _checked=False, n=name: open_(n))
        entries[name] = entry

    def follow_user() -> None:
        operator = user()
        for name, entry in entries.items():
            entry.setVisible(operator is not None and allowed(operator.role, screens[name][0]))
    menu.aboutToShow.connect(follow_user)


def may_open(parent: QWidget, operator: Operator, action: Action) -> bool:
    """True when ``operator`` may; else the refusal is shown and False."""
    if allowed(operator.role, action):
        return True
    show_error(parent, PermissionDenied(_("{name} ({role}) may not {action}").format(
        name=operator.username, role=role_name(operator.role), action=describe(action))))
    return False
