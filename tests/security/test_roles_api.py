"""Who may call what on the central server (issue 9, points 6 and 8): every operation of the OpenAPI
schema — read from the running server, so a new route is covered by itself — with no credential, a till's,
a head-office admin key, a key of another scope, a revoked key or till, and a wrong secret.

Head-office routes need an ``admin`` key (401 without a key or with a till's credential, 403 with a key of
another scope); integration routes need their scope (``admin`` holds all); till routes need an enrolled,
unrevoked till (an API key is no till credential)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from pos_desktop.server import admin
from pos_desktop.server.access import SCOPES
from tests.server.conftest import enrol, new_store
from tests.security.server_fixture import hq  # noqa: F401

TILL_REQUESTS: dict[tuple[str, str], dict[str, Any]] = {   # a valid request of each till route
    ("post", "/api/v1/push"): {"json": {"events": []}},
    ("get", "/api/v1/changes"): {"params": {"limit": 10}},
    ("get", "/api/v1/status"): {},
    ("get", "/api/v1/summary"): {"params": {"date": "2026-11-27"}},
    ("get", "/api/v1/journal"): {},
    ("post", "/api/v1/journal"): {"json": {"entries": []}},
}
UNAUTHENTICATED = {("post", "/api/v1/enrol")}   # spends a one-time code instead (tests/server/test_enrolment_auth)


def operations(server) -> list[tuple[str, str, dict[str, Any]]]:  # type: ignore[no-untyped-def]
    doc = httpx.get(f"{server.url}/openapi.json").json()
    return [(method, path, op) for path, item in doc["paths"].items() for method, op in item.items()
            if path.startswith("/api/")]


def fill(path: str, store: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: store if m.group(1) == "store" else "X1", path)


def call(server, method: str, path: str, headers: dict[str, str], **request: Any) -> httpx.Response:  # type: ignore[no-untyped-def]
    if method in ("post", "put", "patch") and "json" not in request:
        request["json"] = {}
    with server.client() as c:
        return c.request(method.upper(), path, headers=headers, **request)


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


@pytest.fixture(scope="module")
def creds(hq) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    store = new_store(hq)
    till = enrol(hq, store, "T01")
    gone = enrol(hq, store, "T09")
    admin.revoke_till(hq.db, now, store, "T09")
    revoked_key = admin.create_api_key(hq.db, now, "old", ["admin"])
    with hq.db.write() as session:
        from pos_desktop.server.models import ApiKey
        session.get(ApiKey, revoked_key["id"]).revoked_at = "2026-01-01T00:00:00Z"
    keys = {scope: admin.create_api_key(hq.db, now, f"k-{scope}", [scope])["key"] for scope in SCOPES}
    admin_key = keys["admin"]
    return {"store": store, "till": till.headers, "revoked_till": gone.headers, "keys": keys,
            "admin": bearer(admin_key), "revoked_key": bearer(revoked_key["key"]),
            "wrong_key": bearer(admin_key[:-4] + ("AAAA" if not admin_key.endswith("AAAA") else "BBBB")),
            "wrong_till": {"Authorization": till.headers["Authorization"][:-4] + "AAAA"}}


def scope_of(op: dict[str, Any]) -> str:
    if "admin" in op.get("tags", []):
        return "admin"
    found = [scope for scope in SCOPES if scope in op.get("summary", "")]
    assert len(found) == 1, f"say the scope in the summary of {op.get('summary')!r}"
    return found[0]


def test_the_schema_is_walked_whole(hq) -> None:  # type: ignore[no-untyped-def]
    ops = operations(hq)
    till_ops = {(m, p) for m, p, op in ops if "tills" in op.get("tags", [])}
    assert till_ops - UNAUTHENTICATED == set(TILL_REQUESTS), "add a valid request of the new till route"
    assert len(ops) >= 25


def test_key_routes_refuse_tills_and_other_scopes(hq, creds) -> None:  # type: ignore[no-untyped-def]
    problems = []
    for method, path, op in operations(hq):
        if "tills" in op.get("tags", []):
            continue
        scope, url = scope_of(op), fill(path, creds["store"])
        other = next(s for s in SCOPES if s not in (scope, "admin"))
        expect = {"none": ({}, {401}), "till": (creds["till"], {401}), "revoked": (creds["revoked_key"], {401}),
                  "wrong secret": (creds["wrong_key"], {401}), "other scope": (bearer(creds["keys"][other]), {403})}
        for who, (headers, statuses) in expect.items():
            reply = call(hq, method, url, headers)
            if reply.status_code not in statuses:
                problems.append(f"{method.upper()} {path} as {who}: {reply.status_code} {reply.text[:120]}")
            elif reply.json()["error"] not in ("unauthorized", "revoked", "missing_scope"):
                problems.append(f"{method.upper()} {path} as {who}: error {reply.json()['error']}")
        for who, headers in (("admin", creds["admin"]), (scope, bearer(creds["keys"][scope]))):
            reply = call(hq, method, url, headers)
            if reply.status_code in (401, 403) or reply.status_code >= 500:
                problems.append(f"{method.upper()} {path} as {who}: {reply.status_code} {reply.text[:120]}")
    assert problems == [], "\n".join(problems)


def test_till_routes_refuse_keys_and_revoked_tills(hq, creds) -> None:  # type: ignore[no-untyped-def]
    problems = []
    for (method, path), request in TILL_REQUESTS.items():
        reply = call(hq, method, path, creds["till"], **request)
        if reply.status_code != 200:
            problems.append(f"{method.upper()} {path} as the till: {reply.status_code} {reply.text[:120]}")
        for who in ("admin", "revoked_till", "wrong_till"):
            reply = call(hq, method, path, creds[who], **request)
            code = reply.json().get("error")
            if reply.status_code != 401 or code not in ("unauthorized", "revoked"):
                problems.append(f"{method.upper()} {path} as {who}: {reply.status_code} {reply.text[:120]}")
        reply = call(hq, method, path, {}, **request)
        if reply.status_code != 401 or reply.headers.get("WWW-Authenticate") != "Bearer":
            problems.append(f"{method.upper()} {path} without a credential: {reply.status_code}")
    assert problems == [], "\n".join(problems)


def test_a_revoked_till_is_told_so(hq, creds) -> None:  # type: ignore[no-untyped-def]
    reply = call(hq, "get", "/api/v1/status", creds["revoked_till"])
    assert reply.status_code == 401 and reply.json()["error"] == "revoked"
    assert "enrol it again" in reply.json()["message"]
