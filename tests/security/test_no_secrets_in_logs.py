"""No secret in any log (issue 9, point 7), and the data folder owner-only.

A full run through real processes — ``pos init``, users, TOTP, a sale, head office's store, API key,
enrolment code and TOTP, ``pos enrol``, ``pos sync``, the server itself — with every log at DEBUG
(``POS_LOG_LEVEL=debug``, ``pos server --log-level debug``, which also lets SQLAlchemy and uvicorn log).
Then every log file and every captured stdout/stderr is searched for each PIN, TOTP secret, API key,
enrolment code and till secret. Only the one output whose job is to show a secret once may hold it.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pyotp

from tests.conftest import COLA

ROOT = Path(__file__).resolve().parents[2]
ADMIN_PIN, AMY_PIN = "804172639518", "629354087126"   # long: a short PIN would turn up in hex by chance


def env(**extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("POS_")}
    out.update({"PYTHONPATH": str(ROOT), "POS_LOG_LEVEL": "debug", "POS_LANG": "en", **extra})
    return out


class Run:
    """Runs ``pos`` and keeps every output, by a name, for the search."""

    def __init__(self) -> None:
        self.outputs: dict[str, str] = {}

    def __call__(self, name: str, *argv: str, code: int = 0, **extra: str) -> dict:
        done = subprocess.run([sys.executable, "-m", "pos_desktop", *argv, "--json"], capture_output=True,
                              text=True, timeout=120, env=env(**extra), cwd=ROOT)
        self.outputs[name] = done.stdout + done.stderr
        assert done.returncode == code, (argv, done.stdout, done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}


def start_server(db_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    out = log.open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "pos_desktop", "server", "--db", db_url, "--port", "0",
                             "--log-level", "debug", "--enrol-rate", "0"], stdout=out, stderr=subprocess.STDOUT,
                            env=env(), cwd=ROOT)
    out.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith("pos server: listening on "):
                return proc, line.rsplit(" ", 1)[1]
        assert proc.poll() is None, log.read_text(errors="replace")
        time.sleep(0.1)
    proc.kill()
    raise AssertionError(log.read_text(errors="replace"))


def test_a_full_run_leaves_no_secret_in_any_log(tmp_path: Path) -> None:
    till, hq_dir = tmp_path / "till", tmp_path / "hq"
    hq_dir.mkdir()
    db = f"sqlite:///{hq_dir / 'server.db'}"
    pos = Run()
    server, url = start_server(db, hq_dir / "server.log")
    try:
        pos("init", "--data-dir", str(till), "init", "--store-code", "S01", "--store-name", "测试店",
            "--till-code", "T01", "--admin-user", "admin", "--admin-pin", ADMIN_PIN)
        admin = ["--data-dir", str(till), "--user", "admin", "--pin", ADMIN_PIN]
        pos("user add", *admin, "user", "add", "amy", "--role", "cashier", "--set-pin", AMY_PIN)
        amy_totp = pos("till totp", *admin, "user", "totp", "enable", "amy")["secret"]
        sale = tmp_path / "sale.json"
        sale.write_text(json.dumps({"user": "amy", "pin": AMY_PIN, "lines": [{"sku": "TEA", "qty": "1"}],
                                    "payments": [{"method": "cash", "amount": "10.00"}]}), encoding="utf-8")
        catalog = tmp_path / "catalog.csv"
        catalog.write_text(f"sku,name,price,barcode\nTEA,Green tea 绿茶,4.50,{COLA}\n", encoding="utf-8")
        pos("catalog", *admin, "catalog", "import", str(catalog))
        pos("sale", "--data-dir", str(till), "sale", "--file", str(sale), POS_OTP=pyotp.TOTP(amy_totp).now())
        pos("wrong pin", "--data-dir", str(till), "--user", "amy", "--pin", AMY_PIN[::-1], "--otp", "123456",
            "report", "x", code=4)

        hq = ["server", "admin"]
        pos("store", *hq, "create-store", "--code", "S01", "--name", "测试店", "--db", db)
        api_key = pos("api key", *hq, "api-key", "--name", "hq", "--scopes", "admin", "--db", db)["key"]
        enrol_code = pos("enrol code", *hq, "enrol-code", "--store", "S01", "--till", "T01", "--db", db)["code"]
        hq_totp = pos("hq totp", *hq, "totp", "enable", "--db", db)["secret"]
        pos("summary", *hq, "summary", "--store", "S01", "--otp", pyotp.TOTP(hq_totp).now(), "--db", db)
        pos("summary refused", *hq, "summary", "--store", "S01", "--db", db, code=4)

        pos("enrol", "--data-dir", str(till), "enrol", "--server", url, "--code", enrol_code)
        synced = pos("sync", "--data-dir", str(till), "sync", "--once")
        assert synced["ok"] and synced["pending"] == 0, synced
        pos("sync status", "--data-dir", str(till), "sync", "status")
        pos("backup", *admin, "backup", "--to", str(till / "backups" / "manual.db"),
            POS_OTP=pyotp.TOTP(amy_totp).now())
        till_secret = json.loads((till / "sync.json").read_text())["secret"]
    finally:
        server.terminate()
        server.wait(15)

    secrets = {"admin PIN": ADMIN_PIN, "amy's PIN": AMY_PIN, "amy's TOTP secret": amy_totp,
               "head office's TOTP secret": hq_totp, "API key": api_key, "API key secret": api_key.split(".", 1)[1],
               "enrolment code": enrol_code, "enrolment code typed": enrol_code.replace("-", ""),
               "till secret": till_secret}
    shown_once = {"till totp": {"amy's TOTP secret"}, "hq totp": {"head office's TOTP secret"},
                  "api key": {"API key", "API key secret"},
                  "enrol code": {"enrolment code", "enrolment code typed"}}
    logs = [p for p in (*till.rglob("*.log*"), *hq_dir.rglob("*.log*")) if p.is_file()]
    assert any(p.parent.name == "logs" for p in logs) and hq_dir / "server.log" in logs, logs
    server_log = (hq_dir / "server.log").read_text(errors="replace")
    assert "DEBUG" in server_log and "POST /api/v1/push" in server_log   # it really logged at DEBUG
    found = []
    for path in logs:
        text = path.read_text(errors="replace")
        found += [f"{what} in {path.name}" for what, secret in secrets.items() if secret in text]
    for name, text in pos.outputs.items():
        found += [f"{what} in the output of {name}" for what, secret in secrets.items()
                  if secret in text and what not in shown_once.get(name, set())]
    assert found == []

    private = [till, *till.rglob("*")]
    loose = [f"{p.relative_to(tmp_path)} {stat.filemode(p.stat().st_mode)}" for p in private
             if p.stat().st_mode & 0o077]
    assert loose == [], loose   # the data folder and everything in it: owner only
    assert stat.S_IMODE(till.stat().st_mode) == 0o700
    assert stat.S_IMODE((till / "sync.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((till / "pos.db").stat().st_mode) == 0o600


def test_a_loose_data_folder_is_made_owner_only_at_the_next_command(till_dir: Path) -> None:
    """A till made before (or a file copied in by hand) with group/other access: the next command takes it
    away; files the command creates are owner-only from the start (umask 077 while pos runs)."""
    import contextlib
    import io

    from pos_desktop.cli import main

    for path in (till_dir, till_dir / "pos.db"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    before = os.umask(0o022)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["--data-dir", str(till_dir), "backup", "--to", str(till_dir / "backups" / "b.db"),
                         "--user", "admin", "--pin", "1234"]) == 0
        assert os.umask(0o022) == 0o022   # pos put the caller's umask back
    finally:
        os.umask(before)
    assert stat.S_IMODE(till_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((till_dir / "pos.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((till_dir / "backups" / "b.db").stat().st_mode) == 0o600
