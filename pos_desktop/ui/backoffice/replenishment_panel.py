"""Replenishment suggestions (issue 6 point 4): what to order from whom, each line with the reason it gives
(velocity, lead time, safety stock, on hand, on order), and a button that turns them into draft purchase
orders, one per supplier (``replenishment.create_drafts``; a manager's right)."""

from __future__ import annotations

from collections.abc import Callable

from ...core.i18n import _, ngettext
from ...core.money import format_money
from ...services import replenishment
from ...services.replenishment import SupplierSuggestion
from ..qt import QHBoxLayout, QLabel, QTreeWidgetItem, QVBoxLayout
from .panel_base import Panel, branch, tree
from .screen_base import WorkMixin, button, show_qty


class ReplenishmentPanel(Panel):
    def __init__(self, host: WorkMixin, orders_changed: Callable[[], None]) -> None:
        super().__init__(host, "replenishmentPanel")
        self.orders_changed = orders_changed
        self.groups: list[SupplierSuggestion] = []
        self.tree = tree("suggestionsTree", [_("Supplier / product"), _("SKU"), _("Order qty"), _("On hand"),
                                             _("On order"), _("Sells per day"), _("Reorder point")])
        self.reason = QLabel(_("Choose a line to read why it is suggested"))
        self.reason.setObjectName("suggestionReason")
        self.reason.setWordWrap(True)
        self.summary = QLabel("")
        self.summary.setObjectName("suggestionsSummary")
        suggest = button(_("Suggest"), "suggestButton")
        self.create = button(_("Create draft orders"), "createDraftsButton")
        self.create.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(suggest)
        top.addWidget(self.create)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.reason)
        suggest.clicked.connect(self.refresh)
        self.create.clicked.connect(self.create_drafts)
        self.tree.currentItemChanged.connect(self._explain)

    def refresh(self) -> None:
        super().refresh()
        self.summary.setText(_("Working out the suggestions…"))
        self.work(lambda: replenishment.suggest(self.ctx), self.show_suggestions)

    def show_suggestions(self, groups: list[SupplierSuggestion]) -> None:
        places = self.ctx.places
        self.groups = groups
        self.tree.clear()
        for group in groups:
            label = (_("{code} {name} · lead time {days} d · total {total} (minimum {minimum})").format(
                code=group.supplier, name=group.supplier_name or "", days=group.lead_time_days,
                total=format_money(group.total, places), minimum=format_money(group.min_order, places))
                if group.supplier else _("No supplier: order these by hand"))
            head = branch(self.tree, [label], group.note or "")
            for line in group.lines:
                branch(head, [line.name, line.sku, show_qty(line.qty), show_qty(line.on_hand),
                              show_qty(line.on_order), f"{line.velocity:.2f}", f"{line.reorder_point:.2f}"],
                       line.reason)
            head.setExpanded(True)
        self.create.setEnabled(any(g.supplier and g.lines for g in groups))
        lines = sum(len(g.lines) for g in groups)
        self.summary.setText(ngettext("{n} product to order", "{n} products to order", lines).format(n=lines)
                             if lines else _("Nothing to order now"))

    def _explain(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.reason.setText(item.toolTip(0) or item.text(0))

    def create_drafts(self) -> None:
        groups = [g for g in self.groups if g.supplier and g.lines]
        if groups:
            self.create.setEnabled(False)
            self.attempt(lambda approver: replenishment.create_drafts(self.ctx, self.operator, groups, approver),
                         self._created)

    def _created(self, numbers: list[str]) -> None:
        self.say(_("Draft purchase orders created: {orders}").format(orders=", ".join(numbers)))
        self.orders_changed()
        self.refresh()
