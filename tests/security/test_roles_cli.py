"""The whole permission matrix through the ``pos`` command (issue 9, point 6): one representative command
per action, run in-process through ``pos_desktop.cli.main`` for every role, alone and with
``--approver/--approver-pin``; a refusal is exit 4 with ``{"error": "permission_denied", "message"}`` on
stdout and nothing written. A handful of real subprocesses check the same through the console script."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pos_desktop.cli import main
from pos_desktop.core.permissions import MATRIX, Action, Role, allowed
from tests.conftest import COLA
from tests.security.matrix import USERS, approver_for, expected

NUMBERS = itertools.count(1)
NO_CLI = {   # actions no pos command does (they are walked through the services in test_roles_services.py)
    Action.VOID_LINE: "a line is voided on the screen, in the open cart",
    Action.MEMBER_ENROL: "members are enrolled on the screen",
    Action.STOCK_VIEW: "pos stock reads without a user (CLI.md)",
    Action.SYNC: "pos sync needs no user (CLI.md)",
}


def run(folder: Path, *argv: str) -> tuple[int, dict[str, Any] | list[Any] | None, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", str(folder), "--json", *argv])
    text = out.getvalue().strip()
    return code, (json.loads(text.splitlines()[-1]) if text else None), err.getvalue()


def sale_file(folder: Path, **line: str) -> str:
    path = folder / "sale.json"
    path.write_text(json.dumps({"lines": [{"barcode": COLA, "qty": "1", **line}],
                                "payments": [{"method": "cash", "amount": "10.00"}]}), encoding="utf-8")
    return str(path)


def json_file(folder: Path, name: str, doc: Any) -> str:
    (folder / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(folder / name)


def as_admin(folder: Path, *argv: str) -> dict[str, Any]:
    code, doc, err = run(folder, *argv, "--user", "admin", "--pin", "1234")
    assert code == 0, (argv, doc, err)
    return doc  # type: ignore[return-value]


def _receipt(folder: Path) -> dict[str, str]:
    return {"receipt": as_admin(folder, "sale", "--file", sale_file(folder))["receipt_no"]}


def _shift(folder: Path) -> dict[str, str]:
    as_admin(folder, "shift", "open", "--float", "100")
    return {}


def _count(folder: Path) -> dict[str, str]:
    count = as_admin(folder, "count", "start", "--location", "BACK")
    as_admin(folder, "count", "finish", count["count_id"])
    return {"count": count["count_id"]}


def _backup(folder: Path) -> dict[str, str]:
    as_admin(folder, "backup", "--to", str(folder.parent / "backup.db"))
    return {"backup": str(folder.parent / "backup.db")}


def _drawer(folder: Path) -> dict[str, str]:
    (folder / "config.toml").write_text('[printer]\nkind = "sim"\n\n[drawer]\nkind = "printer"\n', encoding="utf-8")
    return {}


@dataclass(frozen=True)
class Command:
    """``argv`` of the command; ``setup`` runs (as admin) once per till and again after each allowed run
    (which may have used up what it made); ``fresh``: each allowed run needs a
    till of its own (the command cannot be repeated: a second shift, a second count of a location)."""

    argv: Callable[[Path, dict[str, str]], list[str]]
    setup: Callable[[Path], dict[str, str]] | None = None
    fresh: bool = False
    takes_approver: bool = True   # False: the service behind it takes no override


COMMANDS: dict[Action, Command] = {
    Action.SELL: Command(lambda f, s: ["sale", "--file", sale_file(f)]),
    Action.DISCOUNT: Command(lambda f, s: ["sale", "--file", sale_file(f, discount_percent="5")]),
    Action.DISCOUNT_OVER_LIMIT: Command(lambda f, s: ["sale", "--file", sale_file(f, discount_percent="50")]),
    Action.PRICE_OVERRIDE: Command(lambda f, s: ["sale", "--file", sale_file(f, unit_price="2.00")]),
    Action.VOID_SALE: Command(lambda f, s: ["void-sale", s["receipt"], "--reason", "wrong"], _receipt),
    Action.RETURN: Command(lambda f, s: ["return", "--file", json_file(f, "return.json", {
        "original_receipt": s["receipt"], "lines": [{"line_no": 1, "qty": "1"}], "reason": "damaged"})], _receipt),
    Action.NO_SALE: Command(lambda f, s: ["drawer", "open", "--reason", "change"], _drawer),
    Action.STOCK_ADJUST: Command(lambda f, s: ["stock", "adjust", "--sku", "COLA", "--location", "BACK",
                                               "--qty-delta", "2", "--reason", "found"]),
    Action.STOCK_RECEIVE: Command(lambda f, s: ["receive", "--file", json_file(
        f, "receive.json", {"lines": [{"sku": "SOAP", "qty": "6"}]})]),
    Action.STOCK_COUNT: Command(lambda f, s: ["count", "start", "--location", "BACK"], fresh=True,
                                takes_approver=False),
    Action.COUNT_APPROVE: Command(lambda f, s: ["count", "approve", s["count"]], _count, fresh=True),
    Action.TRANSFER: Command(lambda f, s: ["transfer", "create", "--from", "BACK", "--to", "FLOOR",
                                           "--line", "SOAP:1"], takes_approver=False),
    Action.PURCHASE: Command(lambda f, s: ["supplier", "add", "SUP09", "--name", "华联 Hualian"]),
    Action.CATALOG_EDIT: Command(lambda f, s: ["catalog", "fix", "--sku", "SOAP", "--set-category", "洗护 Care"]),
    Action.CATALOG_IMPORT: Command(lambda f, s: ["catalog", "import", str(f / "c.csv")], takes_approver=False),
    Action.SHIFT: Command(lambda f, s: ["shift", "open", "--float", "100"], fresh=True),
    Action.CASH_MOVE: Command(lambda f, s: ["shift", "cash-in", "--amount", "20", "--reason", "coins"], _shift,
                              fresh=True),
    Action.REPORT_X: Command(lambda f, s: ["report", "x"]),
    Action.REPORT_Z: Command(lambda f, s: ["report", "z"]),
    Action.REPORTS: Command(lambda f, s: ["members", "rfm"]),   # other reports read without a user (CLI.md)
    Action.USER_MANAGE: Command(lambda f, s: ["user", "add", f"lily{next(NUMBERS)}", "--role", "cashier",
                                              "--set-pin", "5555"], takes_approver=False),
    Action.SETTINGS: Command(lambda f, s: ["alerts", "settings", "--near-expiry-days", "5"]),
    Action.BACKUP: Command(lambda f, s: ["backup", "--to", str(f.parent / f"copy{next(NUMBERS)}.db")],
                           takes_approver=False),
    Action.RESTORE: Command(lambda f, s: ["restore", "--from", s["backup"]], _backup, takes_approver=False),
}


def writes(folder: Path) -> tuple[int, int]:
    with contextlib.closing(sqlite3.connect(folder / "pos.db")) as db:
        return db.execute("SELECT (SELECT count(*) FROM journal), (SELECT count(*) FROM outbox)").fetchone()


def creds(role: Role, flag: str = "") -> list[str]:
    name, pin = USERS[role]
    return [f"--{flag}user" if not flag else "--approver", name, f"--{flag}pin" if not flag else "--approver-pin", pin]


def test_every_action_has_a_command_or_a_reason() -> None:
    assert set(COMMANDS) | set(NO_CLI) == set(Action)
    assert not set(COMMANDS) & set(NO_CLI)


@pytest.fixture
def fresh(template_dir: Path, tmp_path: Path) -> Callable[[], Path]:
    made = iter(range(100))

    def copy() -> Path:
        folder = tmp_path / f"till{next(made)}" / "till"
        shutil.copytree(template_dir, folder)
        (folder / "c.csv").write_text("sku,name,price\nTEA,Green tea 绿茶,4.50\n", encoding="utf-8")
        return folder
    return copy


@pytest.mark.parametrize("action", sorted(COMMANDS, key=str), ids=str)
def test_matrix_through_the_cli(action: Action, fresh) -> None:  # type: ignore[no-untyped-def]
    """Every role alone, and with the override of who may approve (the override counts only where the
    service takes an approver, as in the services' walk); refusals write nothing."""
    command = COMMANDS[action]
    till = fresh()
    made: dict[Path, dict[str, str]] = {}
    for role in MATRIX:
        for helper in (None, approver_for(action)) if not allowed(role, action) else (None,):
            may = expected(role, action, helper, command.takes_approver)
            folder = fresh() if may and command.fresh else till
            if folder not in made:
                made[folder] = command.setup(folder) if command.setup else {}
            state = made.pop(folder) if may else made[folder]
            argv = command.argv(folder, state) + creds(role) + (creds(helper, "approver") if helper else [])
            before = writes(folder)
            code, doc, err = run(folder, *argv)
            if may:
                assert code == 0, (role, helper, argv, doc, err)
                continue
            assert code == 4, (role, helper, argv, doc, err)
            assert doc["error"] == "permission_denied" and doc["message"], doc
            assert USERS[role][0] in doc["message"] or "approve" in doc["message"], doc
            assert "pos: " in err   # the same words for people on stderr
            assert writes(folder) == before


def pos(folder: Path, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pos_desktop", "--data-dir", str(folder), "--json", *argv],
                          capture_output=True, text=True, timeout=120)


def test_real_processes_refuse_and_allow(fresh) -> None:  # type: ignore[no-untyped-def]
    folder = fresh()
    refused = pos(folder, "stock", "adjust", "--sku", "COLA", "--location", "BACK", "--qty-delta", "2",
                  "--reason", "found", "--user", "amy", "--pin", "1111")
    assert refused.returncode == 4, refused.stderr
    assert json.loads(refused.stdout)["error"] == "permission_denied"
    approved = pos(folder, "stock", "adjust", "--sku", "COLA", "--location", "BACK", "--qty-delta", "2",
                   "--reason", "found", "--user", "amy", "--pin", "1111", "--approver", "mia", "--approver-pin", "9999")
    assert approved.returncode == 0, approved.stderr
    not_admin = pos(folder, "user", "add", "lily", "--role", "cashier", "--set-pin", "5555",
                    "--user", "amy", "--pin", "1111", "--approver", "mia", "--approver-pin", "9999")
    assert not_admin.returncode == 4 and json.loads(not_admin.stdout)["error"] == "permission_denied"
    wrong_pin = pos(folder, "report", "x", "--user", "amy", "--pin", "0000")
    assert wrong_pin.returncode == 4 and json.loads(wrong_pin.stdout)["error"] == "wrong_pin"
