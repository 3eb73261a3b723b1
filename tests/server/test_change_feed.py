"""The change feed: paging with an opaque cursor, master data of every kind, and commit order — on
PostgreSQL under concurrent writers that commit out of order, nothing is ever served before a row that could
still appear below the cursor, and nothing is skipped or served twice."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from pos_desktop.server import admin, changes
from pos_desktop.server.db import Database
from pos_desktop.server.models import Change

from .conftest import NOW, adjust_payload, enrol, new_store


def test_paging_covers_everything_once_in_order(server):
    store = new_store(server)
    till = enrol(server, store)
    for n in range(7):
        admin.put_location(server.db, NOW, store, f"L{n}", f"Shelf {n}", "storage")
    everything, last = till.pull_all(limit=5000)
    pages, after = [], ""
    while True:
        page = till.get("changes", after=after, limit=3).json()
        assert len(page["changes"]) <= 3
        pages += page["changes"]
        after = page["next"]
        if not page["more"]:
            break
    assert [c["cursor"] for c in pages] == [c["cursor"] for c in everything]
    assert after == last
    empty = till.get("changes", after=last).json()
    assert empty["changes"] == [] and empty["more"] is False and empty["next"] == last
    assert [c["data"]["code"] for c in everything if c["kind"] == "location"][-7:] == [f"L{n}" for n in range(7)]


def test_bad_cursors_and_limits(server):
    till = enrol(server, new_store(server))
    assert till.get("changes", after="nonsense").status_code == 400
    assert till.get("changes", after="-5").status_code == 400
    assert till.get("changes", limit=0).status_code == 422
    assert till.get("changes", limit=5001).status_code == 422


def test_master_data_of_every_kind_reaches_the_tills(server):
    store = new_store(server)
    till = enrol(server, store)
    _before, cursor = till.pull_all()
    admin.put_products(server.db, NOW, [{"sku": "TEA", "name": "Green tea", "price": "5.00",
                                         "barcodes": [{"code": "6901234567939", "pack_qty": "1"}]}])
    admin.put_promotion(server.db, NOW, {"name": "Tea week", "kind": "percent_off", "sku": "TEA", "percent": "10",
                                         "starts": "2026-12-01T00:00:00+08:00", "ends": "2026-12-08T00:00:00+08:00"})
    admin.put_user(server.db, NOW, "hq_mgr", role="manager", pin="5678", display_name="HQ")
    admin.put_member(server.db, NOW, "M9", "李雷", "13900000009")
    admin.put_setting(server.db, NOW, "cash_rounding", "jiao", store=store)
    admin.put_location(server.db, NOW, store, "QUAR", "Quarantine", "quarantine")
    admin.set_product_active(server.db, NOW, "TEA", False)
    got, _cursor = till.pull_all(after=cursor)
    by_kind = {}
    for change in got:
        by_kind.setdefault(change["kind"], []).append(change["data"])
    tea = by_kind["product"][0]
    assert tea["sku"] == "TEA" and tea["price"] == "5.00" and tea["barcodes"] == [
        {"code": "6901234567939", "pack_qty": "1.000"}] and tea["active"] is True
    assert by_kind["product"][-1]["active"] is False
    assert set(tea) == {"sku", "name", "unit", "category", "supplier", "tax_rate", "price", "member_price", "cost",
                        "barcodes", "plu", "is_weighed", "track_batches", "track_expiry", "variant_of", "attributes",
                        "active"}
    promo = by_kind["promotion"][0]
    assert (promo["sku"], promo["percent"], promo["starts"]) == ("TEA", "10.00", "2026-11-30T16:00:00Z")
    user = by_kind["user"][0]
    assert user["username"] == "hq_mgr" and user["role"] == "manager" and user["pin_hash"].startswith("$argon2id$")
    assert by_kind["member"][0]["code"] == "M9"
    assert by_kind["setting"] == [{"key": "cash_rounding", "value": "jiao"}]
    assert by_kind["location"][0]["code"] == "QUAR"


def test_other_tills_movements_come_down_but_never_the_own(server):
    store = new_store(server)
    a, b = enrol(server, store, "T01"), enrol(server, store, "T02")
    a.push_ok([a.event("stock.adjusted", adjust_payload("SOAP", 1000)) for _ in range(3)])
    b.push_ok([b.event("stock.adjusted", adjust_payload("COLA", 2000))])
    seen_by_b = [c["data"] for c in b.pull_all()[0] if c["kind"] == "movement"]
    seen_by_a = [c["data"] for c in a.pull_all()[0] if c["kind"] == "movement"]
    assert [m["sku"] for m in seen_by_b] == ["SOAP"] * 3 and [m["till_code"] for m in seen_by_b] == ["T01"] * 3
    assert [m["sku"] for m in seen_by_a] == ["COLA"]
    assert set(seen_by_a[0]) >= {"id", "sku", "location", "lot", "expiry", "qty_milli", "reason", "doc_type",
                                 "doc_id", "created_at", "unit_cost_minor"}


# --- commit order on PostgreSQL ------------------------------------------------------------------------------


def _pg(server) -> Database:
    if server.backend != "postgresql":
        pytest.skip("commit order under concurrent writers is PostgreSQL's problem (SQLite has one writer)")
    return server.db


def _log(session, store_id: str, name: str) -> None:
    changes.append(session, [{"kind": "setting", "store_id": store_id, "data": {"key": name, "value": 1}}], "now")


def _read(db: Database, store_id: str, after: str) -> changes.Page:
    with db.read() as session:
        return changes.read(session, store_id=store_id, enrolment_id=None, after=after, limit=5000)


def _store_id(db: Database, code: str) -> str:
    from pos_desktop.server.models import Store
    with db.read() as session:
        return session.scalar(select(Store.id).where(Store.code == code))


def test_a_slow_transaction_is_never_overtaken(server):
    db = _pg(server)
    store_id = _store_id(db, new_store(server))
    _page = _read(db, store_id, "")
    cursor = _page.next
    slow_open, fast_done, slow_may_commit = threading.Event(), threading.Event(), threading.Event()

    def slow() -> None:
        with db.write() as session:
            _log(session, store_id, "slow")            # takes the lower id and the older transaction id
            slow_open.set()
            slow_may_commit.wait(10)

    writer = threading.Thread(target=slow)
    writer.start()
    slow_open.wait(10)
    with db.write() as session:
        _log(session, store_id, "fast")                # commits first
    fast_done.set()
    page = _read(db, store_id, cursor)
    assert [c["data"]["key"] for c in page.changes if c["kind"] == "setting"] == []   # not yet: slow may precede
    assert page.next == cursor
    slow_may_commit.set()
    writer.join()
    page = _read(db, store_id, cursor)
    keys = [c["data"]["key"] for c in page.changes if c["kind"] == "setting"]
    assert keys == ["slow", "fast"]
    with db.read() as session:
        ids = dict(session.execute(select(Change.id, Change.xact).where(Change.store_id == store_id)).all())
    assert len(ids) >= 2


def test_concurrent_writers_and_a_reader_never_skip_or_repeat(server):
    """Eight writers commit in random order while a reader follows the feed; at the end the reader has seen
    every row exactly once, in the feed's order (on SQLite the writers take turns)."""
    db = server.db
    store_id = _store_id(db, new_store(server))
    cursor = _read(db, store_id, "").next
    stop = threading.Event()
    written: list[str] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        import random
        rng = random.Random(n)
        for i in range(25):
            with db.write() as session:
                _log(session, store_id, f"w{n}-{i}")
                time.sleep(rng.random() * 0.01)      # hold the transaction open a random while
            with lock:
                written.append(f"w{n}-{i}")

    seen: list[str] = []
    cursors: list[tuple[int, int]] = []

    def reader() -> None:
        nonlocal cursor
        while not stop.is_set():
            page = _read(db, store_id, cursor)
            for change in page.changes:
                if change["kind"] == "setting":
                    seen.append(change["data"]["key"])
                cursors.append(changes.parse_cursor(change["cursor"]))
            cursor = page.next

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    follower = threading.Thread(target=reader)
    follower.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(0.2)
    stop.set()
    follower.join()
    for change in _read(db, store_id, cursor).changes:    # the tail the reader had not fetched yet
        seen.append(change["data"]["key"])
        cursors.append(changes.parse_cursor(change["cursor"]))
    assert sorted(seen) == sorted(written) and len(seen) == len(set(seen)) == 200
    assert cursors == sorted(cursors)


def test_transactions_that_cannot_write_changes_do_not_hold_the_feed_back(server):
    """An open transaction elsewhere (another database of the cluster, or a session of this database that is
    not a server writer) cannot commit change rows: the feed does not wait for it (the protocol's plain xmin
    bound would)."""
    import psycopg

    from .conftest import _conninfo, pg_base_url
    db = _pg(server)
    store_id = _store_id(db, new_store(server))
    cursor = _read(db, store_id, "").next
    elsewhere = psycopg.connect(_conninfo(pg_base_url()))          # the cluster's other database
    here = psycopg.connect(_conninfo(server.db_url))                # this database, not a server writer
    try:
        elsewhere.execute("SELECT pg_current_xact_id()")           # both now hold a transaction id, open
        here.execute("SELECT pg_current_xact_id()")
        with db.write() as session:
            _log(session, store_id, "after")
        assert [c["data"]["key"] for c in _read(db, store_id, cursor).changes] == ["after"]
    finally:
        elsewhere.close()
        here.close()
