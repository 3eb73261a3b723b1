"""The catalog's data quality (issue 6 point 10): duplicate names and barcodes, invalid barcodes, missing
costs, prices below cost, products without a category or a price; and the one bulk fix that needs no
choices — deactivate the duplicates that hold no stock (``catalog.edit``; other fixes: ``pos catalog fix``)."""

from __future__ import annotations

from typing import Any

from ...core.i18n import _
from ...services import catalog_quality
from ...services.catalog_quality import FixReport
from ..qt import QHBoxLayout, QLabel, QVBoxLayout
from .panel_base import Panel, branch, tree
from .screen_base import WorkMixin, button

SHOWN = 500


def finding_name(key: str) -> str:
    names = {"duplicate_names": _("Duplicate names"), "duplicate_barcodes": _("One barcode in two forms"),
             "invalid_barcodes": _("Invalid barcodes"), "missing_cost": _("Missing cost"),
             "below_cost": _("Price below cost"), "no_category": _("No category"), "no_price": _("No price")}
    return names.get(key, key)


def describe_item(key: str, item: Any) -> str:
    if isinstance(item, str):
        return item
    if key == "duplicate_names":
        return f"{item['name']}: {', '.join(item['skus'])}"
    if key == "duplicate_barcodes":
        return f"{', '.join(item['codes'])} → {', '.join(item['skus'])}"
    if key == "invalid_barcodes":
        return f"{item['sku']} {item['code']}: {item['reason']}"
    if key == "below_cost":
        return _("{sku}: price {price}, cost {cost}").format(**item)
    return str(item)


class QualityPanel(Panel):
    def __init__(self, host: WorkMixin) -> None:
        super().__init__(host, "qualityPanel")
        self.tree = tree("qualityTree", [_("Finding")])
        self.summary = QLabel("")
        self.summary.setObjectName("qualitySummary")
        refresh = button(_("Refresh"), "qualityRefreshButton")
        fix = button(_("Deactivate duplicates without stock"), "deactivateDuplicatesButton")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(fix)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        refresh.clicked.connect(self.refresh)
        fix.clicked.connect(self.deactivate_duplicates)

    def refresh(self) -> None:
        super().refresh()
        self.work(lambda: catalog_quality.quality_report(self.ctx, limit=SHOWN), self.show_report)

    def show_report(self, report: dict[str, Any]) -> None:
        self.tree.clear()
        problems = 0
        for key, finding in report.items():
            problems += finding["count"]
            head = branch(self.tree, [_("{finding} ({n})").format(finding=finding_name(key), n=finding["count"])])
            for item in finding["items"]:
                branch(head, [describe_item(key, item)])
        self.summary.setText(_("{n} findings").format(n=problems) if problems else _("The catalog looks clean"))

    def deactivate_duplicates(self) -> None:
        self.attempt(lambda who: catalog_quality.deactivate_duplicates(self.ctx, self.operator, who), self._fixed)

    def _fixed(self, report: FixReport) -> None:
        doc = report.to_json()
        self.say(_("{n} products deactivated, {skipped} kept because they hold stock").format(
            n=doc["changed"], skipped=len(doc["skipped"])))
        self.refresh()
