"""The back-office commands through real ``pos`` subprocesses on real data folders: the JSON shapes the issue
fixes, what a person is told when something is refused (exit code, error code, message), and that a refused
command changed nothing."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from tests.cli.conftest import COLA, MILK, UNKNOWN_EAN, Till, fresh, pick, run_json, sale_doc, template  # noqa: F401

REPORT_LINE = ("sku", "expected", "counted", "variance", "variance_value")
ALERT_KEYS = {"kind", "sku", "location", "lot", "expiry", "qty", "message"}


def _stock(till: Till, sku: str, location: str) -> str:
    rows = till.json("stock", "--sku", sku, "--location", location)
    return rows[0]["qty"] if rows else "0.000"


def _adjust(till: Till, sku: str, location: str, qty: str, *lot: str) -> None:
    till.json("stock", "adjust", "--sku", sku, "--location", location, "--qty-delta", qty, "--reason", "found",
              *lot, *till.as_user("mia"))


def test_a_count_with_a_sale_in_the_middle(fresh: Till) -> None:
    ken, mia = fresh.as_user("ken"), fresh.as_user("mia")
    _adjust(fresh, "COLA", "FLOOR", "10")
    _adjust(fresh, "CHIPS", "FLOOR", "4")
    started = fresh.json("count", "start", "--location", "FLOOR", *ken)
    count_id = started["count_id"]
    recorded = fresh.json("count", "record", count_id, "--barcode", COLA, "--qty", "9", *ken)
    assert (recorded["sku"], recorded["counted"]) == ("COLA", "9.000") and "expected" not in recorded
    fresh.sale(sale_doc({"barcode": COLA, "qty": "2"}))                      # sold while the count goes on
    fresh.json("count", "record", count_id, "--sku", "CHIPS", "--qty", "4", *ken)
    report = fresh.json("count", "finish", count_id, *ken)
    assert pick(report["lines"], *REPORT_LINE) == [
        {"sku": "CHIPS", "expected": "4.000", "counted": "4.000", "variance": "0.000", "variance_value": "0.00"},
        {"sku": "COLA", "expected": "10.000", "counted": "9.000", "variance": "-1.000", "variance_value": "-2.10"}]
    assert report["total_variance_value"] == "-2.10"
    approved = fresh.json("count", "approve", count_id, *mia)
    assert (approved["status"], approved["changed_lines"]) == ("approved", 1)
    assert _stock(fresh, "COLA", "FLOOR") == "7.000"                       # 9 counted − 2 sold after
    assert fresh.json("count", "report", count_id)["status"] == "approved"


def test_what_a_counter_is_told_when_something_is_refused(fresh: Till) -> None:
    ken, mia = fresh.as_user("ken"), fresh.as_user("mia")
    _adjust(fresh, "COLA", "FLOOR", "10")
    count_id = fresh.json("count", "start", "--location", "FLOOR", "--blind", *ken)["count_id"]
    with fresh.unchanged():
        unknown = fresh.json("count", "record", count_id, "--barcode", UNKNOWN_EAN, *ken, expect=3)
    assert unknown["error"] == "unknown_barcode" and UNKNOWN_EAN in unknown["message"]
    with fresh.unchanged():
        no_login = fresh.json("count", "record", count_id, "--sku", "COLA", expect=4)
    assert no_login["error"] == "auth_required"
    usage = fresh.json("count", "record", count_id, "--sku", "COLA", "--barcode", COLA, *ken, expect=2)
    assert usage["error"] == "usage"
    fresh.json("count", "record", count_id, "--sku", "COLA", "--qty", "8", *ken)
    blind = fresh.json("count", "finish", count_id, *ken)
    assert blind["expected_shown"] is False and blind["total_variance_value"] is None
    assert pick(blind["lines"], *REPORT_LINE) == [
        {"sku": "COLA", "expected": None, "counted": "8.000", "variance": None, "variance_value": None}]
    assert fresh.json("count", "report", count_id, *mia)["lines"][0]["variance"] == "-2.000"
    with fresh.unchanged():
        clerk = fresh.json("count", "approve", count_id, *ken, expect=4)
    assert clerk["error"] == "permission_denied" and "manager" in clerk["message"]
    fresh.json("count", "approve", count_id, *mia)
    with fresh.unchanged():
        twice = fresh.json("count", "approve", count_id, *mia, expect=3)
    assert twice["error"] == "already_approved" and "already approved" in twice["message"]
    assert _stock(fresh, "COLA", "FLOOR") == "8.000"
    missing = fresh.json("count", "finish", "no-such-count", *ken, expect=3)
    assert missing["error"] == "unknown_count"


def test_recounts_and_uploads_from_a_handheld(fresh: Till) -> None:
    ken, mia = fresh.as_user("ken"), fresh.as_user("mia")
    _adjust(fresh, "COLA", "FLOOR", "12")
    _adjust(fresh, "CHIPS", "FLOOR", "3")
    count_id = fresh.json("count", "start", "--location", "FLOOR", "--category", "饮料 Drinks", *ken)["count_id"]
    scans = fresh.write({"user": "ken", "pin": "4444", "entries": [{"barcode": COLA}] * 5 + [{"sku": "COLA",
                                                                                            "qty": "1"}]})
    uploaded = fresh.json("count", "record", count_id, "--file", scans)
    assert uploaded["recorded"] == 6 and uploaded["entries"][-1]["counted"] == "6.000"
    outside = fresh.json("count", "record", count_id, "--sku", "CHIPS", *ken, expect=3)
    assert outside["error"] == "not_in_count"
    fresh.json("count", "finish", count_id, *ken)
    recount = fresh.json("count", "recount", count_id, "--over-qty", "3", *mia)
    assert (recount["recount"], recount["status"]) == (["COLA"], "open")
    fresh.json("count", "record", count_id, "--sku", "COLA", "--qty", "12", *mia)
    again = fresh.json("count", "finish", count_id, *ken)
    assert (again["lines"][0]["round"], again["lines"][0]["variance"]) == (2, "0.000")
    listed = fresh.json("count", "list")
    assert [(c["number"], c["kind"], c["status"]) for c in listed] == [("S01-T01-C000001", "category", "finished")]


def test_transfers_from_the_command_line(fresh: Till) -> None:
    ken = fresh.as_user("ken")
    _adjust(fresh, "COLA", "BACK", "24")
    _adjust(fresh, "MILK", "BACK", "10", "--lot", "L1")
    lines = fresh.write([{"sku": "COLA", "qty": "12"}, {"barcode": MILK, "qty": "4"}])
    draft = fresh.json("transfer", "create", "--from", "BACK", "--to", "FLOOR", "--file", lines, *ken)
    assert (draft["status"], draft["from"], draft["to"]) == ("draft", "S01:BACK", "S01:FLOOR")
    assert draft["lines"][1]["pick"] == [{"lot": "L1", "expiry": None, "qty": "4.000"}]
    shipped = fresh.json("transfer", "ship", draft["transfer_id"], *ken)
    assert [(ln["sku"], ln["lot"], ln["qty"]) for ln in shipped["lines"]] == [("COLA", None, "12.000"),
                                                                               ("MILK", "L1", "4.000")]
    assert _stock(fresh, "COLA", "TRANSIT") == "12.000"
    got = fresh.write([{"sku": "COLA", "received": "10", "damaged": "1", "reason": "one can burst, one missing"}])
    done = fresh.json("transfer", "receive", draft["number"], "--file", got, *ken)
    cola = done["lines"][0]
    assert (cola["received"], cola["damaged"], cola["short"], cola["reason"]) == (
        "10.000", "1.000", "1.000", "one can burst, one missing")
    assert (_stock(fresh, "COLA", "FLOOR"), _stock(fresh, "COLA", "QUAR"), _stock(fresh, "COLA", "TRANSIT")) == (
        "10.000", "1.000", "0.000")

    big = fresh.json("transfer", "create", "--from", "BACK", "--to", "FLOOR", "--line", "COLA:20", *ken)
    with fresh.unchanged():
        refused = fresh.json("transfer", "ship", big["transfer_id"], *ken, expect=3)
    assert refused["error"] == "insufficient_stock"
    assert "COLA: 20.000 asked, 12.000 on hand at BACK" in refused["message"]
    with fresh.unchanged():
        cashier = fresh.json("transfer", "create", "--from", "BACK", "--to", "FLOOR", "--line", "COLA:1",
                             *fresh.as_user("amy"), expect=4)
    assert cashier["error"] == "permission_denied"
    with fresh.unchanged():
        bad_line = fresh.json("transfer", "create", "--from", "BACK", "--to", "FLOOR", "--line", "COLA", *ken, expect=3)
    assert bad_line["error"] == "bad_field"
    assert [t["status"] for t in fresh.json("transfer", "list")] == ["draft", "received"]
    pick_ = fresh.json("stock", "pick", "--sku", "MILK", "--location", "BACK", "--qty", "8")
    assert (pick_["pick"], pick_["short"]) == ([{"lot": "L1", "expiry": None, "qty": "6.000"}], "2.000")


def test_a_transfer_between_two_stores_by_its_events(fresh: Till, tmp_path: Path) -> None:
    s02 = Till(tmp_path / "s02")
    run_json("init", "--store-code", "S02", "--store-name", "二店", "--till-code", "T01", "--admin-user", "admin",
             "--admin-pin", "1234", data_dir=s02.path)
    csv = s02.write("sku,name,barcode,price,cost,category\nCOLA,可口可乐 Coca-Cola 330ml,6901234567892,3.50,2.10,"
                    "饮料 Drinks\n", suffix=".csv")
    s02.json("catalog", "import", csv, *s02.as_user("admin"))
    _adjust(fresh, "COLA", "BACK", "6")
    draft = fresh.json("transfer", "create", "--from", "BACK", "--to", "S02:BACK", "--line", "COLA:6",
                       *fresh.as_user("ken"))
    fresh.json("transfer", "ship", draft["transfer_id"], *fresh.as_user("ken"))
    (payload,) = [json.loads(p) for (p,) in _query(fresh, "SELECT payload FROM outbox WHERE kind = 'transfer.shipped'")]
    incoming = s02.json("transfer", "incoming", "--file", s02.write({"kind": "transfer.shipped", "payload": payload}))
    assert (incoming["direction"], incoming["status"], incoming["number"]) == ("incoming", "shipped", draft["number"])
    s02.json("transfer", "receive", draft["transfer_id"], *s02.as_user("admin"))
    assert _stock(s02, "COLA", "BACK") == "6.000"
    (received,) = [json.loads(p) for (p,) in _query(s02, "SELECT payload FROM outbox WHERE kind = 'transfer.received'")]
    settled = fresh.json("transfer", "settle", "--file", fresh.write(received))
    assert settled["status"] == "received" and _stock(fresh, "COLA", "TRANSIT") == "0.000"
    elsewhere = s02.json("transfer", "incoming", "--file", s02.write({**payload, "to_store": "S09"}), expect=3)
    assert elsewhere["error"] == "not_for_this_store"


def _query(till: Till, sql: str) -> list[tuple]:
    import sqlite3

    con = sqlite3.connect(till.path / "pos.db")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_alerts_labels_trace_locations(fresh: Till, tmp_path: Path) -> None:
    mia, admin = fresh.as_user("mia"), fresh.as_user("admin")
    soon = (date.today() + timedelta(days=3)).isoformat()       # the child processes run on the real clock
    delivery = fresh.write({"user": "mia", "pin": "9999", "location": "FLOOR", "lines": [
        {"sku": "MILK", "qty": "6", "lot": "L9", "expiry": soon}]})
    fresh.json("receive", "--file", delivery)
    fresh.sale(sale_doc({"sku": "CHIPS", "qty": "1"}, customer="M0001"))
    found = fresh.json("alerts")
    assert all(set(a) >= ALERT_KEYS for a in found)
    assert [(a["kind"], a["sku"], a["location"], a["lot"]) for a in found] == [
        ("negative_stock", "CHIPS", "FLOOR", None), ("near_expiry", "MILK", "FLOOR", "L9")]
    assert fresh.json("alerts", "--kind", "near_expiry")[0]["expiry"] == soon
    assert fresh.json("alerts", "--kind", "expired") == []
    settings = fresh.json("alerts", "settings", "--near-expiry-days", "10", "--category-days", "乳制品 Dairy=3", *admin)
    assert settings == {"near_expiry_days": 10, "near_expiry_by_category": {"乳制品 Dairy": 3}, "dead_stock_days": 60}
    with fresh.unchanged():
        assert fresh.json("alerts", "settings", "--dead-stock-days", "9", *mia, expect=4)["error"] == "permission_denied"

    traced = fresh.json("trace", "--lot", "L9")
    assert [(e["kind"], e["qty"]) for e in traced["events"]] == [("receipt", "6.000")]
    assert fresh.json("trace", "--lot", "NOPE", expect=3)["error"] == "unknown_lot"

    pdf = tmp_path / "labels.pdf"
    sheet = fresh.json("labels", "--pdf", pdf, "--sku", "COLA", "CHIPS")
    assert (sheet["labels"], sheet["pages"], sheet["skus"]) == (2, 1, ["COLA", "CHIPS"])
    assert pdf.read_bytes().startswith(b"%PDF-")
    changed = fresh.json("labels", "--pdf", tmp_path / "changed.pdf", "--changed-since", "2000-01-01", "--kind",
                         "barcode")
    assert changed["labels"] == 4
    assert fresh.json("labels", "--pdf", tmp_path / "x.pdf", "--changed-since", "soon", expect=3)["error"] == "bad_date"

    fresh.json("location", "add", "wh1", "--name", "仓库 Warehouse", "--kind", "warehouse", *admin)
    assert [loc["code"] for loc in fresh.json("location", "list")] == ["BACK", "FLOOR", "WH1"]


def test_catalog_quality_and_fixes(fresh: Till) -> None:
    mia = fresh.as_user("mia")
    report = fresh.json("catalog", "quality")
    assert set(report) == {"duplicate_names", "duplicate_barcodes", "invalid_barcodes", "missing_cost",
                           "below_cost", "no_category", "no_price"}
    assert report["no_category"] == {"count": 0, "items": []}
    fixed = fresh.json("catalog", "fix", "--sku", "CHIPS", "COLA", "--set-category", "零食 Snacks", "--set-cost",
                       "2.00", *mia)
    assert fixed["changed"] == 2 and fixed["products"][1] == {"sku": "COLA", "category": "零食 Snacks", "cost": "2.00"}
    with fresh.unchanged():
        clerk = fresh.json("catalog", "fix", "--sku", "COLA", "--deactivate", *fresh.as_user("ken"), expect=4)
    assert clerk["error"] == "permission_denied"
    with fresh.unchanged():
        unknown = fresh.json("catalog", "fix", "--sku", "COLA", "NOPE", "--deactivate", *mia, expect=3)
    assert unknown["error"] == "unknown_product"
    with fresh.unchanged():
        nothing = fresh.json("catalog", "fix", "--sku", "COLA", *mia, expect=3)
    assert nothing["error"] == "usage"
    file = fresh.write([{"sku": "MILK", "active": False}])
    assert fresh.json("catalog", "fix", "--file", file, *mia)["products"] == [{"sku": "MILK", "active": False}]


def test_the_command_line_offers_what_the_services_know() -> None:
    from pos_desktop.cli import backoffice_cmds
    from pos_desktop.services import alerts, labels, transfers

    assert backoffice_cmds.LOCATION_KINDS == transfers.LOCATION_KINDS
    assert backoffice_cmds.ALERT_KINDS == alerts.KINDS
    assert backoffice_cmds.LABEL_KINDS == tuple(labels.LAYOUTS)
