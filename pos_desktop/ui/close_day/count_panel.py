"""The count tab: the blind cash count at the close, by denomination. The counter enters the notes and coins
and only after submitting sees, per tender, what the drawer should have held, what was counted and the
variance. A variance above the store's limit is refused until an explanation is given (nothing is stored
meanwhile). The same count can hand the drawer over to the next cashier instead of closing."""

from __future__ import annotations

from typing import Any

from ...core.errors import InvalidInput
from ...core.i18n import _
from ...core.labels import method_name
from ...core.money import parse_money
from ...services import shifts
from ..backoffice.panel_base import Panel
from ..backoffice.screen_base import WorkMixin, button, table
from ..qt import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout
from .counting_grid import DenominationGrid

COUNTED_OTHERS = ("card", "qr")   # tenders with a total of their own to count against (terminal, QR statement)


class CountPanel(Panel):
    def __init__(self, host: WorkMixin, on_change) -> None:  # type: ignore[no-untyped-def]
        super().__init__(host, "closeDayCountPanel")
        self.on_change = on_change
        self.grid = DenominationGrid("closeDayCount", self.ctx.till.currency, self.ctx.places)
        self.explanation = QLineEdit()
        self.explanation.setObjectName("closeDayExplanation")
        self.explanation.setMaxLength(shifts.MAX_EXPLANATION)
        self.explanation.setPlaceholderText(_("Why the drawer differs (needed when the difference is large)"))
        self.count_button = button(_("Count done: close the shift"), "closeDayCountButton")
        self.count_button.clicked.connect(self.close_shift)
        self.hand_to = QLineEdit()
        self.hand_to.setObjectName("closeDayHandOverUser")
        self.hand_button = button(_("Hand the drawer over"), "closeDayHandOver")
        self.hand_button.clicked.connect(self.hand_over)
        counting = QGroupBox(_("Blind count: what is in the drawer?"))
        counting_layout = QVBoxLayout(counting)
        counting_layout.addWidget(self.grid)
        form = QFormLayout()
        self.other: dict[str, QLineEdit] = {}
        for method in COUNTED_OTHERS:            # e.g. the card terminal's batch total; blank: as recorded
            field = QLineEdit()
            field.setObjectName(f"closeDayCounted_{method}")
            field.setPlaceholderText(_("as recorded"))
            form.addRow(_("{tender} counted").format(tender=method_name(method)), field)
            self.other[method] = field
        form.addRow(_("Explanation"), self.explanation)
        counting_layout.addLayout(form)
        counting_layout.addWidget(self.count_button)
        handing = QHBoxLayout()
        handing.addWidget(QLabel(_("Next cashier")))
        handing.addWidget(self.hand_to, 1)
        handing.addWidget(self.hand_button)
        counting_layout.addLayout(handing)

        self.view, self.model = table("closeDayVariance", [_("Tender"), _("Expected"), _("Counted"), _("Variance")],
                                      stretch=0)
        self.summary = QLabel(_("The expected amounts are shown once the count is submitted."))
        self.summary.setObjectName("closeDayVarianceTotal")
        self.summary.setWordWrap(True)
        result = QVBoxLayout()
        result.addWidget(QLabel(_("Expected and counted, per tender")))
        result.addWidget(self.view, 1)
        result.addWidget(self.summary)
        layout = QHBoxLayout(self)
        layout.addWidget(counting)
        layout.addLayout(result, 1)

    def _count(self):  # type: ignore[no-untyped-def]
        """(counted cash, count) read on the GUI thread; an untouched grid is an empty drawer."""
        count = self.grid.count()
        return (None if count is not None else parse_money("0", self.ctx.places)), count

    def _others(self) -> dict[str, str]:
        return {method: field.text().strip() for method, field in self.other.items() if field.text().strip()}

    def _counted_others(self, texts: dict[str, str]):  # type: ignore[no-untyped-def]
        return {method: parse_money(text, self.ctx.places, method_name(method)) for method, text in texts.items()}

    def close_shift(self) -> None:
        amount, count = self._count()
        explanation, others = self.explanation.text(), self._others()
        self.attempt(lambda who: shifts.close_shift(self.ctx, self.operator, counted_cash=amount, count=count,
                                                    explanation=explanation,
                                                    counted_tenders=self._counted_others(others), approver=who),
                     self._closed)

    def hand_over(self) -> None:
        to_user = self.hand_to.text().strip()
        if not to_user:
            self.say(_("Type the user name of the cashier who takes the drawer over"), error=True)
            return
        counted = bool(self.grid.pieces())
        amount, count = self._count() if counted else (None, None)
        explanation, others = self.explanation.text(), self._others()
        self.attempt(lambda who: shifts.hand_over(self.ctx, self.operator, to_user=to_user, counted_cash=amount,
                                                  count=count, explanation=explanation,
                                                  counted_tenders=self._counted_others(others) if counted else None,
                                                  approver=who),
                     self._handed)

    def attempt(self, job, then) -> None:  # type: ignore[no-untyped-def, override]
        self.host.attempt(job, then, self._refused)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, InvalidInput) and exc.code == "explanation_required":
            self.explanation.setFocus()
        self.host.fail(exc)

    def _closed(self, doc: dict[str, Any]) -> None:
        self.show_result(doc)
        self.say(_("Shift closed; counted {counted}, variance {variance}").format(counted=doc["counted_cash"],
                                                                                variance=doc["variance"]))
        self._clear()
        self.on_change()

    def _clear(self) -> None:
        self.grid.clear()
        self.explanation.clear()
        for field in self.other.values():
            field.clear()

    def _handed(self, doc: dict[str, Any]) -> None:
        closed = doc["closed"]
        if closed["counted_cash"] is not None:
            self.show_result(closed)
        self.say(_("Drawer handed over from {old} to {new}; float {amount}").format(
            old=doc["from"], new=doc["to"], amount=doc["opened"]["float"]))
        self._clear()
        self.hand_to.clear()
        self.on_change()

    def show_result(self, doc: dict[str, Any]) -> None:
        rows = [[method_name(method), t["expected"], t["counted"], t["variance"]]
                for method, t in sorted(doc["tenders"].items(), key=lambda item: item[0] != "cash")]
        self.model.set_rows(rows)
        text = _("Cash: expected {expected}, counted {counted}, variance {variance}").format(
            expected=doc["expected_cash"], counted=doc["counted_cash"], variance=doc["variance"])
        lines = [text]
        if doc.get("explanation"):
            lines.append(_("Explanation: {text}").format(text=doc["explanation"]))
        self.summary.setText("\n".join(lines))
