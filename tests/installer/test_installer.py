"""The packaging files, checked without building (the build and its smoke test run in CI: .ci/run).

The spec is executed with PyInstaller's build steps stubbed, so what it would bundle is known: every data
folder the code reads at run time is in it at the same place relative to the package, every hidden import
exists, and nothing the program imports is excluded. The systemd unit goes through ``systemd-analyze
verify`` and its command line through the ``pos`` parser; the .desktop entry and the Inno Setup script name
executables the spec builds; install-linux installs a bundle under a DESTDIR and keeps the previous one."""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

import pos_desktop
from pos_desktop.cli import main as pos_main
from pos_desktop.cli.parser import build_parser
from pos_desktop.core import i18n
from pos_desktop.server import schema as server_schema
from pos_desktop.services import demo_catalog
from pos_desktop.store import migrate

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"


class _Built:
    """Stands for a PyInstaller build step: remembers its arguments."""

    made: list[_Built] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs
        self.pure, self.scripts, self.binaries, self.datas = [], [], [], []
        _Built.made.append(self)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    pytest.importorskip("PyInstaller", reason="the build extra (pip install -e .[build]) is not installed")
    _Built.made = []
    scope = {"SPECPATH": str(INSTALLER), "Analysis": _Built, "PYZ": _Built, "EXE": _Built, "COLLECT": _Built,
             "__file__": str(INSTALLER / "pos.spec")}
    exec(compile((INSTALLER / "pos.spec").read_text(encoding="utf-8"), "pos.spec", "exec"), scope)
    return scope


def bundled_place(datas: list[tuple[str, str]], source: Path) -> Path | None:
    """Where a file of the source tree lands inside the bundle (relative to sys._MEIPASS), if it does."""
    for src, dest in datas:
        src_path = Path(src)
        if source == src_path or src_path in source.parents:
            inner = source.relative_to(src_path) if source != src_path else Path(source.name)
            return Path(dest) / inner if src_path.is_dir() else Path(dest) / source.name
    return None


def test_every_file_read_at_run_time_lands_where_the_frozen_code_looks(spec) -> None:
    """Frozen, ``Path(__file__).parents[2]`` of a module is sys._MEIPASS: each of these paths, relative to the
    repository root, must be the same path relative to the bundle."""
    datas = spec["datas"]
    for src, _dest in datas:
        assert Path(src).exists(), f"the spec bundles {src}, which does not exist"
    needed = [migrate.MIGRATIONS_DIR / "env.py", server_schema.MIGRATIONS_DIR / "env.py",
              i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "pos.mo", demo_catalog.WORDS, ROOT / "resources" / "style.qss"]
    needed += sorted((migrate.MIGRATIONS_DIR / "versions").glob("*.py"))
    for path in needed:
        assert path.exists(), path
        assert bundled_place(datas, path) == path.relative_to(ROOT), f"{path} is not bundled at its place"


def test_two_executables_from_one_analysis(spec) -> None:
    exes = [b for b in _Built.made if "console" in b.kwargs]
    assert {e.kwargs["name"]: e.kwargs["console"] for e in exes} == {"pos": True, "pos-gui": False}
    analysis = next(b for b in _Built.made if b.args and isinstance(b.args[0], list))
    assert analysis.args[0] == [str(INSTALLER / "pos_main.py")]
    entry = (INSTALLER / "pos_main.py").read_text(encoding="utf-8")
    assert '"pos-gui"' in entry and "freeze_support()" in entry


def test_hidden_imports_exist_and_nothing_imported_is_excluded(spec) -> None:
    for name in spec["hiddenimports"]:
        assert importlib.util.find_spec(name) is not None, f"hidden import {name} is not installed"
    excluded = {name.split(".")[0] for name in spec["excludes"] if "." not in name}
    offenders = []
    for path in [*(ROOT / "pos_desktop").rglob("*.py"), *(ROOT / "drivers").rglob("*.py"),
                 *(ROOT / "migrations").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in excluded]
    assert offenders == [], "the spec excludes modules the program imports (update installer/pos.spec)"


def test_version_is_the_project_s() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert pos_desktop.__version__ == project["version"]
    assert "pyinstaller>=6" in [d.lower() for d in project["optional-dependencies"]["build"]]
    assert not any("pyinstaller" in d.lower() for d in project["optional-dependencies"]["test"])
    with pytest.raises(SystemExit) as done:
        pos_main(["--version"])
    assert done.value.code == 0


def unit_environment(text: str) -> dict[str, str]:
    return dict(re.findall(r"^Environment=([A-Z_]+)=(.*)$", text, re.M))


