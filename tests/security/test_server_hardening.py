"""Server hardening (issue 9, point 8): a till is confined to its own store, credentials that are wrong,
expired or revoked are refused, and the size and rate limits answer 413 and 429 with ``Retry-After`` on
enrolment and push. (Every endpoint is fuzzed in tests/server/test_openapi_fuzz.py; TLS pinning is in
test_tls_pinning.py.)"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from pos_desktop.server import admin
from pos_desktop.server.models import EnrolCode
from tests.server.conftest import DAY, enrol, enrol_code, new_store, sale_payload, start_server, stop_server
from tests.security.server_fixture import hq  # noqa: F401


def test_a_till_sees_and_writes_only_its_own_store(hq) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = new_store(hq, "A"), new_store(hq, "B")
    a1, a2, b1 = enrol(hq, mine, "T01"), enrol(hq, mine, "T02"), enrol(hq, theirs, "T01")
    theirs_sale = sale_payload([("COLA", 5000, 1750)])
    theirs_sale["store"] = mine   # whatever an event says, it belongs to the till's own store
    b1.push_ok([b1.event("sale.completed", theirs_sale)])
    a2.push_ok([a2.event("sale.completed", sale_payload([("SOAP", 1000, 450)]))])

    feed, _cursor = a1.pull_all()
    moved = {c["data"]["doc_id"] for c in feed if c["kind"] == "movement"}
    assert theirs_sale["sale"]["id"] not in moved and len(moved) == 1   # only the other till of its store
    assert a1.get("summary", date=DAY).json()["sales_count"] == 0      # its own till's figures, nobody else's
    assert admin.summary(hq.db, mine)["sales_count"] == 1
    assert admin.summary(hq.db, theirs)["sales_count"] == 1
    stock = {(r["sku"], r["location"]): r["qty"] for r in admin.stock(hq.db, theirs)}
    assert stock[("COLA", "FLOOR")] == "-5.000"
    assert ("COLA", "FLOOR") not in {(r["sku"], r["location"]) for r in admin.stock(hq.db, mine)}


def test_another_stores_enrolment_cannot_be_borrowed(hq) -> None:  # type: ignore[no-untyped-def]
    a, b = enrol(hq, new_store(hq, "A"), "T01"), enrol(hq, new_store(hq, "B"), "T01")
    forged = {"Authorization": f"Bearer {b.enrolment_id}.{a.secret}"}   # B's id, A's secret
    with hq.client() as c:
        reply = c.post("/api/v1/push", json={"events": [a.event("sale.completed", sale_payload([]))]},
                       headers=forged)
        assert reply.status_code == 401 and reply.json()["error"] == "unauthorized"
        store_b_code = enrol_code(hq, b.store, "T02")   # a code for store B cannot enrol a till of store A
        reply = c.post("/api/v1/enrol", json={"code": store_b_code, "till_uuid": str(uuid.uuid4()),
                                              "store_code": a.store, "till_code": "T02", "next_seq": 1})
        assert reply.status_code == 403 and reply.json()["error"] == "wrong_till"


def test_spent_and_expired_codes_and_revoked_tills_are_refused(hq) -> None:  # type: ignore[no-untyped-def]
    store = new_store(hq)
    code = enrol_code(hq, store, "T01")
    body = {"code": code, "till_uuid": str(uuid.uuid4()), "store_code": store, "till_code": "T01", "next_seq": 1}
    stale = enrol_code(hq, store, "T02")
    with hq.db.write() as session:   # 24 hours later
        for row in session.query(EnrolCode).filter(EnrolCode.till_code == "T02"):
            row.expires_at = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with hq.client() as c:
        first = c.post("/api/v1/enrol", json=body)
        assert first.status_code == 200
        again = c.post("/api/v1/enrol", json={**body, "till_uuid": str(uuid.uuid4())})
        assert again.status_code == 403 and again.json()["error"] == "code_used"
        expired = c.post("/api/v1/enrol", json={**body, "code": stale, "till_code": "T02"})
        assert expired.status_code == 403 and expired.json()["error"] == "code_expired"
        guessed = c.post("/api/v1/enrol", json={**body, "code": "AAAA-BBBB-CCCC-DDDD"})
        assert guessed.status_code == 403 and guessed.json()["error"] == "bad_code"
        headers = {"Authorization": f"Bearer {first.json()['enrolment_id']}.{first.json()['secret']}"}
        assert c.get("/api/v1/status", headers=headers).status_code == 200
        admin.revoke_till(hq.db, datetime.now(UTC), store, "T01")
        revoked = c.post("/api/v1/push", json={"events": []}, headers=headers)
        assert revoked.status_code == 401 and revoked.json()["error"] == "revoked"


def test_size_and_rate_limits_on_enrolment_and_push(hq, tmp_path) -> None:  # type: ignore[no-untyped-def]
    limited = start_server(hq.db_url, tmp_path, "--push-rate", "0.2", "--enrol-rate", "1")
    try:
        store = new_store(hq)
        till = enrol(hq, store)
        with limited.client() as c:
            huge = b'{"code": "' + b"A" * (10 * 1024 * 1024) + b'"}'
            for path in ("/api/v1/enrol", "/api/v1/push"):
                too_big = c.post(path, content=huge, headers={**till.headers, "Content-Type": "application/json"})
                assert too_big.status_code == 413 and too_big.json()["error"] == "too_large", path

                def chunks():  # type: ignore[no-untyped-def]
                    yield b'{"events": ['
                    for _ in range(11):
                        yield b" " * (1024 * 1024)
                    yield b"]}"
                streamed = c.post(path, content=chunks(), headers={**till.headers,
                                                                   "Content-Type": "application/json"})
                assert streamed.status_code == 413, path   # no Content-Length: counted as it streams
            enrols = [c.post("/api/v1/enrol", json={"code": "X", "till_uuid": "u", "store_code": store,
                                                    "till_code": "T09", "next_seq": 1}) for _ in range(3)]
            assert enrols[-1].status_code == 429 and int(enrols[-1].headers["Retry-After"]) >= 1
            assert enrols[-1].json()["error"] == "rate_limited"
            pushes = [c.post("/api/v1/push", json={"events": []}, headers=till.headers) for _ in range(25)]
            refused = [p for p in pushes if p.status_code == 429]
            assert refused and all(int(p.headers["Retry-After"]) >= 1 for p in refused)
            assert pushes[0].status_code == 200
    finally:
        stop_server(limited)
