"""The layers of ARCHITECTURE.md, checked on every import statement of the source tree."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# package → prefixes it must never import
FORBIDDEN = {
    "pos_desktop.core": ("sqlalchemy", "alembic", "PySide6", "requests", "serial", "usb", "escpos", "drivers",
                         "pos_desktop.store", "pos_desktop.services", "pos_desktop.ui", "pos_desktop.sync",
                         "pos_desktop.server", "pos_desktop.cli", "pos_desktop.devices", "pos_desktop.config"),
    "pos_desktop.store": ("PySide6", "requests", "drivers", "pos_desktop.services", "pos_desktop.ui",
                          "pos_desktop.sync", "pos_desktop.cli", "pos_desktop.devices"),
    "pos_desktop.services": ("PySide6", "requests", "drivers", "serial", "usb", "escpos", "pos_desktop.ui",
                             "pos_desktop.sync", "pos_desktop.cli", "pos_desktop.devices", "pos_desktop.server"),
    "pos_desktop.sync": ("PySide6", "pos_desktop.ui", "pos_desktop.cli"),
    "pos_desktop.server": ("PySide6", "requests", "drivers", "pos_desktop.ui", "pos_desktop.store",
                           "pos_desktop.services", "pos_desktop.devices", "pos_desktop.sync", "pos_desktop.cli"),
    "pos_desktop.ui": ("sqlalchemy", "requests", "pos_desktop.store", "drivers", "pos_desktop.cli"),
    "pos_desktop.devices": ("PySide6", "sqlalchemy", "requests", "pos_desktop.services", "pos_desktop.store",
                            "pos_desktop.ui", "pos_desktop.cli", "pos_desktop.sync", "pos_desktop.server"),
    "drivers": ("pos_desktop", "PySide6"),
}
STDLIB_ONLY = "pos_desktop.core"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                found.append(".".join(base + ([node.module] if node.module else [])))
            else:
                found.append(node.module or "")
    return found


def sources():
    for folder in ("pos_desktop", "drivers"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def violations(module: str, names: list[str]) -> list[str]:
    found = []
    for layer, banned in FORBIDDEN.items():
        if module == layer or module.startswith(layer + "."):
            found += [f"{module} imports {name}, which {layer} must not" for name in names
                      if any(name == b or name.startswith(b + ".") for b in banned)]
    return found


@pytest.mark.parametrize("path", list(sources()), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_downwards(path):
    assert violations(module_name(path), imports_of(path)) == []


def test_core_uses_only_the_standard_library():
    import sys
    for path in (ROOT / "pos_desktop" / "core").rglob("*.py"):
        for name in imports_of(path):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name.startswith(STDLIB_ONLY) or top == "__future__", \
                f"{path.name} imports {name}"


def test_the_checker_sees_violations():
    """A check that cannot fail proves nothing: feed it bad imports and see them caught."""
    assert violations("pos_desktop.core.money", ["PySide6.QtCore"])
    assert violations("pos_desktop.services.checkout", ["pos_desktop.ui.qt"])
    assert violations("drivers.printing.printer", ["pos_desktop.core.money"])
    assert not violations("pos_desktop.services.checkout", ["pos_desktop.store.sql"])
