"""Product look-up while typing: name, SKU, barcode digits or pinyin initials (``kkkl`` finds 可口可乐).

Each keystroke starts a search off the GUI thread; an answer that arrives after a newer keystroke is dropped.
Enter, or one tap on a hit, adds that product to the sale.
"""

from __future__ import annotations

from typing import Callable

from ..core.i18n import _
from ..core.money import format_money
from ..services import search
from ..services.context import Context
from .operations import Runner
from .qt import QListWidget, QListWidgetItem, QLineEdit, Qt, QVBoxLayout, QWidget, Signal


class LookupPanel(QWidget):
    results_shown = Signal(int)   # how many hits the latest search showed (tests and the benchmark wait on it)

    def __init__(self, ctx: Context, on_pick: Callable[[str], None], runner: Runner | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.on_pick, self.runner = ctx, on_pick, runner
        self.generation = 0
        self.input = QLineEdit()
        self.input.setObjectName("lookupInput")
        self.input.setPlaceholderText(_("Look up: name, SKU, barcode or pinyin initials (F2)"))
        self.results = QListWidget()
        self.results.setObjectName("lookupResults")
        self.results.setMaximumHeight(160)
        self.results.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.input)
        layout.addWidget(self.results)
        self.input.textChanged.connect(self.search)
        self.input.returnPressed.connect(self.pick_current)
        self.results.itemClicked.connect(self._picked)  # one tap adds (touch screens); Enter adds the current

    def focus(self) -> None:
        self.input.setFocus()
        self.input.selectAll()

    def search(self, text: str) -> None:
        self.generation += 1
        generation = self.generation
        if not text.strip():
            self.results.clear()
            self.results.hide()
            return
        job = lambda: search.search_products(self.ctx, text)  # noqa: E731
        if self.runner is None:
            self._show(generation, job())
        else:
            self.runner.run(job, success=lambda hits: self._show(generation, hits))

    def _show(self, generation: int, hits: list[search.Hit]) -> None:
        if generation != self.generation:
            return  # a newer keystroke already asked again
        self.results.clear()
        for hit in hits:
            price = format_money(hit.price, self.ctx.places) if hit.price is not None else "—"
            item = QListWidgetItem(f"{hit.name}    {hit.sku}    {price}")
            item.setData(Qt.ItemDataRole.UserRole, hit.sku)
            self.results.addItem(item)
        self.results.setVisible(bool(hits))
        if hits:
            self.results.setCurrentRow(0)
        self.results_shown.emit(len(hits))

    def pick_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._picked(item)

    def _picked(self, item: QListWidgetItem) -> None:
        sku = item.data(Qt.ItemDataRole.UserRole)
        self.input.clear()
        self.on_pick(sku)