def test_systemd_unit_starts_a_server_the_parser_accepts(tmp_path: Path) -> None:
    text = (INSTALLER / "pos-server.service").read_text(encoding="utf-8")
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read_string(text)
    exec_start = unit["Service"]["ExecStart"]
    env = unit_environment(text)
    command = re.sub(r"\$\{([A-Z_]+)\}", lambda m: env[m.group(1)], exec_start).split()
    assert command[0] == "/opt/pos/pos" and command[3] == "server"
    args = build_parser().parse_args(command[1:])
    assert (args.host, args.port, args.workers) == ("127.0.0.1", 8700, 2)
    assert args.handler.__name__ == "cmd_server" and args.db.startswith("sqlite:////var/lib/pos-server/")
    assert unit["Service"]["StateDirectory"] == "pos-server" and env["PROMETHEUS_MULTIPROC_DIR"] == "/run/pos-server"
    assert unit["Service"]["RuntimeDirectory"] == "pos-server"       # emptied at each start, as prometheus needs
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed: the unit was checked with the parser only")
    stub = tmp_path / "pos"
    stub.write_text("#!/bin/sh\nexit 0\n")
    stub.chmod(0o755)
    checked = tmp_path / "pos-server.service"
    checked.write_text(text.replace("/opt/pos/pos ", f"{stub} "), encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(checked)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    broken = tmp_path / "broken.service"
    broken.write_text(checked.read_text().replace("DynamicUser=yes", "DynamicUser=perhaps"), encoding="utf-8")
    assert subprocess.run(["systemd-analyze", "verify", str(broken)], capture_output=True).returncode != 0


def test_desktop_entry_opens_the_installed_window() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(INSTALLER / "pos-desktop.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert (d["Type"], d["Exec"], d["Terminal"], d["Icon"]) == ("Application", "/opt/pos/pos-gui", "false",
                                                                 "pos-desktop")
    assert d["Name[zh_CN]"] and d["Categories"].endswith(";")
    assert (INSTALLER / f"{d['Icon']}.svg").exists()
    script = (INSTALLER / "install-linux").read_text(encoding="utf-8")
    assert "pos-desktop.desktop" in script and "/opt/pos" in script


def test_inno_setup_script_installs_the_bundle_and_its_shortcuts_work() -> None:
    text = (INSTALLER / "pos.iss").read_text(encoding="utf-8")
    assert re.search(r'^Source: "\.\.\\dist\\pos\\\*"; DestDir: "\{app\}"; .*recursesubdirs', text, re.M)
    assert '#define GuiExe "pos-gui.exe"' in text and re.search(r"^AppId=\{\{[0-9A-F-]{36}\}$", text, re.M)
    for parameters in re.findall(r'Filename: "\{app\}\\pos\.exe"; Parameters: "(.*)"$', text, re.M):
        assert "{userdesktop}" not in parameters, "expanded at install time: the installer's desktop, not the user's"
        parsed = build_parser().parse_args(parameters.split())
        assert parsed.handler.__name__ == "cmd_diagnostics" and parsed.out is None   # → the clicking user's desktop
    sections = re.findall(r"^\[(\w+)\]", text, re.M)
    assert sections[:4] == ["Setup", "Languages", "Tasks", "Files"] and "Code" in sections


@pytest.mark.skipif(os.name != "posix", reason="install-linux is a Linux script")
def test_install_linux_into_a_destdir_keeps_the_previous_version(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "pos").write_text("#!/bin/sh\necho pos 9.9.9\n")
    (bundle / "pos").chmod(0o755)
    root = tmp_path / "root"
    env = {**os.environ, "DESTDIR": str(root), "POS_BUNDLE": str(bundle)}
    for _ in range(2):
        done = subprocess.run([str(INSTALLER / "install-linux"), "--server"], env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    assert "installed pos 9.9.9" in done.stdout
    assert os.readlink(root / "usr/local/bin/pos") == "/opt/pos/pos"
    assert (root / "opt/pos/pos").exists() and (root / "opt/pos.old/pos").exists()
    for installed in ("usr/share/applications/pos-desktop.desktop", "etc/udev/rules.d/60-pos-devices.rules",
                      "etc/systemd/system/pos-server.service", "usr/share/icons/hicolor/scalable/apps/pos-desktop.svg"):
        assert (root / installed).is_file(), installed
    missing = subprocess.run([str(INSTALLER / "install-linux")], env={**env, "POS_BUNDLE": str(tmp_path / "no")},
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "build first" in missing.stderr     # what the installer sees


def test_smoke_script_names_the_failing_step(tmp_path: Path) -> None:
    """The CI step's smoke test fails loudly: a 'bundle' whose pos prints a wrong version stops at step one."""
    fake = tmp_path / "bundle"
    fake.mkdir()
    (fake / "pos").write_text("#!/bin/sh\necho nonsense\n")
    (fake / "pos").chmod(0o755)
    result = subprocess.run([sys.executable, str(INSTALLER / "smoke_test.py"), str(fake)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1 and result.stdout.startswith("FAIL pos --version")

