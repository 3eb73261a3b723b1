"""What the server's request timer (``server/metrics.py``) costs per request, and what a scrape costs.

Run on demand: ``.venv/bin/python -m tests.benchmarks.bench_metrics [--requests N] [--tills N]``. Not
collected by pytest. The baseline is the same minimal ASGI application without the timer, called the same
way in the same run: a GET, and a push of 200 events (about 180 kB) whose reply the timer reads. The scrape
is ``/metrics`` of a SQLite server database with N enrolled tills that pushed, against the same database's
plain ``SELECT count(*) FROM events`` as its baseline. Targets: at most 50 µs added per request, a scrape
of 100 tills under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import text

from pos_desktop.server import access, admin, ingest, schema
from pos_desktop.server.app import ServerState
from pos_desktop.server.db import Database
from pos_desktop.server.metrics import DatabaseFigures, RequestTimer, ServerMetrics

TARGET_ADDED_US = 50.0
TARGET_SCRAPE_MS = 100.0
PUSH_BODY = json.dumps({"events": [{"till_seq": n, "event_id": str(uuid.uuid4()), "kind": "sale.completed",
                                    "payload": {"sale": {"id": str(uuid.uuid4()), "total_minor": 350}, "x": "y" * 800},
                                    "journal_hash": None, "created_at": None} for n in range(200)]}).encode()
REPLY = json.dumps({"acked_through": 200, "accepted": 200, "duplicates": 0, "server_time": "now"}).encode()


async def plain_app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": REPLY})


def time_requests(app, path: str, method: str, body: bytes, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    async def one() -> float:
        chunks = [body[i:i + 65536] for i in range(0, len(body), 65536)] or [b""]

        async def receive():  # type: ignore[no-untyped-def]
            chunk = chunks.pop(0) if chunks else b""
            return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

        async def send(_message):  # type: ignore[no-untyped-def]
            return None
        scope = {"type": "http", "method": method, "path": path, "headers": []}
        start = time.perf_counter()
        await app(scope, receive, send)
        return time.perf_counter() - start

    async def many() -> list[float]:
        return [await one() for _ in range(n)]
    return asyncio.run(many())


def median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


def scrape_figures(tills: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'server.db'}")
        schema.upgrade(db)
        now = datetime.now(UTC)
        admin.create_store(db, now, "S01", "Store")
        for n in range(tills):
            code = admin.enrol_code(db, now, "S01", f"T{n:03d}")["code"]
            with db.write() as session:
                enrolment, secret, _store = access.enrol(session, code=code, till_uuid=str(uuid.uuid4()),
                                                         store_code="S01", till_code=f"T{n:03d}", next_seq=1, now=now)
                ident = f"Bearer {enrolment.id}.{secret}"
            ingest.push(db, ident, [{"till_seq": s, "event_id": str(uuid.uuid4()), "kind": "stock.adjusted",
                                     "payload": {}} for s in range(1, 21)], now)
        figures = DatabaseFigures(ServerState(db))
        scrapes, counts = [], []
        for _ in range(20):
            start = time.perf_counter()
            list(figures.collect())
            scrapes.append(time.perf_counter() - start)
            start = time.perf_counter()
            with db.read() as session:
                session.execute(text("SELECT count(*) FROM events")).scalar()
            counts.append(time.perf_counter() - start)
        db.close()
    return statistics.median(scrapes) * 1000, statistics.median(counts) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--tills", type=int, default=100)
    args = parser.parse_args()
    timed = RequestTimer(plain_app, ServerMetrics())
    ok = True
    for name, path, method, body in (("GET /health", "/health", "GET", b""),
                                     ("POST /api/v1/push, 200 events", "/api/v1/push", "POST", PUSH_BODY)):
        n = args.requests if not body else max(200, args.requests // 10)
        time_requests(timed, path, method, body, 50)                     # warm-up
        base = median_us(time_requests(plain_app, path, method, body, n))
        with_timer = median_us(time_requests(timed, path, method, body, n))
        added = with_timer - base
        ok &= added <= TARGET_ADDED_US
        print(f"{name}: baseline {base:.1f} µs, with the timer {with_timer:.1f} µs "
              f"(+{added:.1f} µs, ×{with_timer / base:.2f}; target +{TARGET_ADDED_US:.0f} µs)")
    scrape_ms, count_ms = scrape_figures(args.tills)
    ok &= scrape_ms <= TARGET_SCRAPE_MS
    print(f"/metrics database figures, {args.tills} tills: {scrape_ms:.1f} ms median "
          f"(SELECT count(*) FROM events: {count_ms:.2f} ms, ×{scrape_ms / count_ms:.1f}; target {TARGET_SCRAPE_MS:.0f} ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
