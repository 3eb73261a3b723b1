"""``pos server admin …`` through real subprocesses: the JSON of CLI.md, the import report of ``pos catalog
import``, and the exit codes (3 invalid input, 7 database unreachable)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, adjust_payload, enrol, return_payload, sale_payload

CSV = """sku,name,price,barcode,tax_rate
NEW1,新品一 New one,12.50,6901234567953,0.13
NEW2,,3.00,,
NEW3,Bad code,1.00,6901234567954,
NEW1,Twice,2.00,,
NEW4,Percent tax,¥4.20,,9%
"""


def pos(*args: str, cwd: Path | None = None) -> tuple[int, object, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POS_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run([sys.executable, "-m", "pos_desktop", *args], capture_output=True, text=True, env=env,
                          cwd=cwd or ROOT, timeout=120)
    try:
        doc = json.loads(done.stdout) if done.stdout.strip() else None
    except ValueError:
        doc = done.stdout
    return done.returncode, doc, done.stderr


def test_store_code_and_key(server):
    db = ("--db", server.db_url)
    code = "C" + os.urandom(3).hex().upper()
    rc, doc, err = pos("server", "admin", "create-store", "--code", code, "--name", "CLI store", "--json", *db)
    assert rc == 0, err
    assert doc == {"code": code, "name": "CLI store", "currency": "CNY", "locations": ["BACK", "FLOOR"]}
    rc, doc, _err = pos("server", "admin", "create-store", "--code", code, "--name", "again", "--json", *db)
    assert rc == 3 and doc["error"] == "store_exists"
    rc, doc, _err = pos("server", "admin", "enrol-code", "--store", code, "--till", "T01", "--json", *db)
    assert rc == 0 and set(doc) >= {"code"} and len(doc["code"]) >= 26
    rc, doc, _err = pos("server", "admin", "api-key", "--name", "books", "--scopes", "sales:read,stock:read",
                        "--json", *db)
    assert rc == 0 and doc["scopes"] == ["sales:read", "stock:read"] and doc["key"].startswith("pk_")
    rc, doc, _err = pos("server", "admin", "revoke-till", "--store", code, "--till", "T01", "--json", *db)
    assert rc == 0 and doc == {"revoked": 0}
    rc, doc, _err = pos("server", "admin", "summary", "--store", "NOSUCH", "--json", *db)
    assert rc == 3 and doc["error"] == "unknown_store"


def test_import_catalog_reports_like_the_till(server, till_dir, tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(CSV, encoding="utf-8")
    rc, server_report, err = pos("server", "admin", "import-catalog", str(path), "--json", "--db", server.db_url)
    assert rc == 0, err
    rc, till_report, err = pos("--data-dir", str(till_dir), "catalog", "import", str(path), "--dry-run", "--json")
    assert rc == 0, err
    assert server_report == till_report
    assert (server_report["created"], server_report["updated"]) == (2, 0)
    assert [(r["row"], r["field"]) for r in server_report["rejected"]] == [(3, "name"), (4, "barcode"), (5, "sku")]
    rc, doc, _err = pos("server", "admin", "import-catalog", str(tmp_path / "missing.csv"), "--json",
                        "--db", server.db_url)
    assert rc == 3 and doc["error"] == "unreadable_file"


def test_summary_and_stock_as_cli_md_says(server):
    from .conftest import new_store
    store = new_store(server)
    till = enrol(server, store, "T01")
    sale = sale_payload([("COLA", 3000, 1050)])
    till.push_ok([till.event("sale.completed", sale), till.event("sale.completed", sale_payload([("SOAP", 1000, 450)])),
                  till.event("sale.returned", return_payload(sale, 1, 1000, 350)),
                  till.event("stock.adjusted", adjust_payload("MILK", 12000, lot="L1"))])
    rc, doc, err = pos("server", "admin", "summary", "--store", store, "--json", "--db", server.db_url)
    assert rc == 0, err
    assert (doc["sales_count"], doc["returns_count"], doc["net_sales"]) == (2, 1, "11.50")
    assert doc["by_till"]["T01"] | {"voids_count": 0} == {"sales_count": 2, "returns_count": 1, "net_sales": "11.50",
                                                          "acked_through_seq": 4, "voids_count": 0}
    rc, doc, err = pos("server", "admin", "stock", "--store", store, "--json", "--db", server.db_url)
    assert rc == 0, err
    assert doc == [{"sku": "COLA", "location": "FLOOR", "batch": None, "expiry": None, "qty": "-2.000"},
                   {"sku": "MILK", "location": "BACK", "batch": "L1", "expiry": None, "qty": "12.000"},
                   {"sku": "SOAP", "location": "FLOOR", "batch": None, "expiry": None, "qty": "-1.000"}]


def test_an_unreachable_database_exits_7(server, tmp_path):
    if server.backend != "postgresql":
        rc, doc, _err = pos("server", "admin", "summary", "--store", "S01", "--json", "--db",
                            "sqlite:////proc/no/such/server.db")
    else:
        rc, doc, _err = pos("server", "admin", "summary", "--store", "S01", "--json", "--db",
                            "postgresql+psycopg://postgres@127.0.0.1:1/nothing")
    assert rc == 7 and doc["error"] == "database_unreachable"
    rc, doc, _err = pos("server", "--db", "postgresql+psycopg://postgres@127.0.0.1:1/nothing", "--port", "0", "--json")
    assert rc == 7 and doc["error"] == "database_unreachable"


def test_master_data_commands(server):
    db = ("--db", server.db_url)
    rc, doc, err = pos("server", "admin", "product", "--sku", "CLI-1", "--name", "CLI product", "--price", "6.60",
                       "--barcode", "6901234567960", "--category", "Tools", "--json", *db)
    assert rc == 0 and doc["created"] == 1, err
    rc, doc, _err = pos("server", "admin", "product", "--sku", "CLI-2", "--name", "x", "--price", "-1", "--json", *db)
    assert rc == 3
    assert pos("server", "admin", "product-state", "--sku", "CLI-1", "--inactive", "--json", *db)[0] == 0
    rc, doc, _err = pos("server", "admin", "promotion", "--name", "Tools week", "--kind", "percent_off",
                        "--category", "Tools", "--percent", "15", "--json", *db)
    assert rc == 0 and len(doc["id"]) == 36
    assert pos("server", "admin", "user", "lee", "--role", "supervisor", "--set-pin", "7777", "--json", *db)[0] == 0
    assert pos("server", "admin", "user", "lee", "--set-pin", "12", "--json", *db)[0] == 3
    assert pos("server", "admin", "supplier", "--code", "SUP1", "--name", "One", "--json", *db)[0] == 0
    assert pos("server", "admin", "member", "--code", "M5", "--name", "Five", "--json", *db)[0] == 0
    assert pos("server", "admin", "setting", "--key", "points_per_yuan", "--value", "2", "--json", *db)[0] == 0
    assert pos("server", "admin", "setting", "--key", "x", "--value", "not json", "--json", *db)[0] == 3
    rc, doc, _err = pos("server", "admin", "errors", "--json", *db)
    assert rc == 0 and isinstance(doc, list)
