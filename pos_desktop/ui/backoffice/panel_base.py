"""A tab of the manager's dashboard: it does its work through the dashboard (off the GUI thread, messages on
the dashboard's line, a manager's approval when the user lacks a right)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..qt import QTreeWidget, QTreeWidgetItem, QWidget
from .screen_base import Attempt, WorkMixin


class Panel(QWidget):
    def __init__(self, host: WorkMixin, name: str) -> None:
        super().__init__()
        self.host = host
        self.setObjectName(name)
        self.loaded = False

    @property
    def ctx(self):  # type: ignore[no-untyped-def]
        return self.host.ctx

    @property
    def operator(self):  # type: ignore[no-untyped-def]
        return self.host.operator

    def work(self, job: Callable[[], Any], then: Callable[[Any], None]) -> None:
        self.host.work(job, then)

    def attempt(self, job: Attempt, then: Callable[[Any], None]) -> None:
        self.host.attempt(job, then)

    def say(self, text: str, error: bool = False) -> None:
        self.host.say(text, error)

    def refresh(self) -> None:
        """Load what the tab shows (the first time it is shown, and on its refresh button)."""
        self.loaded = True


def tree(name: str, headers: Sequence[str]) -> QTreeWidget:
    made = QTreeWidget()
    made.setObjectName(name)
    made.setHeaderLabels(list(headers))
    made.setAlternatingRowColors(True)
    made.setUniformRowHeights(True)
    made.header().setDefaultSectionSize(110)
    made.header().resizeSection(0, 460)
    return made


def branch(parent: QTreeWidget | QTreeWidgetItem, cells: Sequence[Any], tip: str = "") -> QTreeWidgetItem:
    item = QTreeWidgetItem([("" if c is None else str(c)) for c in cells])
    if tip:
        for column in range(len(cells)):
            item.setToolTip(column, tip)
    if isinstance(parent, QTreeWidget):
        parent.addTopLevelItem(item)
        item.setFirstColumnSpanned(True)   # a group's title reads across the row
    else:
        parent.addChild(item)
    return item
