"""The device glue sits between the drivers and the screens: it never reaches into the database or Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.test_layers import imports_of, module_name

ROOT = Path(__file__).resolve().parents[2]
BANNED = ("pos_desktop.services", "pos_desktop.store", "pos_desktop.ui", "pos_desktop.cli", "pos_desktop.sync",
          "pos_desktop.server", "PySide6", "sqlalchemy", "requests")


def test_devices_import_only_drivers_core_config_and_paths():
    offenders = []
    for path in sorted((ROOT / "pos_desktop" / "devices").rglob("*.py")):
        for name in imports_of(path):
            if any(name == b or name.startswith(b + ".") for b in BANNED):
                offenders.append(f"{module_name(path)} imports {name}")
    assert offenders == []


def test_no_service_imports_the_devices():
    for path in sorted((ROOT / "pos_desktop" / "services").rglob("*.py")):
        assert not any(n.startswith("pos_desktop.devices") for n in imports_of(path)), path


def test_importing_the_devices_loads_no_database_and_no_qt():
    code = ("import sys, pos_desktop.devices; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'PySide6') "
            "or m.startswith('pos_desktop.services') or m.startswith('pos_desktop.store')]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_importing_the_printer_driver_leaves_logging_to_the_application():
    """python-escpos calls logging.basicConfig() on import; drivers.printing undoes it (no stray stderr)."""
    code = ("import logging, drivers.printing.document; "
            "print(len(logging.getLogger().handlers))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "0"
