"""What must never lose or double a sale: a revoked till, a cloned till, a wrong clock, a poison event, two
agents for one till at once — against a real server."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from datetime import datetime, timedelta
from decimal import Decimal as D

from pos_desktop.core.barcodes import append_check_digit
from pos_desktop.core.clock import FixedClock
from pos_desktop.services.products import ProductRow, upsert_products
from pos_desktop.services.unit import write
from pos_desktop.sync.agent import SyncAgent
from pos_desktop.sync.status import read_status
from tests.sync.harness import Till, pos

LOCAL_CODE = append_check_digit("690999999999")


def test_a_revoked_till_is_refused_keeps_selling_and_comes_back_after_enrolling_again(tills, server):
    t = tills("T01")
    t.sell(("COLA", 1))
    assert t.drain().ok
    server.admin("revoke-till", "--store", tills.store, "--till", "T01")   # as head office types it
    t.sell(("CHIPS", 1))
    t.close()
    done = pos("--data-dir", str(t.folder), "sync", "--once", "--json", check=False)
    assert done.returncode == 7
    doc = json.loads(done.stdout)
    assert doc["needs_reenrol"] is True and doc["ok"] is False and doc["error"]
    status = json.loads(pos("--data-dir", str(t.folder), "sync", "status", "--json").stdout)
    assert status["needs_reenrol"] and not status["synced"] and status["pending"] > 0
    again = pos("--data-dir", str(t.folder), "sync", "--once", "--json", check=False)
    assert again.returncode == 7, "a refused till does not push again by itself"
    t = Till.open(t.folder)
    tills.made.append(t)
    t.sell(("SOAP", 1))                                   # selling never stops
    t.enrol(server.url, server.enrol_code(tills.store, "T01"))
    assert t.drain().ok
    assert server.summary(tills.store)["sales_count"] == 3
    assert not read_status(t.ctx).needs_reenrol


def test_a_cloned_till_is_detected_and_told_to_enrol_again(tills, server, tmp_path):
    original = tills("T01")
    original.sell(("COLA", 1))
    assert original.drain().ok
    original.close()
    clone_dir = tmp_path / "clone"
    shutil.copytree(original.folder, clone_dir)
    original = tills.reopen(original)
    clone = Till.open(clone_dir)
    tills.made.append(clone)
    original.sell(("CHIPS", 2))                           # the same till_seq on both, different events
    clone.sell(("SOAP", 1))
    assert original.drain().ok
    result = clone.sync()
    assert not result.ok and result.needs_reenrol and result.error["error"] == "sequence_conflict"
    status = read_status(clone.ctx)
    assert status.needs_reenrol and not status.synced and status.pending > 0
    assert server.summary(tills.store)["sales_count"] == 2, "nothing of the refused request was stored"
    assert not clone.sync().ok, "the clone stays stopped until it is enrolled again"
    clone.enrol(server.url, server.enrol_code(tills.store, "T01"))
    assert clone.drain().ok
    assert server.summary(tills.store)["sales_count"] == 3


def test_a_till_clock_three_days_off_is_reported_and_its_sales_kept(tills, server):
    wrong = FixedClock(datetime.now().astimezone() - timedelta(days=3))
    t = tills("T01", clock=wrong)
    t.sell(("COLA", 1))
    t.sell(("CHIPS", 1))
    result = t.sync()
    assert result.ok and result.pending == 0
    status = read_status(t.ctx)
    assert abs(status.clock_skew_seconds - 3 * 86400) < 120
    assert status.clock_off and status.clock_skew_since is not None
    alerts = t.ctx.products.query("SELECT message FROM alerts WHERE kind = 'clock_skew' AND resolved_at IS NULL")
    assert len(alerts) == 1
    assert server.summary(tills.store)["sales_count"] == 2
    t.sell(("SOAP", 1))                                   # selling goes on
    assert t.sync().ok and server.summary(tills.store)["sales_count"] == 3
    assert len(t.ctx.products.query("SELECT 1 FROM alerts WHERE kind = 'clock_skew'")) == 1, "warned once"
    wrong.set(datetime.now().astimezone())
    assert t.sync().ok
    assert read_status(t.ctx).clock_skew_since is None


def test_a_poison_event_does_not_block_the_ones_after_it(tills, server):
    t = tills("T01")
    with write(t.ctx) as unit:                            # a product head office never heard of
        upsert_products(unit, [ProductRow("LOCAL1", "本店自制 House-made", D("5.00"),
                                          barcodes=((LOCAL_CODE, D(1)),))], t.ctx.places)
    from pos_desktop.core.cart import Cart
    from pos_desktop.services import catalog, checkout
    from pos_desktop.services.checkout import Tender
    found = catalog.lookup_scan(t.ctx, LOCAL_CODE)
    cart = Cart()
    cart.add(found.product, found.qty, barcode=found.barcode)
    checkout.complete_sale(t.ctx, cart, [Tender("cash", D("5.00"))], t.admin)
    t.sell(("COLA", 1))
    t.sell(("CHIPS", 1))
    result = t.drain()
    assert result.ok and result.pending == 0
    assert server.summary(tills.store)["sales_count"] == 2, "the poison sale is stored, not projected"
    assert any("LOCAL1" in e["message"] for e in server.event_errors(tills.store)), "kept for the back office"
    assert t.sync().ok, "the next pass is fine too (a mismatching day is resent once, then only logged)"


def test_two_agents_for_one_till_never_push_at_once(tills, server):
    t = tills("T01", timeout=(2.0, 10.0))
    for _ in range(30):
        t.sell(("COLA", 1))
    second_ctx = Till.open(t.folder).ctx
    second = SyncAgent(second_ctx, batch=5, timeout=(2.0, 10.0))
    t.agent.batch = t.agent.max_batch = 5
    t.proxy.delay_seconds = 0.3
    t.proxy.inject("/api/v1/push", *["delay"] * 3)       # keep the first pass busy while the others try
    results: dict[str, list] = {"first": [], "second": []}
    start = threading.Barrier(2)

    def run(name: str, agent: SyncAgent) -> None:
        start.wait()
        for _ in range(5):
            results[name].append(agent.sync_once())

    threads = [threading.Thread(target=run, args=("first", t.agent)),
               threading.Thread(target=run, args=("second", second))]
    for thread in threads:
        thread.start()
    cli = pos("--data-dir", str(t.folder), "sync", "--once", "--json", check=False)
    for thread in threads:
        thread.join(60)
    second_ctx.close()
    everything = results["first"] + results["second"]
    assert any(r.skipped for r in everything) or '"skipped": true' in cli.stdout, \
        "the passes overlapped, so one of them must have found the lock held"
    assert t.drain().ok
    summary = server.summary(tills.store)
    assert summary["sales_count"] == 30
    conn = sqlite3.connect(server.db_url.removeprefix("sqlite:///"))
    try:
        seqs = [row[0] for row in conn.execute("SELECT till_seq FROM events e JOIN enrolments n "
                                               "ON n.id = e.enrolment_id WHERE n.till_code = 'T01' AND "
                                               "n.store_id = (SELECT id FROM stores WHERE code = ?)",
                                               (tills.store,))]
    except sqlite3.OperationalError:
        seqs = None   # the server's tables are its own business; the summary above already counted
    finally:
        conn.close()
    if seqs is not None:
        assert len(seqs) == len(set(seqs)) == t.ctx.products.query("SELECT count(*) FROM outbox")[0][0]


def test_the_sanity_check_resends_a_day_the_server_lost(tills, server):
    """The server's database comes back from an older backup without one of this till's sales: the day's
    figures differ, the agent queues that day again, and the server takes back what it lacks."""
    t = tills("T01")
    receipts = [t.sell(("COLA", 1)), t.sell(("CHIPS", 2)), t.sell(("SOAP", 1))]
    assert t.drain().ok and server.summary(tills.store)["sales_count"] == 3
    lost = t.ctx.products.query("SELECT id FROM sales WHERE receipt_no = ?", receipts[1])[0][0]
    conn = sqlite3.connect(server.db_url.removeprefix("sqlite:///"))
    with conn:
        for table, key in (("payments", "sale_id"), ("sale_lines", "sale_id"), ("sales", "id")):
            conn.execute(f"DELETE FROM {table} WHERE {key} = ?", (lost,))
        conn.execute("DELETE FROM events WHERE event_id = (SELECT event_id FROM events WHERE kind = "
                     "'sale.completed' AND payload LIKE ?)", (f"%{lost}%",))
    conn.close()
    assert server.summary(tills.store)["sales_count"] == 2
    fresh = Till.open(t.folder)                           # a new agent checks at its first pass
    tills.made.append(fresh)
    result = fresh.sync()
    day = t.ctx.products.query("SELECT business_date FROM sales WHERE id = ?", lost)[0][0]
    assert result.ok and result.requeued.get(day, 0) >= 3 and result.pending == 0
    assert server.summary(tills.store)["sales_count"] == 3
    fresh.agent._sanity_at = None
    again = fresh.sync()
    assert again.ok and not again.requeued
    assert read_status(fresh.ctx).last_error is None


def test_events_the_server_never_acknowledged_are_sent_again(tills, server, caplog):
    """The till marked an event sent that the server does not have (acked_through stops before it): the
    agent queues the gap again instead of waiting for an acknowledgement that cannot come."""
    t = tills("T01")
    t.sell(("COLA", 1))
    assert t.drain().ok
    t.sell(("CHIPS", 1))
    with t.ctx.db.write() as session:
        session.connection().exec_driver_sql(
            "UPDATE outbox SET sent_at = '2026-01-01T00:00:00+08:00' WHERE till_seq = (SELECT max(till_seq) FROM outbox)")
    t.sell(("SOAP", 1))
    assert t.drain().ok
    assert server.summary(tills.store)["sales_count"] == 3
    assert t.pending() == 0
    assert "sent events queued again" in caplog.text


def test_why_the_server_refused_is_said_in_the_tills_language(server, tmp_path):
    """Head office answers in English with an error code; a Chinese till says why in Chinese."""
    import pytest

    from pos_desktop.core import i18n
    from pos_desktop.core.errors import ServerError

    store = server.new_store()
    code = server.enrol_code(store, "T01")
    first = Till.create(tmp_path / "first", store, "T01")
    first.enrol(server.url, code)
    first.close()
    second = Till.create(tmp_path / "second", store, "T01")
    i18n.set_language("zh_CN")
    try:
        with pytest.raises(ServerError) as spent:
            second.enrol(server.url, code)
        with pytest.raises(ServerError) as other_till:
            second.enrol(server.url, server.enrol_code(store, "T02"))
    finally:
        i18n.set_language("en")
        second.close()
    assert spent.value.code == "code_used"
    assert "登记码已被使用" in spent.value.message and "used already" not in spent.value.message
    assert other_till.value.code == "wrong_till" and "T02" in other_till.value.message
    assert "登记码属于" in other_till.value.message
