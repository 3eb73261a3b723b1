"""Several server processes on one database (behind a load balancer) need nothing from each other: a till can
push to one and the next to another, and page through the feed alternating between them."""

from __future__ import annotations

from pos_desktop.server import admin

from .conftest import DAY, NOW, adjust_payload, enrol, new_store, sale_payload, start_server, stop_server


def test_a_till_can_talk_to_any_process(server, tmp_path):
    other = start_server(server.db_url, tmp_path)
    try:
        store = new_store(server)
        till = enrol(server, store)
        events = [till.event("sale.completed", sale_payload([("COLA", 1000, 350)])) for _ in range(6)]
        processes = [server, other]
        for n, start in enumerate(range(0, 6, 2)):
            till.server = processes[n % 2]
            assert till.push_ok(events[start:start + 2])["acked_through"] == start + 2
        till.server = other
        assert till.push_ok(events)["duplicates"] == 6                     # dedupe is in the database
        assert till.get("summary", date=DAY).json()["sales_count"] == 6
        mate = enrol(server, store, "T02")
        mate.push_ok([mate.event("stock.adjusted", adjust_payload("SOAP", 1000)) for _ in range(5)])
        for n in range(4):
            admin.put_location(server.db, NOW, store, f"X{n}", None, None)
        till.server, cursor, seen = server, "", []
        for n in range(30):                                                 # cursors work on every process
            till.server = processes[n % 2]
            page = till.get("changes", after=cursor, limit=2).json()
            seen += page["changes"]
            cursor = page["next"]
            if not page["more"]:
                break
        kinds = [c["kind"] for c in seen]
        assert kinds.count("movement") == 5 and len({c["cursor"] for c in seen}) == len(seen)
    finally:
        stop_server(other)


def test_a_chunked_body_over_the_limit_is_refused(server):
    till = enrol(server, new_store(server))

    def body():
        yield b'{"events": ['
        for _ in range(11):
            yield b" " * (1024 * 1024)
        yield b"]}"

    with server.client() as c:
        reply = c.post("/api/v1/push", content=body(), headers={**till.headers, "Content-Type": "application/json"})
    assert reply.status_code == 413 and reply.json()["error"] == "too_large"
