"""At start, a damaged or a missing database: the window does not open for selling; the cashier reads what is
wrong and the newest good backup is offered; a wrong PIN is said and changes nothing; an administrator's PIN
restores it, and the till opens again with the backup's sales."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_desktop import paths
from pos_desktop.core.errors import IntegrityFailure, InvalidInput
from pos_desktop.services import till
from pos_desktop.ui.app import startup_problem
from pos_desktop.ui.operations import InlineExecutor, Runner
from pos_desktop.ui.qt import QLineEdit, QMessageBox, QPushButton, Qt
from tests.reliability.test_corrupt_start import corrupt, daily_backups, sell
from tests.ui.conftest import find
from tests.ui.flows import WAIT_MS, label


def problem_at_start(folder: Path) -> BaseException:
    with pytest.raises((IntegrityFailure, InvalidInput)) as failed:
        till.open_till(folder)
    return failed.value


@pytest.mark.parametrize("damage", ["corrupt", "missing"])
def test_the_newest_good_backup_is_offered_and_restored(qtbot, till_dir: Path, damage: str) -> None:
    sold = sell(till_dir)
    backup = daily_backups(till_dir, 1)[0]
    if damage == "corrupt":
        corrupt(paths.db_path(till_dir))
    else:
        paths.db_path(till_dir).unlink()
    retried, gave_up = [], []
    dialog = startup_problem(till_dir, problem_at_start(till_dir), Runner(InlineExecutor()),
                             retry=lambda: retried.append(True), give_up=lambda: gave_up.append(True))
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "restoreOfferDialog" and dialog.isVisible()
    expected = "is damaged" if damage == "corrupt" else "is missing"
    assert expected in label(dialog, "restoreProblem") and "selling is stopped" in label(dialog, "restoreProblem")
    assert label(dialog, "restoreBackup").startswith(f"Newest good backup: {backup.name}.")

    qtbot.keyClicks(find(dialog, QLineEdit, "restoreUser"), "admin")
    qtbot.keyClicks(find(dialog, QLineEdit, "restorePin"), "0000")
    qtbot.mouseClick(find(dialog, QPushButton, "restoreButton"), Qt.MouseButton.LeftButton)
    assert label(dialog, "restoreMessage").startswith("Wrong PIN for admin")
    assert dialog.isVisible() and not retried
    with pytest.raises((IntegrityFailure, InvalidInput)):
        till.open_till(till_dir)                                        # nothing changed

    qtbot.keyClicks(find(dialog, QLineEdit, "restorePin"), "1234")
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(find(dialog, QPushButton, "restoreButton"), Qt.MouseButton.LeftButton)
    assert retried == [True] and not gave_up
    ctx = till.open_till(till_dir)                                      # the start goes on: the till opens
    try:
        assert ctx.products.query("SELECT receipt_no FROM sales") == [(sold,)]
        assert ctx.products.query("SELECT kind FROM journal ORDER BY seq DESC LIMIT 1") == [("restored",)]
    finally:
        ctx.close()


def test_other_start_up_errors_are_only_shown(qtbot, tmp_path: Path) -> None:
    quit_ = []
    box = startup_problem(tmp_path, IntegrityFailure("The journal is broken", code="journal_broken"),
                          Runner(InlineExecutor()), retry=lambda: None, give_up=lambda: quit_.append(True))
    qtbot.addWidget(box)
    assert isinstance(box, QMessageBox) and box.text() == "The journal is broken"
    box.done(0)
    assert quit_ == [True]


def test_an_admin_with_a_one_time_code_is_asked_for_it(qtbot, till_dir: Path) -> None:
    import pyotp

    from tests.reliability.test_corrupt_start import enable_admin_totp

    secret = enable_admin_totp(till_dir)
    sold = sell(till_dir)
    daily_backups(till_dir, 1)
    paths.db_path(till_dir).unlink()
    retried = []
    dialog = startup_problem(till_dir, problem_at_start(till_dir), Runner(InlineExecutor()),
                             retry=lambda: retried.append(True), give_up=lambda: None)
    qtbot.addWidget(dialog)
    code = find(dialog, QLineEdit, "restoreOtp")
    assert not code.isVisible(), "no code field until the backup asks for one"

    qtbot.keyClicks(find(dialog, QLineEdit, "restoreUser"), "admin")
    qtbot.keyClicks(find(dialog, QLineEdit, "restorePin"), "1234")
    qtbot.keyClick(find(dialog, QLineEdit, "restorePin"), Qt.Key.Key_Return)
    assert code.isVisible()
    assert "one-time code" in label(dialog, "restoreMessage").lower()
    assert find(dialog, QLineEdit, "restorePin").text() == "1234", "the PIN stays while the code is asked"
    assert not retried and not paths.db_path(till_dir).exists()

    qtbot.keyClicks(code, pyotp.TOTP(secret).now())
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.keyClick(code, Qt.Key.Key_Return)
    assert retried == [True]
    ctx = till.open_till(till_dir)
    try:
        assert ctx.products.query("SELECT receipt_no FROM sales") == [(sold,)]
    finally:
        ctx.close()
