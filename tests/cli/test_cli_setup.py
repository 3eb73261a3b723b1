"""`pos init`, `pos user add`, `pos catalog import`, PINs and the lockout, POS_USER/POS_PIN, POS_DATA_DIR."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .conftest import COLA, COLA_6, Till, one_json, query, run, run_json

INIT = ("init", "--store-code", "S01", "--store-name", "便利店 Corner Shop", "--till-code", "T01")


def test_template_was_built_through_the_cli(template_reports: dict[str, Any]) -> None:
    """The outputs of the commands that built the seeded till (init, user add, catalog import)."""
    init = template_reports["init"]
    assert init["store"] == "S01" and init["till"] == "T01" and init["currency"] == "CNY"
    assert init["tax_inclusive"] is True
    assert init["locations"] == ["FLOOR", "BACK"]
    assert init["admin"] == "admin"
    for name, doc in template_reports["users"].items():
        assert set(doc) >= {"user", "role", "id"} and doc["user"] == name
    assert template_reports["users"]["mia"]["role"] == "manager"
    report = template_reports["import"]
    # the good rows are imported; the row with a bad check digit (spreadsheet row 6) is rejected with its reason
    assert report["created"] == 4 and report["updated"] == 0
    assert len(report["rejected"]) == 1
    rejected = report["rejected"][0]
    assert set(rejected) >= {"row", "field", "reason"}
    assert rejected["row"] == 6 and rejected["field"] == "barcode"
    assert "check digit" in rejected["reason"]


def test_init_refuses_an_existing_database_unless_forced(tmp_path: Path) -> None:
    folder = tmp_path / "till"
    doc = run_json(*INIT, "--admin-user", "admin", "--admin-pin", "1234", data_dir=folder)
    assert doc["data_dir"] == str(folder.resolve())
    assert (folder / "pos.db").is_file() and (folder / "config.toml").is_file()
    assert (folder / "logs").is_dir() and (folder / "backups").is_dir()
    assert sorted(r[0] for r in query(folder, "SELECT code FROM locations")) == ["BACK", "FLOOR"]
    db_before = (folder / "pos.db").read_bytes()

    again = run_json(*INIT, "--admin-user", "other", "--admin-pin", "5678", data_dir=folder, expect=3)
    assert again["error"] == "already_initialized"
    assert "--force" in again["message"]
    assert (folder / "pos.db").read_bytes() == db_before
    assert query(folder, "SELECT username FROM users") == [("admin",)]

    forced = run_json(*INIT, "--admin-user", "boss", "--admin-pin", "5678", "--force", data_dir=folder)
    assert forced["admin"] == "boss"
    assert query(folder, "SELECT username, role FROM users") == [("boss", "admin")]
    assert any("replaced" in p.name for p in (folder / "backups").iterdir()), "the old database is backed up"
    # the old admin is gone with the old database
    gone = run_json("user", "add", "x", "--role", "cashier", "--set-pin", "1111", "--user", "admin",
                    "--pin", "1234", data_dir=folder, expect=4)
    assert gone["error"] == "auth_failed" and "admin" in gone["message"]


def test_user_add_is_for_admins(fresh: Till) -> None:
    added = fresh.json("user", "add", "bob", "--role", "supervisor", "--set-pin", "5555", *fresh.as_user("admin"))
    assert added["user"] == "bob" and added["role"] == "supervisor" and added["id"]

    with fresh.unchanged(exclude=("users",)):
        refused = fresh.json("user", "add", "eve", "--role", "admin", "--set-pin", "6666", *fresh.as_user("amy"),
                             expect=4)
    assert refused["error"] == "permission_denied"
    assert "amy" in refused["message"]

    # POS_USER / POS_PIN stand in for --user / --pin
    by_env = fresh.json("user", "add", "zoe", "--role", "cashier", "--set-pin", "7777",
                        env={"POS_USER": "admin", "POS_PIN": "1234"})
    assert by_env["user"] == "zoe"
    roles = dict(query(fresh.path, "SELECT username, role FROM users"))
    assert roles["bob"] == "supervisor" and roles["zoe"] == "cashier" and "eve" not in roles


def test_wrong_pins_count_down_then_lock(fresh: Till) -> None:
    """A wrong PIN says how many tries are left; the fifth locks the user, even against the right PIN."""
    args = ("user", "add", "eve", "--role", "cashier", "--set-pin", "6666", "--user", "ken")
    with fresh.unchanged(exclude=("users",)):
        for left in ("4 tries", "3 tries", "2 tries", "1 try"):
            doc = fresh.json(*args, "--pin", "0000", expect=4)
            assert doc["error"] == "wrong_pin"
            assert f"{left} left" in doc["message"]
        fifth = fresh.json(*args, "--pin", "0000", expect=4)
        assert fifth["error"] == "locked"
        assert "locked" in fifth["message"]
        right_pin = fresh.json(*args, "--pin", "4444", expect=4)
        assert right_pin["error"] == "locked"
        assert "locked" in right_pin["message"]
    [(locked_until,)] = query(fresh.path, "SELECT locked_until FROM users WHERE username = 'ken'")
    assert locked_until


def test_pos_script_and_pos_data_dir(shop: Till) -> None:
    """The `pos` console script, finding its data folder through POS_DATA_DIR (no --data-dir)."""
    script = Path(sys.executable).with_name("pos")
    program = [str(script)] if script.exists() else None
    result = run("catalog", "show", "--barcode", COLA_6, "--json", env={"POS_DATA_DIR": str(shop.path)},
                 program=program)
    assert result.code == 0, result.describe()
    doc = one_json(result.out)
    assert doc["sku"] == "COLA"
    assert {"code": COLA, "pack_qty": "1.000"} in doc["barcodes"]
