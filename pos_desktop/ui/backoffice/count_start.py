"""The top of the counting screen: start a count (location, blind or not, one category, or the items not
counted for N days) or carry on with one that is open or finished."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...core.i18n import _
from ...services import counts, transfers
from ...services.context import Context
from ..qt import QCheckBox, QComboBox, QGroupBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout
from .screen_base import button

NOT_COUNTED = ("transit",)


def categories(ctx: Context) -> list[str]:
    """Category names, for choosing what to count (a read the services do not offer yet)."""
    with ctx.db.raw() as conn:
        return [name for (name,) in conn.execute("SELECT name FROM categories ORDER BY name")]


def count_choices(ctx: Context) -> tuple[list[dict[str, str]], list[str], list[counts.CountInfo]]:
    """Locations, categories and the counts still going (open or finished), read together off the GUI thread."""
    places = [loc for loc in transfers.list_locations(ctx) if loc["kind"] not in NOT_COUNTED]
    going = counts.list_counts(ctx, "open") + counts.list_counts(ctx, "finished")
    return places, categories(ctx), going


class CountStartBox(QGroupBox):
    """``start(location, blind, category, stale_days)`` and ``resume(count_id)`` are the screen's."""

    def __init__(self, start: Callable[[str, bool, str | None, int | None], None],
                 resume: Callable[[str], None]) -> None:
        super().__init__(_("Count"))
        self.location = QComboBox()
        self.location.setObjectName("countLocation")
        self.blind = QCheckBox(_("Blind (counters do not see the expected quantity)"))
        self.blind.setObjectName("countBlind")
        self.category = QComboBox()
        self.category.setObjectName("countCategory")
        self.stale = QSpinBox()
        self.stale.setObjectName("countStaleDays")
        self.stale.setRange(0, 3650)
        self.stale.setSpecialValueText(_("any"))
        self.start_button = button(_("Start count"), "countStartButton")
        self.going = QComboBox()
        self.going.setObjectName("countOpen")
        self.going.setMinimumContentsLength(24)
        self.resume_button = button(_("Continue"), "countContinueButton")
        new, going = QHBoxLayout(), QHBoxLayout()
        for widget in (QLabel(_("Location")), self.location, self.blind, QLabel(_("Category")), self.category,
                       QLabel(_("Not counted for days")), self.stale, self.start_button):
            new.addWidget(widget)
        going.addWidget(QLabel(_("Counts not approved yet")))
        going.addWidget(self.going, 1)
        going.addWidget(self.resume_button)
        layout = QVBoxLayout(self)
        layout.addLayout(new)
        layout.addLayout(going)
        self.start_button.clicked.connect(lambda: start(
            self.location.currentData(), self.blind.isChecked(), self.category.currentData(),
            self.stale.value() or None))
        self.resume_button.clicked.connect(lambda: self.going.currentData() and resume(self.going.currentData()))

    def fill(self, found: tuple[list[dict[str, Any]], list[str], list[counts.CountInfo]]) -> None:
        places, names, going = found
        self.location.clear()
        for loc in places:
            self.location.addItem(f"{loc['code']} {loc['name']}", loc["code"])
        self.location.setCurrentIndex(max(self.location.findData("FLOOR"), 0))
        self.category.clear()
        self.category.addItem(_("(all)"), None)
        for name in names:
            self.category.addItem(name, name)
        self.going.clear()
        for info in going:
            self.going.addItem(_("{number} · {location} · {status}").format(
                number=info.number, location=info.location, status=count_status(info.status)), info.id)
        self.resume_button.setEnabled(bool(going))


def count_status(status: str) -> str:
    names = {"open": _("open"), "finished": _("finished"), "approved": _("approved"), "cancelled": _("cancelled")}
    return names.get(status, status)


def line_status(status: str) -> str:
    names = {"pending": _("not counted yet"), "counted": _("counted"), "recount": _("to recount")}
    return names.get(status, status)
