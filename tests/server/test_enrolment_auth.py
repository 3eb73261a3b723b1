"""Enrolment (a code once, its expiry, its store and till), authentication on every request, revocation,
and one store never seeing another's data."""

from __future__ import annotations

import uuid

from sqlalchemy import update

from pos_desktop.server import admin
from pos_desktop.server.models import EnrolCode

from .conftest import DAY, NOW, adjust_payload, enrol, enrol_code, new_store, sale_payload


def _enrol(server, code, store, till, next_seq=1):
    with server.client() as c:
        return c.post("/api/v1/enrol", json={"code": code, "till_uuid": str(uuid.uuid4()), "store_code": store,
                                             "till_code": till, "next_seq": next_seq})


def test_a_code_enrols_once(server):
    store = new_store(server)
    code = enrol_code(server, store, "T01")
    first = _enrol(server, code.lower().replace("-", " "), store, "t01")   # typed loosely: still the code
    assert first.status_code == 200
    doc = first.json()
    assert doc["store_code"] == store and doc["till_code"] == "T01" and len(doc["secret"]) >= 43
    assert "server_time" in doc
    again = _enrol(server, code, store, "T01")
    assert again.status_code == 403 and again.json()["error"] == "code_used"


def test_an_expired_code_is_refused(server):
    store = new_store(server)
    code = enrol_code(server, store, "T01")
    with server.db.write() as session:
        session.execute(update(EnrolCode).values(expires_at="2020-01-01T00:00:00Z"))
    reply = _enrol(server, code, store, "T01")
    assert reply.status_code == 403 and reply.json()["error"] == "code_expired"


def test_a_code_is_for_one_store_and_till(server):
    store, other = new_store(server), new_store(server)
    code = enrol_code(server, store, "T01")
    assert _enrol(server, code, other, "T01").json()["error"] == "wrong_till"
    assert _enrol(server, code, store, "T02").status_code == 403
    assert _enrol(server, "AAAA-BBBB", store, "T01").json()["error"] == "bad_code"
    assert _enrol(server, code, store, "T01").status_code == 200      # the mistakes did not spend it


def test_every_till_request_is_authenticated(server):
    store = new_store(server)
    till = enrol(server, store)
    with server.client() as c:
        for method, path in (("POST", "push"), ("GET", "changes"), ("GET", "status"), ("GET", f"summary?date={DAY}")):
            kwargs = {"json": {"events": []}} if method == "POST" else {}
            bare = c.request(method, f"/api/v1/{path}", **kwargs)
            assert bare.status_code == 401 and bare.json()["error"] == "unauthorized", path
            wrong = c.request(method, f"/api/v1/{path}", headers={
                "Authorization": f"Bearer {till.enrolment_id}.{'x' * 43}"}, **kwargs)
            assert wrong.status_code == 401, path
            unknown = c.request(method, f"/api/v1/{path}", headers={
                "Authorization": f"Bearer {uuid.uuid4()}.{till.secret}"}, **kwargs)
            assert unknown.status_code == 401, path
            assert c.request(method, f"/api/v1/{path}", headers=till.headers, **kwargs).status_code == 200, path


def test_a_revoked_till_is_refused_and_can_enrol_again(server):
    store = new_store(server)
    till = enrol(server, store)
    till.push_ok([till.event("sale.completed", sale_payload([("COLA", 1000, 350)]))])
    assert admin.revoke_till(server.db, NOW, store, "T01") == {"revoked": 1}
    reply = till.push([till.event("stock.adjusted", adjust_payload("COLA", 1000))])
    assert reply.status_code == 401 and reply.json()["error"] == "revoked"
    assert till.get("status").json()["error"] == "revoked"
    again = enrol(server, store, next_seq=2)
    assert again.get("status").json()["acked_through"] == 1
    # what the old enrolment pushed still counts for the till
    assert again.get("summary", date=DAY).json()["sales_count"] == 1


def test_a_till_sees_only_its_own_store(server):
    mine, theirs = new_store(server), new_store(server)
    a, b = enrol(server, mine, "T01"), enrol(server, theirs, "T01")
    b2 = enrol(server, theirs, "T02")
    b.push_ok([b.event("sale.completed", sale_payload([("COLA", 2000, 700)])),
               b.event("stock.adjusted", adjust_payload("SOAP", 5000))])
    admin.put_location(server.db, NOW, theirs, "SHELF9", "Their shelf", "storage")
    admin.put_setting(server.db, NOW, "receipt_footer", "theirs", store=theirs)
    changes, _cursor = a.pull_all()
    seen = [c for c in changes if c["kind"] in ("movement", "location", "setting")]
    assert {c["data"].get("code") for c in seen if c["kind"] == "location"} == {"FLOOR", "BACK"}
    assert not [c for c in seen if c["kind"] in ("movement", "setting")]
    assert a.get("summary", date=DAY).json()["sales_count"] == 0
    theirs_changes, _cursor = b2.pull_all()
    assert len([c for c in theirs_changes if c["kind"] == "movement"]) == 2      # the other till's movements
    assert {c["data"]["code"] for c in theirs_changes if c["kind"] == "location"} >= {"SHELF9"}
    own, _cursor = b.pull_all()
    assert not [c for c in own if c["kind"] == "movement"]                         # never its own back
