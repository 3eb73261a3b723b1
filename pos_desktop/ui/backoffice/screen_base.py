"""What every back-office screen shares: the till's context, the user, work off the GUI thread with its outcome
back on it, a message line, a manager's approval when the user lacks a right, and read-only tables.

A screen is a window-modal ``QDialog`` opened with ``open()``: the main window hands serial/USB scans to the
open dialog's ``take_scan``, and a keyboard-wedge scanner types into the screen's focused scan field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from ...core.errors import PermissionDenied, PosError
from ...core.i18n import _
from ...core.money import parse_qty
from ...services.auth import Operator
from ...services.context import Context
from ..dialogs import ApproverDialog, dispose_when_closed, plain_buttons
from ..errors import show_error
from ..operations import Runner
from ..qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QApplication,
    QDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QWidget,
    isValid,
)

Attempt = Callable[[Operator | None], Any]   # a service call, given the approving manager (None at first)


def show_qty(qty: Decimal | str | None) -> str:
    """``Decimal("24.000")`` → ``24``, ``"1.500"`` → ``1.5``: quantities as people write them."""
    if qty is None or qty == "":
        return ""
    text = f"{Decimal(qty):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def split_scan(text: str) -> tuple[Decimal | None, str]:
    """``5*code`` → (5, code); a plain code → (None, code). A bad count is an InvalidInput for people."""
    if "*" not in text:
        return None, text.strip()
    count, _sep, code = text.partition("*")
    return parse_qty(count.strip()), code.strip()


def button(text: str, name: str) -> QPushButton:
    """A plain button (never a dialog's default: Enter in a field must not press it)."""
    made = QPushButton(text)
    made.setObjectName(name)
    made.setAutoDefault(False)
    made.setMinimumHeight(40)
    return made


class RowsModel(QAbstractTableModel):
    """Rows of text for a read-only table; fast enough for a count of 20,000 lines."""

    def __init__(self, headers: Sequence[str]) -> None:
        super().__init__()
        self.headers = list(headers)
        self.rows: list[list[str]] = []
        self.tips: list[str] = []

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 — Qt's names
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tips[index.row()] or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def set_rows(self, rows: Sequence[Sequence[Any]], tips: Sequence[str] | None = None) -> None:
        self.beginResetModel()
        self.rows = [[("" if cell is None else str(cell)) for cell in row] for row in rows]
        self.tips = list(tips) if tips is not None else [""] * len(self.rows)
        self.endResetModel()

    def set_row(self, row: int, cells: Sequence[Any], tip: str = "") -> None:
        self.rows[row] = [("" if cell is None else str(cell)) for cell in cells]
        self.tips[row] = tip
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.headers) - 1))

    def append(self, cells: Sequence[Any], tip: str = "") -> int:
        row = len(self.rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self.rows.append([("" if cell is None else str(cell)) for cell in cells])
        self.tips.append(tip)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row], self.tips[row]
        self.endRemoveRows()


def table(name: str, headers: Sequence[str], stretch: int = 1,
          multi: bool = False) -> tuple[QTableView, RowsModel]:
    """A read-only table of whole rows; column ``stretch`` takes the spare width."""
    model = RowsModel(headers)
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if 0 <= stretch < len(headers):
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view, model


def selected_rows(view: QTableView) -> list[int]:
    return sorted(index.row() for index in view.selectionModel().selectedRows())


class WorkMixin:
    """Work, messages and approvals for a screen or one of its panels (``self`` is a QWidget with ``ctx``,
    ``operator``, ``runner`` and a ``message`` label)."""

    ctx: Context
    operator: Operator
    runner: Runner
    message: QLabel

    def say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        if error:
            QApplication.beep()

    def fail(self, exc: BaseException) -> None:
        """A refusal for people goes to the message line; anything else to the crash dialog."""
        if isinstance(exc, PosError):
            self.say(exc.message, error=True)
        else:
            show_error(self, exc)  # type: ignore[arg-type]

    def work(self, job: Callable[[], Any], then: Callable[[Any], None],
             failed: Callable[[BaseException], None] | None = None) -> None:
        """Run ``job`` off the GUI thread; ``then``/``failed`` run on it, unless the screen is gone by then."""
        alive = lambda: isValid(self)
        self.runner.run(job, success=lambda value: alive() and then(value),
                        failure=lambda exc: alive() and (failed or self.fail)(exc))

    def attempt(self, job: Attempt, then: Callable[[Any], None],
                failed: Callable[[BaseException], None] | None = None) -> None:
        """``job(None)`` off the GUI thread; a refusal a manager may lift opens the approval dialog and runs
        ``job(manager)`` once they approve."""
        def refused(exc: BaseException) -> None:
            if isinstance(exc, PermissionDenied):
                ApproverDialog(self, self.ctx, exc.message,  # type: ignore[arg-type]
                               lambda who: self.work(lambda: job(who), then, failed)).open()
            else:
                (failed or self.fail)(exc)
        self.work(lambda: job(None), then, refused)


class BackOfficeScreen(WorkMixin, QDialog):
    """A back-office window over the till's main window."""

    def __init__(self, parent: QWidget, ctx: Context, operator: Operator, runner: Runner, *, name: str,
                 title: str, message_name: str) -> None:
        super().__init__(parent)
        self.ctx, self.operator, self.runner = ctx, operator, runner
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.resize(1180, 760)
        self.message = QLabel("")
        self.message.setObjectName(message_name)
        self.message.setWordWrap(True)

    def finish_setup(self) -> None:
        """Call last in a screen's ``__init__``: no default buttons; a closed screen leaves the widget tree."""
        plain_buttons(self)
        dispose_when_closed(self)


def confirm(parent: QWidget, title: str, text: str, then: Callable[[], None]) -> QMessageBox:
    """Ask yes or no without blocking the event loop; ``then()`` runs on yes."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("confirmDialog")
    yes = box.addButton(_("Yes"), QMessageBox.ButtonRole.YesRole)
    yes.setObjectName("yesButton")
    box.addButton(_("No"), QMessageBox.ButtonRole.NoRole).setObjectName("noButton")
    box.buttonClicked.connect(lambda clicked: clicked is yes and then())
    box.open()
    return box

