"""A corrupt or missing database at start: detected, selling refused (exit 5), the newest good backup offered
and restored; backups are verified when they are taken and listed with their state."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pos_desktop import paths
from pos_desktop.core.clock import FixedClock
from pos_desktop.core.errors import IntegrityFailure
from pos_desktop.services import backups, till
from tests.conftest import COLA, T0
from tests.reliability import checks
from tests.sync.harness import pos

SALE = {"user": "amy", "pin": "1111", "lines": [{"barcode": COLA, "qty": "1"}],
        "payments": [{"method": "cash", "amount": "5.00"}]}


def sell(folder: Path) -> str:
    """A sale through the services (the command line is for the refusals under test); its receipt number."""
    from decimal import Decimal as D

    from pos_desktop.core.cart import Cart
    from pos_desktop.services import auth, catalog, checkout
    from pos_desktop.services.checkout import Tender

    ctx = till.open_till(folder)
    try:
        cart = Cart()
        found = catalog.lookup_scan(ctx, COLA)
        cart.add(found.product, found.qty, barcode=found.barcode)
        return checkout.complete_sale(ctx, cart, [Tender("cash", D("5"))], auth.login(ctx, "amy", "1111")).receipt_no
    finally:
        ctx.close()


def pos_sale(folder: Path):  # type: ignore[no-untyped-def]
    """``pos sale --file - --json`` as an integrator runs it."""
    import subprocess
    import sys

    from tests.sync.harness import ROOT, child_env
    return subprocess.run([sys.executable, "-m", "pos_desktop", "--data-dir", str(folder), "sale", "--file", "-",
                           "--json"], input=json.dumps(SALE), capture_output=True, text=True, env=child_env(),
                          cwd=ROOT, timeout=120, check=False)


def daily_backups(folder: Path, *days: int) -> list[Path]:
    """The automatic daily backups, taken on the given days after T0."""
    from datetime import timedelta
    taken = []
    for day in days:
        ctx = till.open_till(folder, FixedClock(T0 + timedelta(days=day)))
        try:
            taken.append(backups.daily_backup(ctx))
        finally:
            ctx.close()
    return taken


def corrupt(db_file: Path) -> None:
    """Scribble over pages in the middle of the file, as a failing disk does."""
    with db_file.open("r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xde\xad\xbe\xef" * 4096)


def test_a_corrupt_database_stops_selling_and_the_newest_good_backup_is_restored(till_dir: Path) -> None:
    first = sell(till_dir)
    older, newer = daily_backups(till_dir, 1, 2)
    conn = sqlite3.connect(newer)      # the newest backup went bad on disk afterwards: its journal was changed
    conn.execute("UPDATE journal SET entry = replace(entry, 'S01', 'S09') WHERE seq = 1")
    conn.commit()
    conn.close()
    second = sell(till_dir)     # made after the backups: lost by the restore
    corrupt(paths.db_path(till_dir))

    refused = pos_sale(till_dir)
    assert refused.returncode == 5
    doc = json.loads(refused.stdout)
    assert doc["error"] == "database_corrupt"
    assert "selling is stopped: restore the newest good backup (pos restore --latest)" in doc["message"]

    listed = json.loads(pos("--data-dir", str(till_dir), "restore", "--list", "--json").stdout)
    assert [(Path(b["path"]).name, b["good"]) for b in listed] == [(newer.name, False), (older.name, True)]
    assert listed[0]["problem"] == "its journal is broken at entry 1"

    wrong = pos("--data-dir", str(till_dir), "restore", "--latest", "--user", "admin", "--pin", "9", "--json",
                check=False)
    assert wrong.returncode == 4 and json.loads(wrong.stdout)["error"] == "wrong_pin"
    assert pos_sale(till_dir).returncode == 5                # nothing changed: still refused

    done = pos("--data-dir", str(till_dir), "restore", "--latest", "--user", "admin", "--pin", "1234", "--json")
    assert json.loads(done.stdout) == {"restored": str(older), "ok": True}
    assert list((paths.backups_dir(till_dir) / "damaged").glob("pos-*.db")), "the damaged file is kept"
    third = sell(till_dir)
    receipts = checks.local_receipts(paths.db_path(till_dir))
    assert first in receipts and second not in receipts and third in receipts
    assert third > second, "receipt numbers never go back"
    assert checks.till_folder(till_dir, [first, third]) == []
    verify = json.loads(pos("--data-dir", str(till_dir), "journal", "verify", "--json").stdout)
    assert verify["ok"] is True


def test_a_missing_database_stops_selling_and_is_restored(till_dir: Path) -> None:
    sold = sell(till_dir)
    daily_backups(till_dir, 1)
    paths.db_path(till_dir).unlink()

    refused = pos_sale(till_dir)
    assert refused.returncode == 5 and json.loads(refused.stdout)["error"] == "database_missing"
    pos("--data-dir", str(till_dir), "restore", "--latest", "--user", "admin", "--pin", "1234", "--json")
    assert sold in checks.local_receipts(paths.db_path(till_dir))
    assert pos_sale(till_dir).returncode == 0


def test_no_good_backup_is_said_so(till_dir: Path) -> None:
    corrupt(paths.db_path(till_dir))
    done = pos("--data-dir", str(till_dir), "restore", "--latest", "--user", "admin", "--pin", "1234", "--json",
               check=False)
    assert done.returncode == 5 and json.loads(done.stdout)["error"] == "no_backup"


def test_a_backup_that_fails_its_check_is_refused_when_taken(ctx, admin, tmp_path: Path, monkeypatch) -> None:
    good = backups.backup(ctx, admin, tmp_path / "good.db")
    assert backups.check_backup(good) is None

    def broken_copy(source: Path, target: Path) -> Path:   # the copy came out wrong (bad disk, bad cable)
        from pos_desktop.store.backup import backup_to
        backup_to(source, target)
        conn = sqlite3.connect(target)
        conn.execute("DELETE FROM journal WHERE seq = 1")
        conn.commit()
        conn.close()
        return target

    monkeypatch.setattr(backups, "backup_to", broken_copy)
    with pytest.raises(IntegrityFailure) as refused:
        backups.backup(ctx, admin, tmp_path / "bad.db")
    assert refused.value.code == "bad_backup" and "its journal is broken at entry 1" in refused.value.message
    assert not (tmp_path / "bad.db").exists()


def enable_admin_totp(folder: Path) -> str:
    """The administrator turns on the second factor before the backup is taken; its secret."""
    from pos_desktop.services import auth, totp

    ctx = till.open_till(folder)
    try:
        return totp.enable(ctx, auth.login(ctx, "admin", "1234"), "admin")["secret"]
    finally:
        ctx.close()


def test_an_admin_with_a_one_time_code_must_give_it_to_restore(till_dir: Path) -> None:
    import pyotp

    secret = enable_admin_totp(till_dir)
    sold = sell(till_dir)
    daily_backups(till_dir, 1)
    paths.db_path(till_dir).unlink()
    restore = ("--data-dir", str(till_dir), "restore", "--latest", "--user", "admin", "--pin", "1234", "--json")

    no_code = pos(*restore, check=False)
    assert no_code.returncode == 4 and json.loads(no_code.stdout)["error"] == "otp_required"
    wrong = pos(*restore, "--otp", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111", check=False)
    assert wrong.returncode == 4 and json.loads(wrong.stdout)["error"] == "wrong_pin"
    assert pos_sale(till_dir).returncode == 5                 # still refused: nothing restored
    pos(*restore, "--otp", pyotp.TOTP(secret).now())
    assert sold in checks.local_receipts(paths.db_path(till_dir))
