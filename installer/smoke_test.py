"""Smoke test of a built bundle (or of the source tree): a till and a server from the executable alone.

    python3 installer/smoke_test.py dist/pos            # the bundle installer/build made
    python3 installer/smoke_test.py --source            # python -m pos_desktop, for comparison

Standard library only, so it runs with any Python 3.11, whatever is installed. It checks what a frozen app
gets wrong first: the version, alembic finding its scripts (``pos init``, ``pos demo``), the demo catalog and
the zh_CN messages from resources/, a sale and its journal, the diagnostics zip, the central server with its
own migrations, ``/health`` and ``/metrics``, and the Qt offscreen platform plugin. Prints one line per step
with its time, and exits non-zero at the first failure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

CATALOG = "sku,name,barcode,price,tax_rate\nCOLA,可口可乐 Coca-Cola 330ml,6901234567892,3.50,0.13\n"
SALE = {"user": "admin", "pin": "1234", "lines": [{"barcode": "6901234567892", "qty": "2"}],
        "payments": [{"method": "cash", "amount": "10.00"}]}


class SmokeFailure(AssertionError):
    pass


class Pos:
    """Runs ``pos`` (the bundle's executable, or ``python -m pos_desktop``) with a clean environment."""

    def __init__(self, command: list[str], gui: list[str], work: Path) -> None:
        self.command, self.gui, self.work = command, gui, work
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("POS_", "PYTHON"))}
        self.env.update({"LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"})
        if command[0] == sys.executable:
            self.env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])

    def run(self, *args: str, expect: int = 0, stdin: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([*self.command, *args], input=stdin, capture_output=True, text=True,
                                encoding="utf-8", env={**self.env, **(env or {})}, cwd=self.work, timeout=timeout)
        if result.returncode != expect:
            raise SmokeFailure(f"pos {' '.join(args)} exited {result.returncode}, not {expect}\n"
                               f"stdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-2000:]}")
        return result

    def json(self, *args: str, expect: int = 0, **kw: object) -> object:
        return json.loads(self.run(*args, "--json", expect=expect, **kw).stdout)  # type: ignore[arg-type]


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SmokeFailure(what)


def step_version(pos: Pos) -> None:
    out = pos.run("--version").stdout.strip()
    check(out.startswith("pos ") and out[4:5].isdigit(), f"pos --version printed {out!r}")


def step_sale(pos: Pos) -> None:
    till = pos.work / "till"
    pos.json("--data-dir", str(till), "init", "--store-code", "S01", "--store-name", "Smoke shop",
             "--till-code", "T01", "--admin-user", "admin", "--admin-pin", "1234")
    (pos.work / "catalog.csv").write_text(CATALOG, encoding="utf-8")
    report = pos.json("--data-dir", str(till), "catalog", "import", "catalog.csv", "--user", "admin", "--pin", "1234")
    check(report["created"] == 1 and report["rejected"] == [], f"catalog import: {report}")  # type: ignore[index]
    sold = pos.json("--data-dir", str(till), "sale", "--file", "-", stdin=json.dumps(SALE))
    check((sold["total"], sold["change"]) == ("7.00", "3.00"), f"the sale: {sold}")  # type: ignore[index]
    verified = pos.json("--data-dir", str(till), "journal", "verify")
    check(verified["ok"] is True, f"journal verify: {verified}")  # type: ignore[index]


def step_demo_sale(pos: Pos) -> None:
    demo = pos.work / "demo"
    report = pos.json("--data-dir", str(demo), "demo", "--products", "30", "--days", "1")
    check(report["products"] == 30, f"pos demo: {report}")  # type: ignore[index]
    sku = pos.json("--data-dir", str(demo), "stock")[0]["sku"]  # type: ignore[index]
    sale = {"user": "cashier", "pin": "1111", "lines": [{"sku": sku, "qty": "1"}],
            "payments": [{"method": "cash", "amount": "100000.00"}]}
    sold = pos.json("--data-dir", str(demo), "sale", "--file", "-", stdin=json.dumps(sale))
    check(sold["lines"][0]["sku"] == sku, f"the demo sale: {sold}")  # type: ignore[index]


def step_translations(pos: Pos) -> None:
    refused = pos.json("--data-dir", str(pos.work / "till"), "sale", "--file", "nothing-here.json", expect=3,
                       env={"POS_LANG": "zh_CN"})
    message = refused["message"]  # type: ignore[index]
    check(any("\u4e00" <= ch <= "\u9fff" for ch in message), f"no Chinese message (locale missing?): {message}")


def step_diagnostics(pos: Pos) -> None:
    out = pos.work / "diagnostics.zip"
    pos.json("--data-dir", str(pos.work / "till"), "diagnostics", "--out", str(out))
    with zipfile.ZipFile(out) as archive:
        report = json.loads(archive.read("diagnostics.json"))
    integrity = report["integrity"]
    check(integrity["database"] == "ok" and integrity["journal"]["ok"] is True, f"diagnostics: {integrity}")
    check(report["versions"]["frozen"] is (pos.command[0] != sys.executable), f"frozen: {report['versions']}")


def step_server(pos: Pos) -> None:
    db = pos.work / "server.db"
    proc = subprocess.Popen([*pos.command, "--data-dir", str(pos.work / "srv"), "server", "--db",
                             f"sqlite:///{db}", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=pos.env, cwd=pos.work)
    try:
        line = _read_line(proc, 60)
        check(line.startswith("pos server: listening on "), f"the server did not start: {line!r}")
        url = line.rsplit(" ", 1)[1]
        health = json.loads(_get(f"{url}/health"))
        check(health["status"] == "ok" and health["database"] == "ok", f"/health: {health}")
        metrics = _get(f"{url}/metrics")
        check("pos_pushes_total" in metrics and "pos_database_up 1.0" in metrics, f"/metrics: {metrics[:500]}")
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def step_gui(pos: Pos) -> None:
    """The window's process loads Qt's offscreen platform plugin and opens the demo till (then is stopped)."""
    env = {**pos.env, "QT_DEBUG_PLUGINS": "1"}
    proc = subprocess.Popen([*pos.gui, "--data-dir", str(pos.work / "demo")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=pos.work)
    seen: list[str] = []
    loaded = threading.Event()

    def read() -> None:
        for text in proc.stderr:  # type: ignore[union-attr]
            seen.append(text)
            if "qoffscreen" in text and "loaded" in text.lower():
                loaded.set()
    threading.Thread(target=read, daemon=True).start()
    try:
        check(loaded.wait(60), "the offscreen platform plugin was not loaded:\n" + "".join(seen[-30:]))
        check(proc.poll() is None, "the window's process ended at start:\n" + "".join(seen[-30:]))
    finally:
        proc.kill()
        proc.wait(10)


# What a Linux till must provide itself (docs/operations.md lists the packages): X11/xcb, OpenGL/EGL, Wayland.
SYSTEM_LIBRARIES = ("libxcb", "libxkbcommon-x11", "libX", "libGL", "libEGL", "libOpenGL", "libvulkan", "libwayland")


def step_libraries(pos: Pos) -> None:
    """Every shared library in the bundle finds what it links to, in the bundle or among the system's."""
    internal = Path(pos.command[0]).parent / "_internal"
    if pos.command[0] == sys.executable or not sys.platform.startswith("linux"):
        return
    env = {**pos.env, "LD_LIBRARY_PATH": str(internal)}
    missing: set[str] = set()
    for lib in sorted(p for p in internal.rglob("*.so*") if p.is_file()):
        out = subprocess.run(["ldd", str(lib)], capture_output=True, text=True, env=env, timeout=30).stdout
        missing |= {f"{lib.name}: {line.split()[0]}" for line in out.splitlines() if "not found" in line
                    and not line.split()[0].startswith(SYSTEM_LIBRARIES)}
    check(not missing, "libraries the bundle lacks:\n" + "\n".join(sorted(missing)))


def _read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(proc.stdout.readline()), daemon=True)  # type: ignore
    reader.start()
    reader.join(timeout)
    return found[0].strip() if found else ""


def _get(url: str, attempts: int = 100) -> str:
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                return reply.read().decode()
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    raise SmokeFailure(f"{url} never answered")


STEPS: list[tuple[str, Callable[[Pos], None]]] = [
    ("pos --version", step_version), ("init, catalog import, sale, journal verify", step_sale),
    ("demo and a sale", step_demo_sale), ("zh_CN messages", step_translations),
    ("diagnostics zip", step_diagnostics), ("server /health and /metrics", step_server),
    ("window on the offscreen platform", step_gui), ("shared libraries resolve", step_libraries),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", type=Path, help="the bundle folder (dist/pos)")
    parser.add_argument("--source", action="store_true", help="test python -m pos_desktop instead")
    args = parser.parse_args(argv)
    if args.source:
        command, gui = [sys.executable, "-m", "pos_desktop"], [sys.executable, "-m", "pos_desktop", "gui"]
    elif args.bundle:
        exe = ".exe" if os.name == "nt" else ""
        command, gui = [str(args.bundle.resolve() / f"pos{exe}")], [str(args.bundle.resolve() / f"pos-gui{exe}")]
    else:
        parser.error("name the bundle folder, or --source")
    with tempfile.TemporaryDirectory(prefix="pos-smoke-") as tmp:
        pos = Pos(command, gui, Path(tmp))
        for name, step in STEPS:
            started = time.monotonic()
            try:
                step(pos)
            except (SmokeFailure, subprocess.TimeoutExpired, KeyError, TypeError, ValueError) as exc:
                print(f"FAIL {name}: {exc}", flush=True)
                return 1
            print(f"ok   {name} ({time.monotonic() - started:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
