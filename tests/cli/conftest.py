"""End-to-end helpers for the headless ``pos`` command (docs: /work/shared/CLI.md).

Everything here drives the CLI the way an integrator does: a real subprocess (``python -m pos_desktop``) on a
real data folder, ``POS_DATA_DIR``/``POS_USER``/``POS_PIN`` removed from the child's environment, exit codes
and stdout checked. The one thing built behind the CLI's back is the member ``M0001`` (there is no ``pos``
command for members yet).

Cost: every subprocess takes most of a second, so the seeded till is built once per test run (shared by the
xdist workers through a lock file) and copied (``shutil.copytree``) for each module or test that needs it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

# A POSIX TZ string (UTC+8, no tzdata needed): created_at must then carry "+08:00".
CHILD_TZ = "CST-8"
OFFSET = "+08:00"

COLA = "6901234567892"          # valid EAN-13 (China prefix 690)
COLA_6 = "6901234567908"        # six-pack of cola: one scan sells 6
CHIPS = "6901234567915"
MILK = "6901234567922"
BAD_CHECK_DIGIT = "6901234567893"   # COLA with the check digit off by one
UNKNOWN_EAN = "6901234567939"       # valid check digit, in no catalog
SCALE_LABEL = "2012345012349"       # in-store prefix 20, PLU 12345, price 12.34 (valid check digit)

USERS = {  # name: (role, PIN)
    "admin": ("admin", "1234"),
    "amy": ("cashier", "1111"),
    "sam": ("supervisor", "3333"),
    "mia": ("manager", "9999"),
    "ken": ("stock_clerk", "4444"),
}

CATALOG_CSV = """\
sku,name,barcode,price,cost,tax_rate,unit,category,track_batches,track_expiry
COLA,可口可乐 Coca-Cola 330ml,6901234567892|6901234567908*6,3.50,2.10,0.13,pcs,饮料 Drinks,,
CHIPS,乐事薯片 Lay's chips 75g,6901234567915,7.90,5.00,0.13,pcs,零食 Snacks,,
MILK,伊利纯牛奶 Yili milk 250ml,6901234567922,2.80,2.00,0.09,pcs,乳制品 Dairy,yes,yes
APPLE-KG,红富士苹果 Fuji apple,2012345,12.80,8.00,0.09,kg,水果 Fruit,,
BROKEN,Row with a bad check digit,6901234567893,1.00,0.50,0.13,pcs,,,
"""

MONEY_KEYS = {"subtotal", "discount_total", "tax_total", "total", "rounding", "paid", "change", "unit_price",
              "gross", "discount", "net", "tax", "amount", "price", "member_price", "cost"}
QTY_KEYS = {"qty", "pack_qty", "qty_delta", "on_hand", "reorder_point", "reorder_qty"}
MONEY_RE = re.compile(r"-?\d+\.\d{2}")
QTY_RE = re.compile(r"-?\d+\.\d{3}")
RATE_RE = re.compile(r"0\.\d{2,4}")
ERROR_CODE_RE = re.compile(r"[a-z][a-z_]*")


# ---------------------------------------------------------------------------------------------- running it


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def __iter__(self) -> Iterator[Any]:  # code, out, err = run(...)
        return iter((self.code, self.out, self.err))

    def describe(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.out}\n--- stderr\n{self.err}"


# Children keep their bytecode outside the repository (and despite PYTHONDONTWRITEBYTECODE, which would make
# every one of them compile pos_desktop from source again): about a fifth of each call's start-up.
PYCACHE = Path(tempfile.gettempdir()) / "pos-cli-tests-pycache"


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("POS_DATA_DIR", "POS_USER", "POS_PIN", "PYTHONDONTWRITEBYTECODE")}
    env.setdefault("PYTHONPYCACHEPREFIX", str(PYCACHE))
    env.update(TZ=CHILD_TZ, POS_LANG="en")
    env.update(extra or {})
    return env


def run(*args: object, data_dir: Path | None = None, input: str | bytes | None = None,
        env: dict[str, str] | None = None, program: list[str] | None = None) -> Result:
    """Run ``pos [--data-dir DIR] ARGS...`` in a subprocess; stdout must be UTF-8."""
    cmd = list(program or [sys.executable, "-m", "pos_desktop"])
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    cmd += [str(a) for a in args]
    if isinstance(input, str):
        input = input.encode("utf-8")
    proc = subprocess.run(cmd, input=input if input is not None else b"", capture_output=True, check=False,
                          env=child_env(env), timeout=90)
    return Result(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8", "replace"))


def one_json(text: str) -> Any:
    """The single JSON document ``text`` holds; fails on nothing, on trailing text, or on a second document."""
    stripped = text.strip()
    assert stripped, "stdout is empty; --json must print one JSON document"
    doc, end = json.JSONDecoder().raw_decode(stripped)
    assert end == len(stripped), f"stdout holds more than one JSON document: {text!r}"
    return doc


def check_numbers(doc: Any, path: str = "$") -> None:
    """Money and quantities are JSON strings with fixed decimals ("12.30", "1.500"); tax rates "0.13"."""
    if isinstance(doc, list):
        for i, item in enumerate(doc):
            check_numbers(item, f"{path}[{i}]")
    elif isinstance(doc, dict):
        for key, value in doc.items():
            where = f"{path}.{key}"
            if isinstance(value, (dict, list)):
                check_numbers(value, where)
            elif value is None:
                continue
            elif key in MONEY_KEYS:
                assert isinstance(value, str) and MONEY_RE.fullmatch(value), f"{where} = {value!r} is not money"
            elif key in QTY_KEYS:
                assert isinstance(value, str) and QTY_RE.fullmatch(value), f"{where} = {value!r} is not a qty"
            elif key == "tax_rate":
                assert isinstance(value, str) and RATE_RE.fullmatch(value), f"{where} = {value!r} is not a rate"


def check_error(doc: Any) -> None:
    """The failure shape: ``{"error": "<machine_code>", "message": "<text for people>"}`` (an issue may add
    fields, such as the file's ``line``)."""
    assert isinstance(doc, dict), doc
    assert {"error", "message"} <= doc.keys(), doc
    assert isinstance(doc["error"], str) and ERROR_CODE_RE.fullmatch(doc["error"]), doc
    assert isinstance(doc["message"], str) and doc["message"].strip(), doc


def run_json(*args: object, expect: int = 0, **kwargs: Any) -> Any:
    """``run(..., "--json")``: asserts the exit code, exactly one JSON document on stdout, its number formats,
    and for a failure the error shape. Returns the document."""
    result = run(*args, "--json", **kwargs)
    assert result.code == expect, f"wanted exit {expect}, got:\n{result.describe()}"
    doc = one_json(result.out)
    check_numbers(doc)
    if expect != 0:
        check_error(doc)
    return doc


# ------------------------------------------------------------------------------------------ the data folder


def db_state(folder: Path, exclude: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Every row of every table (as text), to prove a failed command changed nothing."""
    con = sqlite3.connect(folder / "pos.db")
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: sorted(repr(row) for row in con.execute(f'SELECT * FROM "{t}"'))
                for t in tables if t not in exclude}
    finally:
        con.close()


def assert_same_state(before: dict[str, list[str]], after: dict[str, list[str]]) -> None:
    changed = sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
    assert not changed, f"a failed command changed the tables {changed}"


def query(folder: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(folder / "pos.db")
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


class Till:
    """A data folder and the ways to drive ``pos`` on it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files = path.parent / f"{path.name}-files"
        self.files.mkdir(exist_ok=True)
        self._n = 0

    def run(self, *args: object, **kwargs: Any) -> Result:
        return run(*args, data_dir=self.path, **kwargs)

    def json(self, *args: object, expect: int = 0, **kwargs: Any) -> Any:
        return run_json(*args, data_dir=self.path, expect=expect, **kwargs)

    def as_user(self, name: str) -> list[str]:
        return ["--user", name, "--pin", USERS[name][1]]

    def write(self, content: str | bytes | dict[str, Any] | list[Any], suffix: str = ".json") -> Path:
        self._n += 1
        path = self.files / f"doc-{self._n}{suffix}"
        if isinstance(content, (dict, list)):
            content = json.dumps(content, ensure_ascii=False)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    def sale(self, doc: dict[str, Any] | str | bytes, expect: int = 0, **kwargs: Any) -> Any:
        return self.json("sale", "--file", self.write(doc), expect=expect, **kwargs)

    def ret(self, doc: dict[str, Any], expect: int = 0, **kwargs: Any) -> Any:
        return self.json("return", "--file", self.write(doc), expect=expect, **kwargs)

    def state(self, exclude: tuple[str, ...] = ()) -> dict[str, list[str]]:
        return db_state(self.path, exclude)

    @contextmanager
    def unchanged(self, exclude: tuple[str, ...] = ()) -> Iterator[None]:
        """``with till.unchanged(): <a command that fails>`` — and no table changed."""
        before = self.state(exclude)
        yield
        assert_same_state(before, self.state(exclude))

    def copy(self, target: Path) -> Till:
        shutil.copytree(self.path, target)
        return Till(target)


def sale_doc(*lines: dict[str, Any], pay: str = "100.00", method: str = "cash", user: str = "amy",
             pin: str | None = None, **extra: Any) -> dict[str, Any]:
    """A ``pos sale`` file as CLI.md shows it (the PIN is the seeded user's unless given)."""
    doc: dict[str, Any] = {"user": user, "pin": pin or USERS[user][1], "lines": list(lines),
                           "payments": [{"method": method, "amount": pay}]}
    doc.update(extra)
    return doc


def return_doc(receipt_no: str, *lines: dict[str, Any], user: str = "amy", **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"user": user, "pin": USERS[user][1], "original_receipt": receipt_no,
                           "lines": list(lines)}
    doc.update(extra)
    return doc


def pick(docs: Any, *keys: str) -> Any:
    """A document (or list of them) cut down to ``keys``, all of which it must have: issues may add fields to
    the CLI's JSON, never rename them, so the tests compare what the contract names and let the rest be."""
    if isinstance(docs, list):
        return [pick(doc, *keys) for doc in docs]
    missing = set(keys) - docs.keys()
    assert not missing, f"fields {sorted(missing)} missing from {docs}"
    return {key: docs[key] for key in keys}


def money(text: str) -> Decimal:
    return Decimal(text)


def tax_in(net: Decimal, rate: Decimal) -> Decimal:
    """The tax inside a tax-inclusive amount, half-up to the fen."""
    return (net * rate / (1 + rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ------------------------------------------------------------------------------------------- the template


def _build_template(folder: Path, reports: Path) -> None:
    """init + user add ×4 + catalog import through the CLI; the member M0001 through the services."""
    init = run_json("init", "--store-code", "S01", "--store-name", "测试店 Test Store", "--till-code", "T01",
                    "--admin-user", "admin", "--admin-pin", "1234", data_dir=folder)
    added = {}
    for name, (role, pin) in USERS.items():
        if name != "admin":
            added[name] = run_json("user", "add", name, "--role", role, "--set-pin", pin, "--user", "admin",
                                   "--pin", "1234", data_dir=folder)
    csv = folder.parent / "catalog.csv"
    csv.write_text(CATALOG_CSV, encoding="utf-8")
    imported = run_json("catalog", "import", csv, "--user", "admin", "--pin", "1234", data_dir=folder)

    from pos_desktop.services import auth, members, till

    ctx = till.open_till(folder)
    try:
        members.enrol_member(ctx, auth.login(ctx, "admin", "1234"), code="M0001", name="王芳",
                             phone="13800000001")
    finally:
        ctx.close()
    reports.write_text(json.dumps({"init": init, "users": added, "import": imported}, ensure_ascii=False),
                       encoding="utf-8")


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded till, built once for the whole run (the xdist workers share it through a lock file)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    root = base / "cli-template"
    root.mkdir(exist_ok=True)
    folder, reports = root / "till", root / "reports.json"
    with _lock(root / ".lock"):
        if not reports.exists():
            shutil.rmtree(folder, ignore_errors=True)
            _build_template(folder, reports)
    return folder


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: each worker may build it, one at a time is not guaranteed
        yield
        return
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def template_reports(template: Path) -> dict[str, Any]:
    return json.loads((template.parent / "reports.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shop(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Till:
    """One copy of the seeded till for a whole module (tests that change it must not depend on each other)."""
    return Till(template).copy(tmp_path_factory.mktemp("shop") / "till")


@pytest.fixture
def fresh(template: Path, tmp_path: Path) -> Till:
    """A copy of the seeded till of this test's own."""
    return Till(template).copy(tmp_path / "till")
