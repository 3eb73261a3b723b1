"""Tills and a real server: enrolment, push, pull, store-wide stock, the commands and their JSON."""

from __future__ import annotations

import json
import os
import stat
from decimal import Decimal as D

import requests

from pos_desktop.services import sync_state
from pos_desktop.sync import config as sync_config
from tests.sync.harness import pos

RESULT_KEYS = {"pushed", "pulled", "pending", "server_time", "ok"}
STATUS_KEYS = {"enrolled", "server", "online", "pending", "last_sync", "last_error", "acked_through",
               "clock_skew_seconds", "needs_reenrol", "synced"}


def test_enrol_through_the_command_stores_an_owner_only_secret_and_sends_next_seq(tills, server):
    t = tills("T01", enrol=False)
    t.close()
    pending_before = pos("--data-dir", str(t.folder), "sync", "status", "--json")
    unsent = json.loads(pending_before.stdout)["pending"]
    code = server.enrol_code(tills.store, "T01")
    done = pos("--data-dir", str(t.folder), "enrol", "--server", server.url, "--code", code, "--json")
    doc = json.loads(done.stdout)
    path = sync_config.config_path(t.folder)
    saved = json.loads(path.read_text())
    assert set(saved) == {"server", "enrolment_id", "secret", "ca_file"}
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert saved["secret"] not in done.stdout + done.stderr
    for log_file in (t.folder / "logs").glob("*"):
        assert saved["secret"] not in log_file.read_text(errors="replace")
    assert doc["enrolment_id"] == saved["enrolment_id"] and doc["next_seq"] == 1 and unsent == 0
    status = requests.get(server.url + "/api/v1/status", timeout=5,
                          headers={"Authorization": f"Bearer {saved['enrolment_id']}.{saved['secret']}"}).json()
    assert status["acked_through"] == doc["next_seq"] - 1
    assert status["store_code"] == tills.store and status["till_code"] == "T01"


def test_next_seq_is_the_oldest_unsent_event(tills, server):
    t = tills("T01", enrol=False)
    from pos_desktop.services import auth
    auth.add_user(t.ctx, t.admin, "amy", "cashier", "1111")
    auth.add_user(t.ctx, t.admin, "bob", "cashier", "2222")
    assert sync_state.next_seq(t.ctx) == 1
    with t.ctx.db.write() as session:
        session.connection().exec_driver_sql("UPDATE outbox SET sent_at = '2026-01-01T00:00:00+08:00' "
                                             "WHERE till_seq = 1")
    assert sync_state.next_seq(t.ctx) == 2
    doc = t.enrol(server.url, server.enrol_code(tills.store, "T01"))
    assert doc["next_seq"] == 2
    result = t.drain()
    assert result.pushed == 1 and server.summary(tills.store)["by_till"]["T01"]["acked_through_seq"] == 2


def test_a_refused_or_unreachable_enrolment_exits_7_with_the_error_json(tills, server):
    t = tills("T01", enrol=False)
    t.close()
    code = server.enrol_code(tills.store, "T01")
    pos("--data-dir", str(t.folder), "enrol", "--server", server.url, "--code", code, "--json")
    again = pos("--data-dir", str(t.folder), "enrol", "--server", server.url, "--code", code, "--json",
                check=False)
    assert again.returncode == 7
    assert json.loads(again.stdout)["error"] and json.loads(again.stdout)["message"]
    wrong_store = server.enrol_code(server.new_store(), "T01")
    other = pos("--data-dir", str(t.folder), "enrol", "--server", server.url, "--code", wrong_store, "--json",
                check=False)
    assert other.returncode == 7
    nobody = pos("--data-dir", str(t.folder), "enrol", "--server", "http://127.0.0.1:9", "--code", "x", "--json",
                 check=False)
    assert nobody.returncode == 7 and json.loads(nobody.stdout)["error"] == "server_unreachable"


def test_sales_reach_the_server_once_and_the_till_says_synced(any_tills, any_server):
    t = any_tills("T01")
    for _ in range(3):
        t.sell(("COLA", 2), ("CHIPS", 1))
    first = t.sync()
    assert first.ok and first.pushed > 0 and first.pending == 0
    second = t.sync()
    assert second.ok and second.pushed == 0
    summary = any_server.summary(any_tills.store)
    assert summary["sales_count"] == 3
    assert D(summary["net_sales"]) == D(t.figures()["net_sales_minor"]) / 100
    status = json.loads(pos("--data-dir", str(t.folder), "sync", "status", "--json").stdout)
    assert set(status) >= STATUS_KEYS
    assert status["synced"] and status["online"] and status["pending"] == 0 and not status["needs_reenrol"]
    assert status["acked_through"] == t.ctx.products.query("SELECT max(till_seq) FROM outbox")[0][0]


def test_a_till_shows_store_wide_stock_after_a_pull(any_tills, any_server):
    a, b = any_tills("T01"), any_tills("T02")
    a.sell(("COLA", 2))
    b.sell(("COLA", 1), ("SOAP", 3))
    a.adjust("MILK", "BACK", 12, lot="L1")
    for t in (a, b, a, b):
        assert t.sync().ok
    expected = {("COLA", "FLOOR", None): "-3.000", ("SOAP", "FLOOR", None): "-3.000",
                ("MILK", "BACK", "L1"): "12.000"}
    assert a.stock() == b.stock() == any_server.stock(any_tills.store) == expected
    shown = json.loads(pos("--data-dir", str(b.folder), "stock", "--sku", "COLA", "--json").stdout)
    assert [(r["location"], r["qty"]) for r in (shown if isinstance(shown, list) else shown["stock"])] == \
        [("FLOOR", "-3.000")]


def test_sync_once_command_prints_the_result_json(tills, server):
    t = tills("T01")
    t.sell(("CHIPS", 1))
    t.close()
    done = pos("--data-dir", str(t.folder), "sync", "--once", "--json")
    doc = json.loads(done.stdout)
    assert set(doc) >= RESULT_KEYS and doc["ok"] is True and doc["pushed"] >= 1 and doc["pending"] == 0
    assert doc["server_time"]


def test_master_data_from_head_office_reaches_the_till(tills, server):
    t = tills("T01")
    server.import_catalog("sku,name,barcode,price,tax_rate\nTEA,绿茶 Green tea,6900000000014,4.20,0.13\n"
                          "COLA,可口可乐 Coca-Cola 330ml,6901234567892|6901234567908*6,3.80,0.13\n")
    result = t.sync()
    assert result.ok and result.pulled >= 2
    assert t.ctx.products.by_sku("TEA", "2099-01-01T00:00:00Z")[2] == "绿茶 Green tea"
    assert t.ctx.products.by_sku("COLA", "2099-01-01T00:00:00Z")[10] == 380
    assert t.sync().pulled == 0


def test_a_full_reload_leaves_the_outbox_untouched(tills, server):
    t = tills("T01")
    for _ in range(4):
        t.sell(("COLA", 1))
    before = t.ctx.products.query("SELECT till_seq, event_id, kind, payload, sent_at FROM outbox ORDER BY 1")
    assert any(row[4] is None for row in before)
    result = t.agent.sync_once(push=False, reload=True)
    assert result.ok and result.pulled >= 4 and result.pushed == 0
    after = t.ctx.products.query("SELECT till_seq, event_id, kind, payload, sent_at FROM outbox ORDER BY 1")
    assert after == before
    assert t.drain().ok and server.summary(tills.store)["sales_count"] == 4
