"""The shift tab of the close-day screen: the open shift (who, since when, its float and cash moves), opening a
shift with a float counted by denomination, and pay-ins, pay-outs and safe drops with a reason (a manager's
approval when the user may not move cash). It shows no expected amount: the count at the close is blind."""

from __future__ import annotations

from typing import Any

from ...core.i18n import _
from ...core.money import parse_money
from ...services import shifts
from ..backoffice.panel_base import Panel
from ..backoffice.screen_base import WorkMixin, button
from ..qt import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QVBoxLayout
from .counting_grid import DenominationGrid


def move_kinds() -> list[tuple[str, str]]:
    return [("in", _("Pay-in")), ("out", _("Pay-out")), ("drop", _("Safe drop"))]


def move_word(kind: str) -> str:
    return dict(move_kinds()).get(kind, kind)


class ShiftPanel(Panel):
    def __init__(self, host: WorkMixin, on_change) -> None:  # type: ignore[no-untyped-def]
        super().__init__(host, "closeDayShiftPanel")
        self.on_change = on_change
        self.status = QLabel("")
        self.status.setObjectName("closeDayStatus")
        self.status.setWordWrap(True)
        self.moves = QListWidget()
        self.moves.setObjectName("closeDayMoves")
        self.float_grid = DenominationGrid("closeDayFloat", self.ctx.till.currency, self.ctx.places)
        self.open_button = button(_("Open shift with this float"), "closeDayOpenShift")
        self.open_button.clicked.connect(self.open_shift)
        opening = QGroupBox(_("Open a shift: count the float"))
        opening_layout = QVBoxLayout(opening)
        opening_layout.addWidget(self.float_grid)
        opening_layout.addWidget(self.open_button)

        self.kind = QComboBox()
        self.kind.setObjectName("closeDayMoveKind")
        for kind, text in move_kinds():
            self.kind.addItem(text, kind)
        self.amount = QLineEdit()
        self.amount.setObjectName("closeDayMoveAmount")
        self.reason = QLineEdit()
        self.reason.setObjectName("closeDayMoveReason")
        self.reason.setMaxLength(shifts.MAX_TEXT)
        self.move_button = button(_("Record cash movement"), "closeDayMoveButton")
        self.move_button.clicked.connect(self.move_cash)
        self.reason.returnPressed.connect(self.move_cash)
        moving = QGroupBox(_("Pay-in, pay-out, safe drop"))
        form = QFormLayout(moving)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Amount"), self.amount)
        form.addRow(_("Reason"), self.reason)
        form.addRow(self.move_button)

        right = QVBoxLayout()
        right.addWidget(self.status)
        right.addWidget(QLabel(_("Cash movements of this shift")))
        right.addWidget(self.moves, 1)
        right.addWidget(moving)
        layout = QHBoxLayout(self)
        layout.addWidget(opening)
        layout.addLayout(right, 1)

    def refresh(self) -> None:
        super().refresh()
        self.work(lambda: shifts.shift_status(self.ctx), self.show_status)

    def show_status(self, doc: dict[str, Any]) -> None:
        day = (_("Business day {day} (closed)") if doc["day_closed"] else _("Business day {day}")).format(
            day=doc["business_date"])
        if not doc["open"]:
            shift = _("No shift is open on this till.")
        else:
            shift = _("Shift open since {time} · held by {name} · float {float} · {sales} sales, {returns} returns"
                      ).format(time=doc["opened_at"][11:16], name=doc["cashier_name"], float=doc["float"],
                               sales=doc["sales_count"], returns=doc["returns_count"])
        self.status.setText("\n".join((day, shift)))   # two lines, each a whole message
        self.open_button.setEnabled(not doc["open"])
        self.move_button.setEnabled(doc["open"])
        self.moves.clear()
        for move in doc.get("cash_moves", []):
            self.moves.addItem(f'{move["at"][11:16]}  {move_word(move["kind"])}  {move["amount"]}  '
                               f'{move["reason"]}  ({move["user"]})')

    def open_shift(self) -> None:
        count = self.float_grid.count()       # read on the GUI thread: the job never touches a widget
        zero = None if count is not None else parse_money("0", self.ctx.places)

        def job(approver):  # type: ignore[no-untyped-def]
            return shifts.open_shift(self.ctx, self.operator, float_amount=zero, count=count, approver=approver)
        self.attempt(job, self._opened)

    def _opened(self, doc: dict[str, Any]) -> None:
        self.say(_("Shift opened for {name} with a float of {amount}").format(name=doc["cashier"],
                                                                            amount=doc["float"]))
        self.float_grid.clear()
        self.on_change()

    def move_cash(self) -> None:
        kind, amount_text, reason = self.kind.currentData(), self.amount.text(), self.reason.text()
        places = self.ctx.places

        def job(approver):  # type: ignore[no-untyped-def]
            amount = parse_money(amount_text.strip(), places, _("The amount"))
            return shifts.move_cash(self.ctx, self.operator, kind=kind, amount=amount, reason=reason,
                                    approver=approver)
        self.attempt(job, self._moved)

    def _moved(self, doc: dict[str, Any]) -> None:
        self.say(_("{kind} of {amount} recorded: {reason}").format(kind=move_word(doc["kind"]), amount=doc["amount"],
                                                                   reason=doc["reason"]))
        self.amount.clear()
        self.reason.clear()
        self.on_change()
