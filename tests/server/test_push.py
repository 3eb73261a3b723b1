"""Push: idempotent (the same batch twice, overlapping batches), the highest contiguous acknowledgement with
out-of-order batches, 409 on a sequence conflict with nothing stored, a poison event recorded while the queue
moves on, and the body size and rate limits."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from pos_desktop.server.models import Enrolment, Event, EventError, Sale

from .conftest import DAY, adjust_payload, enrol, new_store, sale_payload, start_server, stop_server


def _count(server, model, **where) -> int:
    with server.db.read() as session:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return session.scalar(query)


def test_the_same_batch_twice_is_stored_once(server):
    till = enrol(server, new_store(server))
    batch = [till.event("sale.completed", sale_payload([("COLA", 1000, 350)])) for _ in range(5)]
    first = till.push_ok(batch)
    assert (first["acked_through"], first["accepted"], first["duplicates"]) == (5, 5, 0)
    second = till.push_ok(batch)
    assert (second["acked_through"], second["accepted"], second["duplicates"]) == (5, 0, 5)
    assert till.get("summary", date=DAY).json()["sales_count"] == 5


def test_overlapping_batches(server):
    till = enrol(server, new_store(server))
    events = [till.event("sale.completed", sale_payload([("CHIPS", 1000, 790)])) for _ in range(10)]
    assert till.push_ok(events[:6])["acked_through"] == 6
    reply = till.push_ok(events[3:10])
    assert (reply["acked_through"], reply["accepted"], reply["duplicates"]) == (10, 4, 3)
    assert till.get("summary", date=DAY).json() | {"server_time": None} == {
        "date": DAY, "sales_count": 10, "returns_count": 0, "voids_count": 0, "net_sales_minor": 7900,
        "server_time": None}


def test_out_of_order_batches_ack_only_up_to_the_gap(server):
    till = enrol(server, new_store(server))
    events = [till.event("stock.adjusted", adjust_payload("SOAP", 1000)) for _ in range(9)]
    assert till.push_ok(events[6:9])["acked_through"] == 0          # 7..9 stored, 1..6 missing
    assert till.push_ok(events[0:3])["acked_through"] == 3          # 4..6 still missing
    assert till.push_ok(events[4:6])["acked_through"] == 3          # 4 missing
    reply = till.push_ok(events[3:4])
    assert reply["acked_through"] == 9 and reply["accepted"] == 1
    assert till.get("status").json()["acked_through"] == 9
    assert _count(server, Event, enrolment_id=till.enrolment_id) == 9


def test_an_enrolment_counts_from_its_next_seq(server):
    till = enrol(server, new_store(server), next_seq=41)
    assert till.get("status").json()["acked_through"] == 40
    assert till.push_ok([till.event("stock.adjusted", adjust_payload("SOAP", 1000))])["acked_through"] == 41


def test_a_clash_is_a_409_and_stores_nothing(server):
    till = enrol(server, new_store(server))
    first = [till.event("sale.completed", sale_payload([("COLA", 1000, 350)])) for _ in range(3)]
    till.push_ok(first)
    clone = dict(first[1], event_id=str(uuid.uuid4()))              # seq 2 again, another event
    fresh = till.event("sale.completed", sale_payload([("COLA", 1000, 350)]))
    reply = till.push([fresh, clone])
    assert reply.status_code == 409
    body = reply.json()
    assert body["error"] == "sequence_conflict" and body["till_seq"] == 2 and "re-enrol" in body["message"]
    assert _count(server, Event, event_id=fresh["event_id"]) == 0  # nothing of that request was stored
    with server.db.read() as session:
        assert session.get(Enrolment, till.enrolment_id).conflict_at is not None
    assert till.get("status").json()["conflict"] is True
    assert till.push([fresh]).status_code == 409                      # flagged: refused until re-enrolled


def test_the_same_event_id_with_other_content_is_a_409(server):
    till = enrol(server, new_store(server))
    event = till.event("sale.completed", sale_payload([("COLA", 1000, 350)]))
    till.push_ok([event])
    tampered = dict(event, payload=sale_payload([("COLA", 1000, 1)]))
    assert till.push([tampered]).status_code == 409


def test_a_restored_till_re_enrolled_pushes_its_events_again_as_duplicates(server):
    store = new_store(server)
    old = enrol(server, store)
    events = [old.event("sale.completed", sale_payload([("COLA", 1000, 350)])) for _ in range(4)]
    old.push_ok(events[:3])
    new = enrol(server, store, next_seq=2)           # restored from a backup taken after seq 1 was sent
    reply = new.push_ok(events[1:4])
    assert (reply["acked_through"], reply["accepted"], reply["duplicates"]) == (4, 1, 2)
    assert new.get("summary", date=DAY).json()["sales_count"] == 4


def test_a_poison_event_is_recorded_and_the_queue_moves_on(server):
    till = enrol(server, new_store(server))
    good_before = till.event("sale.completed", sale_payload([("COLA", 1000, 350)]))
    unknown_sku = till.event("sale.completed", sale_payload([("NO-SUCH-SKU", 1000, 999)]))
    malformed = till.event("sale.completed", {"sale": {"id": "x", "total_minor": "lots"}})
    duplicate_sale = till.event("sale.completed", good_before["payload"])      # a sale id already projected
    good_after = till.event("sale.completed", sale_payload([("CHIPS", 2000, 1580)]))
    adjust = till.event("stock.adjusted", adjust_payload("SOAP", 3000))
    reply = till.push_ok([good_before, unknown_sku, malformed, duplicate_sale, good_after, adjust])
    assert reply["acked_through"] == 6 and reply["accepted"] == 6
    with server.db.read() as session:
        errors = {e.event_id: e.message for e in session.scalars(select(EventError))}
        sales = set(session.scalars(select(Sale.id).where(Sale.till_code == "T01")))
    assert set(errors) >= {unknown_sku["event_id"], malformed["event_id"], duplicate_sale["event_id"]}
    assert "NO-SUCH-SKU" in errors[unknown_sku["event_id"]]
    assert {good_before["payload"]["sale"]["id"], good_after["payload"]["sale"]["id"]} <= sales
    assert unknown_sku["payload"]["sale"]["id"] not in sales   # all or nothing per event
    assert till.get("summary", date=DAY).json()["net_sales_minor"] == 350 + 1580
    stock = {(r["sku"], r["location"]): r["qty"] for r in _stock(server, till.store)}
    assert stock == {("COLA", "FLOOR"): "-1.000", ("CHIPS", "FLOOR"): "-2.000", ("SOAP", "BACK"): "3.000"}


def _stock(server, store):
    from pos_desktop.server import admin
    return admin.stock(server.db, store)


def test_unknown_kinds_are_stored_and_acknowledged(server):
    till = enrol(server, new_store(server))
    reply = till.push_ok([till.event("shift.opened", {"shift_id": "x"}), till.event("future.kind", {"a": [1]})])
    assert reply["acked_through"] == 2


def test_bad_requests(server):
    till = enrol(server, new_store(server))
    with server.client() as c:
        too_big = c.post("/api/v1/push", content=b"{" + b" " * (10 * 1024 * 1024 + 10) + b"}",
                         headers={**till.headers, "Content-Type": "application/json"})
        assert too_big.status_code == 413 and too_big.json()["error"] == "too_large"
        assert c.post("/api/v1/push", json={"events": "x"}, headers=till.headers).status_code == 422
        many = [till.event("shift.opened", {}) for _ in range(501)]
        assert c.post("/api/v1/push", json={"events": many}, headers=till.headers).status_code == 422
        nan = c.post("/api/v1/push", content=b'{"events": [{"till_seq": 1, "event_id": "e", "kind": "k", '
                                             b'"payload": {"x": NaN}}]}',
                     headers={**till.headers, "Content-Type": "application/json"})
        assert nan.status_code in (400, 422)


def test_rate_limits(server, tmp_path):
    if server.backend != "sqlite":
        return   # the limiter is in the process, whatever the database: one run is enough
    limited = start_server(server.db_url, tmp_path, "--push-rate", "0.5", "--enrol-rate", "2")
    try:
        limited.backend = server.backend
        store = new_store(server)
        till = enrol(server, store)
        till.server = limited
        statuses = [till.push([]).status_code for _ in range(25)]      # burst 20, then 0.5/s
        assert statuses[:20] == [200] * 20 and 429 in statuses[20:]
        refused = till.push([])
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["error"] == "rate_limited"
        other = enrol(server, store, "T02")
        other.server = limited
        assert other.push([]).status_code == 200                        # per enrolment
        with limited.client() as c:
            enrols = [c.post("/api/v1/enrol", json={"code": "X", "till_uuid": "u", "store_code": store,
                                                    "till_code": "T09", "next_seq": 1}).status_code
                      for _ in range(4)]
        assert enrols[:2] == [403, 403] and enrols[-1] == 429
    finally:
        stop_server(limited)


def test_failed_events_are_replayed_once_their_cause_is_fixed(server):
    from datetime import UTC, datetime

    from pos_desktop.server import admin
    till = enrol(server, new_store(server))
    sku = "LATE-" + uuid.uuid4().hex[:6].upper()
    sale = sale_payload([(sku, 2000, 1000)])
    till.push_ok([till.event("sale.completed", sale), till.event("sale.completed", sale_payload([(sku + "X", 1, 1)]))])
    assert till.get("summary", date=DAY).json()["sales_count"] == 0
    admin.put_products(server.db, datetime.now(UTC), [{"sku": sku, "name": "Created late", "price": "5.00"}])
    report = admin.replay_errors(server.db, datetime.now(UTC), till.store)
    assert (report["replayed"], report["resolved"]) == (2, 1) and len(report["still_failing"]) == 1
    assert till.get("summary", date=DAY).json()["sales_count"] == 1
    assert {r["sku"]: r["qty"] for r in _stock(server, till.store)} == {sku: "-2.000"}
    again = admin.replay_errors(server.db, datetime.now(UTC), till.store)
    assert (again["replayed"], again["resolved"]) == (1, 0)               # only the one still failing
    errors = admin.event_errors(server.db, till.store)
    assert sorted(e["resolved_at"] is None for e in errors) == [False, True]
