"""drivers/ knows nothing of sales: it never imports pos_desktop, nor Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

DRIVERS = Path(__file__).resolve().parents[2] / "drivers"
FORBIDDEN = ("pos_desktop", "PySide6", "PyQt5", "PyQt6", "shiboken6")


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module", "__import__"
        ):
            names.update(arg.value for arg in node.args if isinstance(arg, ast.Constant))
    return names


def test_no_driver_module_imports_the_application_or_qt():
    offenders = []
    files = sorted(DRIVERS.rglob("*.py"))
    assert len(files) > 20
    for path in files:
        for name in _imported_modules(path):
            if name.split(".")[0] in FORBIDDEN:
                offenders.append(f"{path.relative_to(DRIVERS.parent)} imports {name}")
    assert offenders == []


def test_importing_every_driver_loads_neither_the_application_nor_qt():
    modules = [
        ".".join(p.relative_to(DRIVERS.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in sorted(DRIVERS.rglob("*.py"))
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=DRIVERS.parent, capture_output=True, text=True, check=False,
                          timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
