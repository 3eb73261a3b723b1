"""``/health`` and ``/metrics`` of a real server process (SQLite and PostgreSQL): tills push real events and
the counters an operator watches move by exactly what happened — pushes, events accepted, duplicate and
rejected, per-till lag and sequence gap, projection errors, request latency."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
from prometheus_client.parser import text_string_to_metric_families

from pos_desktop.server import admin, schema
from pos_desktop.server.app import create_app
from pos_desktop.server.db import Database

from .conftest import enrol, new_store, sale_payload, start_server, stop_server


def scrape(server) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with server.client() as c:
        reply = c.get("/metrics")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(reply.text) for s in family.samples}


def value(figures, name: str, **labels: str) -> float:
    return figures.get((name, tuple(sorted(labels.items()))), 0.0)


def moved(before, after, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_health_says_ok_with_the_version(server):
    with server.client() as c:
        reply = c.get("/health")
    assert reply.status_code == 200
    doc = reply.json()
    assert (doc["status"], doc["database"]) == ("ok", "ok") and doc["version"][0].isdigit()
    assert "/health" in httpx.get(f"{server.url}/openapi.json").json()["paths"]


def test_pushes_duplicates_and_refusals_are_counted(server):
    store = new_store(server)
    till = enrol(server, store)
    before = scrape(server)
    events = [till.event("sale.completed", sale_payload([("COLA", 1000, 350)])) for _ in range(3)]
    assert till.push_ok(events)["accepted"] == 3
    assert till.push_ok(events)["duplicates"] == 3                       # a resend after a timeout
    clash = till.event("sale.completed", sale_payload([("CHIPS", 1000, 790)]), seq=2)
    assert till.push([clash]).status_code == 409                         # a cloned till
    with server.client() as c:                                                  # no credential: refused
        assert c.post("/api/v1/push", json={"events": events[:2]}).status_code == 401
    after = scrape(server)

    assert moved(before, after, "pos_pushes_total", outcome="ok") == 2
    assert moved(before, after, "pos_pushes_total", outcome="conflict") == 1
    assert moved(before, after, "pos_pushes_total", outcome="refused") == 1
    assert moved(before, after, "pos_push_events_total", result="accepted") == 3
    assert moved(before, after, "pos_push_events_total", result="duplicate") == 3
    assert moved(before, after, "pos_push_events_total", result="rejected") == 1 + 2
    route = {"method": "POST", "route": "/api/v1/push"}
    assert moved(before, after, "pos_http_request_duration_seconds_count", **route) == 4
    assert moved(before, after, "pos_http_requests_total", status="409", **route) == 1
    assert value(after, "pos_http_request_duration_seconds_sum", **route) > 0

    till_labels = {"store": store, "till": "T01"}
    assert value(after, "pos_till_acked_seq", **till_labels) == 3
    assert value(after, "pos_till_conflict", **till_labels) == 1          # flagged: it must re-enrol
    assert 0 <= value(after, "pos_till_seconds_since_push", **till_labels) < 120
    assert value(after, "pos_database_up") == 1


def test_lag_per_till_shows_the_sequence_gap(server):
    store = new_store(server)
    early, late = enrol(server, store, "T01"), enrol(server, store, "T02")
    sales = [early.event("sale.completed", sale_payload([("SOAP", 1000, 450)])) for _ in range(5)]
    early.push_ok([sales[0], sales[1], sales[4]])                        # 3 and 4 went missing on the way
    late.push_ok([late.event("sale.completed", sale_payload([("COLA", 1000, 350)]))])
    figures = scrape(server)
    assert value(figures, "pos_till_acked_seq", store=store, till="T01") == 2
    assert value(figures, "pos_till_sequence_gap", store=store, till="T01") == 3
    assert value(figures, "pos_till_sequence_gap", store=store, till="T02") == 0
    assert value(figures, "pos_till_conflict", store=store, till="T01") == 0
    early.push_ok(sales[2:4])                                            # the resend fills the gap
    figures = scrape(server)
    assert value(figures, "pos_till_acked_seq", store=store, till="T01") == 5
    assert value(figures, "pos_till_sequence_gap", store=store, till="T01") == 0


def test_projection_errors_are_counted_per_store_until_replayed(server):
    store = new_store(server)
    till = enrol(server, store)
    unknown = till.event("sale.completed", sale_payload([("NOT-IN-CATALOG", 1000, 999)]))
    assert till.push_ok([unknown])["accepted"] == 1                       # a sale is a fact: never refused
    figures = scrape(server)
    assert value(figures, "pos_projection_errors_total", store=store) == 1
    assert value(figures, "pos_projection_errors_unresolved", store=store) == 1
    admin.put_products(server.db, datetime.now(UTC), [{"sku": "NOT-IN-CATALOG", "name": "Late", "price": "9.99"}])
    admin.replay_errors(server.db, datetime.now(UTC), store)
    figures = scrape(server)
    assert value(figures, "pos_projection_errors_total", store=store) == 1
    assert value(figures, "pos_projection_errors_unresolved", store=store) == 0


def test_a_database_that_does_not_answer_makes_health_503():
    """What a load balancer sees when PostgreSQL is down: 503 with the reason, and the scrape still works."""
    db = Database("postgresql+psycopg://pos@127.0.0.1:9/gone?connect_timeout=2")

    async def ask() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=create_app(db))
        async with httpx.AsyncClient(transport=transport, base_url="http://pos") as client:
            return await client.get("/health"), await client.get("/metrics")
    health, metrics = asyncio.run(ask())
    db.close()
    assert health.status_code == 503
    assert health.json()["status"] == "unavailable" and "cannot be reached" in health.json()["database"]
    assert "pos_database_up 0.0" in metrics.text


def test_several_workers_add_up_in_multiprocess_mode(tmp_path, monkeypatch):
    """As the systemd unit runs it: two worker processes, PROMETHEUS_MULTIPROC_DIR set; whichever process
    answers a scrape, it counts the pushes both processes took (one backend is enough for the process model)."""
    url = f"sqlite:///{tmp_path / 'server.db'}"
    db = Database(url)
    schema.upgrade(db)
    admin.put_products(db, datetime.now(UTC), [{"sku": "COLA", "name": "Cola", "price": "3.50"}])
    db.close()
    folder = tmp_path / "prometheus"
    folder.mkdir()
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    workers = start_server(url, tmp_path / "workers", "--workers", "2")
    try:
        till = enrol(workers, new_store(workers))
        for _ in range(6):                                   # new connections: the kernel spreads them
            till.push_ok([till.event("sale.completed", sale_payload([("COLA", 1000, 350)]))])
        for _ in range(4):
            figures = scrape(workers)
            assert value(figures, "pos_pushes_total", outcome="ok") == 6
            assert value(figures, "pos_push_events_total", result="accepted") == 6
    finally:
        stop_server(workers)
    assert len(list(folder.glob("counter_*.db"))) >= 1
