"""``pos diagnostics --out FILE.zip``: what support gets, and what it must never get.

The till is enrolled with a real server process and synced, then someone careless logs a PIN, the
enrolment code and the bearer credential: the zip still holds none of the till's secret, the PINs or the
code, yet it holds the versions, the integrity, the journal, the outbox counts and the sync status. A
damaged database still gives a bundle, which says what is wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from pos_desktop.server import admin as server_admin
from pos_desktop.server import schema
from pos_desktop.server.db import Database
from pos_desktop.services import auth, diagnostics, stock, till
from pos_desktop.sync import config as sync_config
from tests.server.conftest import start_server, stop_server

ROOT = Path(__file__).resolve().parents[2]
ODD_PIN = "80417362"        # long and odd enough that finding it anywhere means it leaked


def pos(folder: Path, *args: str, expect: int = 0) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POS_")}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, "-m", "pos_desktop", "--data-dir", str(folder), "--json", *args],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert result.returncode == expect, result.stdout + result.stderr
    return json.loads(result.stdout)


def members(zip_path: Path) -> dict[str, str]:
    with zipfile.ZipFile(zip_path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


@pytest.fixture
def central(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'server.db'}"
    db = Database(url)
    schema.upgrade(db)
    server_admin.create_store(db, datetime.now(UTC), "S01", "测试店 Test Store")
    db.close()
    running = start_server(url, tmp_path / "server")
    yield running
    stop_server(running)


def adjust(till_dir: Path, delta: str) -> None:
    ctx = till.open_till(till_dir)
    try:
        stock.adjust_stock(ctx, auth.login(ctx, "odd", ODD_PIN), sku="SOAP", location="BACK",
                           qty_delta=Decimal(delta), reason="found")
    finally:
        ctx.close()


def test_the_bundle_holds_the_facts_and_no_secret(till_dir: Path, central, tmp_path: Path) -> None:
    ctx = till.open_till(till_dir)
    auth.add_user(ctx, auth.login(ctx, "admin", "1234"), "odd", "manager", ODD_PIN)
    ctx.close()
    code = server_admin.enrol_code(central.db, datetime.now(UTC), "S01", "T01")["code"]
    pos(till_dir, "enrol", "--server", central.url, "--code", code)
    adjust(till_dir, "2")
    synced = pos(till_dir, "sync", "--once")
    assert synced["ok"] is True and synced["pushed"] >= 1
    adjust(till_dir, "1")                                                   # one event left waiting
    secret = sync_config.load(till_dir).secret
    enrolment = sync_config.load(till_dir).enrolment_id
    with (till_dir / "logs" / "pos.log").open("a", encoding="utf-8") as log:   # a careless line
        log.write(f"2026-11-27 10:00:00 DEBUG pos_desktop.x: ran pos enrol --code {code} --pin {ODD_PIN} "
                  f'{{"pin": "{ODD_PIN}"}} Authorization: Bearer {enrolment}.{secret} secret={secret}\n')

    doc = pos(till_dir, "diagnostics", "--out", str(tmp_path / "support.zip"))
    assert doc["ok"] is True and doc["problems"] == []
    files = members(tmp_path / "support.zip")
    assert set(files) == {"diagnostics.json", "logs/pos.log"}
    everything = "\n".join(files.values())
    compact_code = code.replace("-", "")
    for leaked in (secret, ODD_PIN, code, compact_code):
        assert leaked not in everything, f"{leaked[:4]}… is in the support bundle"
    assert "pos.db" not in files, "the database (PIN hashes, customers) never goes into the bundle"
    assert "ran pos enrol --code [redacted] --pin [redacted]" in files["logs/pos.log"]

    report = json.loads(files["diagnostics.json"])
    assert report["versions"]["pos"] and report["versions"]["sqlite"]
    assert report["integrity"]["database"] == "ok"
    assert report["integrity"]["journal"]["ok"] is True and report["integrity"]["journal"]["entries"] > 5
    assert report["database"]["revision"] == report["database"]["head_revision"]
    assert report["outbox"]["unsent"] == 1 and report["outbox"]["by_kind"]["stock.adjusted"]["unsent"] == 1
    assert report["outbox"]["sent"] == synced["pushed"]
    assert report["sync"]["enrolment"] == {"enrolled": True, "server": central.url, "enrolment_id": enrolment,
                                           "ca_file": None, "secret": "[redacted]"}
    assert report["sync"]["state"]["push_acked"] is True and report["sync"]["state"]["last_sync"]
    listed = {f["path"]: f for f in report["data_folder"]["files"]}
    assert listed["sync.json"]["mode"] == "0o600" and "pos.db" in listed
    assert report["config"]["printer"]["kind"]
    assert oct((tmp_path / "support.zip").stat().st_mode & 0o777) == "0o600"


def test_a_damaged_database_still_gives_a_bundle_that_says_so(till_dir: Path, tmp_path: Path) -> None:
    db_file = till_dir / "pos.db"
    data = bytearray(db_file.read_bytes())
    data[4096 * 3: 4096 * 6] = b"\x5a" * (4096 * 3)                         # pages overwritten on disk
    db_file.write_bytes(bytes(data))
    text = subprocess.run([sys.executable, "-m", "pos_desktop", "--data-dir", str(till_dir), "diagnostics",
                           "--out", str(tmp_path / "broken.zip")], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "POS_LANG": "en"}, cwd=ROOT, timeout=120)
    assert text.returncode == 0 and "Problem: database integrity" in text.stdout   # what the user reads
    report = json.loads(members(tmp_path / "broken.zip")["diagnostics.json"])
    assert report["integrity"]["database"] != "ok" and report["problems"]
    assert report["integrity"]["journal"] is None                            # not opened, not upgraded
    assert report["versions"]["pos"]


def test_no_folder_for_the_zip_is_a_clear_error(till_dir: Path, tmp_path: Path) -> None:
    doc = pos(till_dir, "diagnostics", "--out", str(tmp_path / "missing" / "x.zip"), expect=3)
    assert doc["error"] == "no_folder" and "does not exist" in doc["message"]


def test_without_out_the_bundle_goes_on_the_users_desktop(till_dir: Path, tmp_path: Path) -> None:
    """What the Windows Start menu's *Support bundle* runs: ``pos diagnostics`` alone, as the user who clicks it."""
    home = tmp_path / "home"
    (home / "Desktop").mkdir(parents=True)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("POS_")}, "PYTHONPATH": str(ROOT),
           "HOME": str(home), "USERPROFILE": str(home)}
    done = subprocess.run([sys.executable, "-m", "pos_desktop", "--data-dir", str(till_dir), "--json", "diagnostics"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    written = list((home / "Desktop").glob("pos-diagnostics-*.zip"))
    assert len(written) == 1 and "diagnostics.json" in members(written[0])


def test_scrub_and_redact_by_themselves() -> None:
    secrets = ["s3cr3t-value-xyz"]
    text = ('user=amy pin=1234 token: abc Bearer e1.s3cr3t-value-xyz --approver-pin 9999 '
            '{"admin_pin": "5555", "code": "ABCD-EFGH-IJKL-MNOP"} ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567')
    clean = diagnostics.scrub(text, secrets)
    for leaked in ("1234", "abc", "s3cr3t", "9999", "5555", "ABCD-EFGH"):
        assert leaked not in clean, leaked
    assert "user=amy" in clean
    config = {"drawer": {"pin": 2}, "printer": {"barcode": "code128"}, "hq": {"api_key": "k", "admin_pin": "1"}}
    assert diagnostics.redact(config) == {"drawer": {"pin": 2}, "printer": {"barcode": "code128"},
                                          "hq": {"api_key": "[redacted]", "admin_pin": "[redacted]"}}


def test_a_folder_without_a_till_gives_a_bundle_that_says_so(tmp_path: Path) -> None:
    bundle = diagnostics.write_bundle(tmp_path / "never-initialised", tmp_path / "empty.zip")
    assert bundle.to_json()["ok"] is False
    assert any("no till database" in problem for problem in bundle.problems)
    report = json.loads(members(tmp_path / "empty.zip")["diagnostics.json"])
    assert report["database"] == {"exists": False} and report["outbox"] is None
