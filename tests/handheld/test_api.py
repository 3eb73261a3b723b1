"""The handheld API against a real ``pos server --handheld-data`` process on 127.0.0.1: sign-in, CSRF, session
expiry, permissions, look-up, counted lines sent again (never counted twice), receiving once, shelf labels,
and the store PC seeing the same rows."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pos_desktop.services import auth, counts, till
from tests.handheld.harness import CODES, MILK_EXPIRY, MILK_LOT, ROOT, entries, make_store, query, sign_in, start


def line(code: str, qty: str = "1", line_id: str | None = None) -> dict[str, str]:
    return {"id": line_id or str(uuid.uuid4()), "code": code, "qty": qty}


def test_the_page_and_its_files_are_served_with_a_strict_policy(shop):
    server, _facts = shop
    with server.client() as client:
        page = client.get("/handheld/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        for name in ("app.js", "barcode.js", "outbox.js", "camera.js", "handheld.css",
                     "vendor/zxing-library-0.21.3.min.js"):
            assert client.get(f"/handheld/static/{name}").status_code == 200, name
        assert client.get("/handheld").status_code == 308
        # nothing outside static/ can be read through it
        assert client.get("/handheld/static/..%2Froutes.py").status_code in (400, 404)


def test_everything_needs_a_sign_in_and_a_wrong_pin_says_how_many_tries_are_left(shop):
    server, _facts = shop
    with server.client() as client:
        refused = client.get("/handheld/api/lookup", params={"code": CODES["COLA"]})
        assert refused.status_code == 401 and refused.json()["error"] == "signed_out"
        assert refused.json()["message"] == "Sign in first"
        wrong = client.post("/handheld/api/login", json={"user": "ken", "pin": "0000"})
        assert wrong.status_code == 401
        assert wrong.json()["message"] == "Wrong PIN for ken (4 tries left)"
        assert "pos_hh" not in client.cookies
        me = sign_in(client, "ken", "4444")
        assert me["role"] == "stock_clerk" and me["can"] == {"lookup": True, "count": True, "receive": True,
                                                              "label": True}
        assert client.get("/handheld/api/session").json()["user"] == "ken"


def test_look_up_by_scan_or_search_shows_stock_per_location_lots_and_price(shop):
    server, _facts = shop
    with server.client() as client:
        sign_in(client, "amy", "1111")   # a cashier may see stock
        cola = client.get("/handheld/api/lookup", params={"code": CODES["COLA"]}).json()["product"]
        assert (cola["sku"], cola["price"]) == ("COLA", "3.50")
        assert {loc["location"]: loc["qty"] for loc in cola["locations"]}["BACK"] == "48.000"
        milk = client.get("/handheld/api/lookup", params={"q": "Yili"}).json()["product"]
        assert milk["batches"] == [{"location": "FLOOR", "lot": MILK_LOT, "expiry": MILK_EXPIRY, "qty": "8.000"}]
        many = client.get("/handheld/api/lookup", params={"q": "C"}).json()
        assert {"COLA", "CHIPS"} <= {h["sku"] for h in many["hits"]}
        bad = client.get("/handheld/api/lookup", params={"code": "6901234567893"})
        assert bad.status_code == 400 and "check digit" in bad.json()["message"]
        unknown = client.get("/handheld/api/lookup", params={"code": "4006381333931"})
        assert unknown.status_code == 404 and unknown.json()["message"] == "Unknown barcode 4006381333931"


def test_a_post_without_the_csrf_token_is_refused_and_writes_nothing(shop):
    server, facts = shop
    with server.client() as client:
        sign_in(client, "ken", "4444")
        token = client.headers.pop("X-CSRF-Token")
        before = len(entries(server.store, facts["count_id"]))
        url = f"/handheld/api/counts/{facts['count_id']}/lines"
        for headers in ({}, {"X-CSRF-Token": "not-the-token"}):
            refused = client.post(url, json={"lines": [line(CODES["SOAP"])]}, headers=headers)
            assert refused.status_code == 403 and refused.json()["error"] == "csrf"
            assert "security token" in refused.json()["message"]
        assert client.post("/handheld/api/labels", json={"sku": "COLA"}).status_code == 403
        assert len(entries(server.store, facts["count_id"])) == before
        ok = client.post(url, json={"lines": [line(CODES["SOAP"])]}, headers={"X-CSRF-Token": token})
        assert ok.status_code == 200 and ok.json()["results"][0]["status"] == "recorded"
        assert len(entries(server.store, facts["count_id"])) == before + 1


def test_a_cashier_may_look_up_but_not_count_or_receive(shop):
    server, facts = shop
    with server.client() as client:
        me = sign_in(client, "amy", "1111")
        assert me["can"] == {"lookup": True, "count": False, "receive": False, "label": True}
        before = len(entries(server.store, facts["count_id"]))
        refused = client.post(f"/handheld/api/counts/{facts['count_id']}/lines", json={"lines": [line(CODES["COLA"])]})
        assert refused.status_code == 403
        assert refused.json()["message"] == "amy (cashier) may not count stock; a manager must do it"
        receipts = query(server.store, "SELECT count(*) FROM goods_receipts")
        refused = client.post(f"/handheld/api/orders/{facts['po']}/receive",
                              json={"id": str(uuid.uuid4()), "lines": [{"sku": "SOAP", "qty": "1"}]})
        assert refused.status_code == 403 and "receive goods" in refused.json()["message"]
        assert len(entries(server.store, facts["count_id"])) == before
        assert query(server.store, "SELECT count(*) FROM goods_receipts") == receipts


def test_a_line_sent_again_is_never_counted_twice_even_at_the_same_moment(shop):
    server, facts = shop
    url = f"/handheld/api/counts/{facts['count_id']}/lines"
    same = line(CODES["CHIPS"], "3")
    with server.client() as ken, server.client() as mia:
        sign_in(ken, "ken", "4444")
        sign_in(mia, "mia", "9999")
        before = entries(server.store, facts["count_id"])
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _n: ken.post(url, json={"lines": [same]}).json()["results"][0], range(4)))
        assert sorted(a["status"] for a in answers) == ["duplicate"] * 3 + ["recorded"]
        # a second clerk counting the same product at the same time adds to the line
        other = mia.post(url, json={"lines": [line(CODES["CHIPS"], "2")]}).json()["results"][0]
        assert other["status"] == "recorded" and other["your_count"] == "2.000"
        later = ken.post(url, json={"lines": [same]}).json()["results"][0]
        assert later["status"] == "duplicate" and (later["sku"], later["qty"]) == ("CHIPS", "3.000")
    added = entries(server.store, facts["count_id"])[len(before):]
    assert added == [("CHIPS", "ken", 3000), ("CHIPS", "mia", 2000)]


def test_bad_lines_are_answered_one_by_one_and_good_ones_still_count(shop):
    server, facts = shop
    with server.client() as client:
        sign_in(client, "ken", "4444")
        before = len(entries(server.store, facts["count_id"]))
        results = client.post(f"/handheld/api/counts/{facts['count_id']}/lines", json={"lines": [
            line("6901234567893"), line("4006381333931"), line(CODES["COLA"]), line("SOAP", "2")]}).json()["results"]
        assert [r["status"] for r in results] == ["rejected", "rejected", "recorded", "recorded"]
        assert "check digit" in results[0]["message"] and results[1]["message"] == "Unknown barcode 4006381333931"
        assert len(entries(server.store, facts["count_id"])) == before + 2
        no_id = client.post(f"/handheld/api/counts/{facts['count_id']}/lines", json={"lines": [{"code": "SOAP"}]})
        assert no_id.status_code == 400 and no_id.json()["error"] == "bad_line_id"


def test_receiving_against_the_order_happens_once_and_reaches_the_ledger_and_outbox(shop):
    server, facts = shop
    delivery = {"id": str(uuid.uuid4()), "lines": [{"sku": "CHIPS", "qty": "6"}, {"barcode": CODES["SOAP"], "qty": "4"}]}
    with server.client() as client:
        sign_in(client, "ken", "4444")
        assert facts["po"] in [o["po"] for o in client.get("/handheld/api/orders").json()["orders"]]
        order = client.get(f"/handheld/api/orders/{facts['po']}").json()
        assert {ln["sku"]: ln["barcodes"] for ln in order["lines"]}["SOAP"] == [CODES["SOAP"]]
        url = f"/handheld/api/orders/{facts['po']}/receive"
        first = client.post(url, json=delivery).json()
        again = client.post(url, json=delivery).json()
    assert first["duplicate"] is False and first["po_status"] == "partly_received"
    assert again == {"duplicate": True, "receipt_no": first["receipt_no"], "po": facts["po"],
                     "po_status": "partly_received"}
    assert query(server.store, "SELECT count(*) FROM goods_receipts WHERE po_id = ?", order["po_id"]) == [(1,)]
    moves = query(server.store, "SELECT p.sku, m.qty_milli FROM stock_movements m JOIN products p ON p.id = "
                                "m.product_id WHERE m.doc_id = ? ORDER BY p.sku", first["receipt_id"])
    assert moves == [("CHIPS", 6000), ("SOAP", 4000)]
    assert query(server.store, "SELECT count(*) FROM outbox WHERE kind = 'stock.received' AND payload LIKE ?",
                 f"%{first['receipt_no']}%") == [(1,)]


def test_a_shelf_label_goes_to_the_stores_printer(shop):
    server, _facts = shop
    with server.client() as client:
        sign_in(client, "ken", "4444")
        printed = client.post("/handheld/api/labels", json={"sku": "CHIPS"}).json()
        unknown = client.post("/handheld/api/labels", json={"sku": "NOPE"})
    assert printed["printed"] is True
    text = (server.store / "sim" / "printer.txt").read_text(encoding="utf-8")
    assert "乐事薯片 Lay's chips 75g" in text and "¥7.90 / pcs" in text and "Member price ¥6.90" in text
    assert unknown.status_code == 404 and unknown.json()["message"] == "Unknown SKU NOPE"


def test_the_store_pc_approves_what_the_handhelds_counted(shop):
    """The count the phones fed is finished and approved on the store PC: its differences are ledger rows."""
    server, _facts = shop
    ctx = till.open_till(server.store)
    try:
        mia = auth.login(ctx, "mia", "9999")
        count = counts.start_count(ctx, mia, location="BACK")
        with server.client() as client:
            sign_in(client, "ken", "4444")
            assert count.id in [c["count_id"] for c in client.get("/handheld/api/counts").json()["counts"]]
            client.post(f"/handheld/api/counts/{count.id}/lines", json={"lines": [line(CODES["COLA"], "45")]})
        counts.finish_count(ctx, mia, count.id)
        counts.approve_count(ctx, mia, count.id)
    finally:
        ctx.close()
    assert query(server.store, "SELECT m.qty_milli FROM stock_movements m JOIN products p ON p.id = m.product_id "
                               "WHERE m.reason = 'count' AND m.doc_id = ? AND p.sku = 'COLA'", count.id) == [(-3000,)]
    assert query(server.store, "SELECT count(*) FROM outbox WHERE kind = 'stock.counted'") == [(1,)]


def test_a_session_expires_after_its_idle_time(template_dir: Path, tmp_path: Path):
    """Requests keep a session alive past its idle time; a pause longer than it ends the session."""
    make_store(template_dir, tmp_path / "store")
    server = start(tmp_path / "store", tmp_path / "server", idle_seconds=1.5)
    try:
        with server.client() as client:
            me = sign_in(client, "ken", "4444")
            assert me["idle_seconds"] == 1
            started = time.monotonic()
            while time.monotonic() - started < 3.0:    # twice the idle time, in steps well inside it
                assert client.get("/handheld/api/session").status_code == 200
                time.sleep(0.3)
            time.sleep(1.5 + 0.5)                        # one idle time without a request, and a margin
            reply = client.get("/handheld/api/session")
            assert reply.status_code == 401 and reply.json()["error"] == "session_expired"
            assert reply.json()["message"] == "Your session has expired; sign in again"
            assert client.post("/handheld/api/labels", json={"sku": "COLA"}).status_code == 401
    finally:
        server.stop()


def test_handheld_pages_refuse_several_workers(tmp_path: Path):
    done = subprocess.run([sys.executable, "-m", "pos_desktop", "--json", "server", "--db",
                           f"sqlite:///{tmp_path / 's.db'}", "--handheld-data", str(tmp_path), "--workers", "2"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 3 and "--handheld-data runs in one process" in done.stdout, done.stdout + done.stderr


def test_a_folder_without_a_till_is_refused_before_listening(tmp_path: Path):
    done = subprocess.run([sys.executable, "-m", "pos_desktop", "--json", "server", "--db",
                           f"sqlite:///{tmp_path / 's.db'}", "--port", "0", "--handheld-data", str(tmp_path / "none")],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 3 and done.stdout.count("\n") == 1, done.stdout   # no "listening" line first
    assert json.loads(done.stdout)["error"] == "not_initialized"

