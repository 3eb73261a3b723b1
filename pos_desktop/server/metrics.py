"""Operating the server: ``GET /health`` for load balancers and ``GET /metrics`` for Prometheus.

Two kinds of figures (docs/operations.md lists them):

* what this process saw, counted as requests pass: requests and their latency per route, pushes by outcome,
  and the events of each push accepted, acknowledged again as duplicates, or rejected with a refused push;
* what the database holds, read at each scrape, so every process behind a load balancer reports the same:
  per till the seconds since its last push, the last acknowledged ``till_seq`` and the sequence gap (events
  stored beyond a missing one), whether it is flagged for a sequence conflict, and the projection errors.

Each application has its own registry (tests build many). With several worker processes
(``pos server --workers N``) set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder before the start:
prometheus_client then keeps the counters in files there and ``/metrics`` adds up all processes.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, disable_created_metrics,
                               generate_latest)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from .. import __version__
from .models import Enrolment, Event, EventError, Store

if TYPE_CHECKING:
    from .app import ServerState

log = logging.getLogger(__name__)
PUSH_PATH = "/api/v1/push"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_OUTCOMES = {200: "ok", 401: "refused", 403: "refused", 409: "conflict", 413: "too_large", 422: "invalid",
             400: "invalid", 429: "rate_limited", 503: "unavailable"}


class ServerMetrics:
    """The counters of one application, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter("pos_http_requests", "HTTP requests by route and status",
                                ["method", "route", "status"], registry=r)
        self.latency = Histogram("pos_http_request_duration_seconds", "Time to answer a request, by route",
                                 ["method", "route"], buckets=LATENCY_BUCKETS, registry=r)
        self.pushes = Counter("pos_pushes", "Pushes from tills by outcome (ok, conflict, refused, invalid, "
                              "rate_limited, too_large, unavailable, error)", ["outcome"], registry=r)
        self.events = Counter("pos_push_events", "Events in pushes: accepted (new), duplicate (acknowledged "
                              "again), rejected (in a push that was refused)", ["result"], registry=r)
        for outcome in ("ok", "conflict", "refused", "invalid", "rate_limited", "error"):
            self.pushes.labels(outcome)
        for result in ("accepted", "duplicate", "rejected"):
            self.events.labels(result)

    def scrape(self, database: Collector) -> bytes:
        """The text exposition: this process's counters (or all processes' in multiprocess mode) and the
        database's figures."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        else:
            registry = self.registry
        return generate_latest(registry) + generate_latest(database)   # type: ignore[arg-type]


class DatabaseFigures(Collector):
    """Per-till lag and projection errors, read from the database at each scrape."""

    def __init__(self, pos: ServerState) -> None:
        self.pos = pos

    def collect(self) -> Iterator[Any]:
        up = GaugeMetricFamily("pos_database_up", "1 if the database answered the last scrape")
        try:
            families = self._read(self.pos.now())
        except Exception as exc:  # noqa: BLE001 — a scrape reports the database down, it never fails
            log.warning("metrics: the database did not answer: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _read(self, now: datetime) -> list[Any]:
        labels = ["store", "till"]
        age = GaugeMetricFamily("pos_till_seconds_since_push", "Seconds since the till's last push", labels=labels)
        acked = GaugeMetricFamily("pos_till_acked_seq", "Highest contiguous till_seq stored", labels=labels)
        gap = GaugeMetricFamily("pos_till_sequence_gap", "How far the newest stored till_seq is ahead of the acknowledged one "
                                "(events missing on the way)",
                                labels=labels)
        conflict = GaugeMetricFamily("pos_till_conflict", "1 if the till is flagged for a sequence conflict "
                                     "(cloned or restored; it must re-enrol)", labels=labels)
        errors_open = GaugeMetricFamily("pos_projection_errors_unresolved",
                                        "Events whose projection failed and was not replayed yet", labels=["store"])
        errors_all = CounterMetricFamily("pos_projection_errors", "Projection failures recorded", labels=["store"])
        e, ev = Enrolment, Event
        newest = select(func.max(ev.till_seq)).where(ev.enrolment_id == e.id).scalar_subquery()
        with self.pos.db.read() as session:
            tills = session.execute(
                select(Store.code, e.till_code, e.next_seq, e.last_seen_at, e.conflict_at, newest)
                .join(Store, Store.id == e.store_id).where(e.revoked_at.is_(None))
                .order_by(Store.code, e.till_code, e.created_at)).all()
            errors = session.execute(
                select(Store.code, func.count(), func.count().filter(EventError.resolved_at.is_(None)))
                .join(Store, Store.id == EventError.store_id).group_by(Store.code)).all()
        for store, till, next_seq, seen, flagged, top in tills:   # the newest enrolment of a till wins
            key = [store, till]
            if seen:
                age.add_metric(key, max(0.0, (now - datetime.fromisoformat(seen)).total_seconds()))
            acked.add_metric(key, next_seq - 1)
            gap.add_metric(key, max(0, (top or 0) - (next_seq - 1)))
            conflict.add_metric(key, 1 if flagged else 0)
        for store, total, unresolved in errors:
            errors_all.add_metric([store], total)
            errors_open.add_metric([store], unresolved)
        return [_last_per_label(f) for f in (age, acked, gap, conflict)] + [errors_open, errors_all]


def _last_per_label(family: GaugeMetricFamily) -> GaugeMetricFamily:
    """One sample per (store, till): a re-enrolled till has several enrolments; the newest is listed last."""
    samples = {tuple(s.labels.items()): s for s in family.samples}
    family.samples = list(samples.values())
    return family


class RequestTimer:
    """ASGI middleware: counts and times every request, and reads the pushes' replies for event counts.

    A push's request body is kept only until its answer is known (the body limit outside caps it), and
    read only when the push was refused, to count the events it carried."""

    def __init__(self, app: Any, metrics: ServerMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_push = scope.get("path") == PUSH_PATH and scope.get("method") == "POST"
        body: list[bytes] = []
        answer: dict[str, Any] = {"status": 500, "body": []}

        async def receive_kept() -> dict[str, Any]:
            message = await receive()
            if message["type"] == "http.request":
                body.append(message.get("body", b""))
            return message

        async def send_seen(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
            elif message["type"] == "http.response.body" and is_push:
                answer["body"].append(message.get("body", b""))
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive_kept if is_push else receive, send_seen)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            status, method = answer["status"], scope.get("method", "")
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(time.perf_counter() - started)
            if is_push:
                self._count_push(status, b"".join(answer["body"]), b"".join(body))

    def _count_push(self, status: int, reply: bytes, request: bytes) -> None:
        m = self.metrics
        m.pushes.labels(_OUTCOMES.get(status, "error")).inc()
        if status == 200:
            doc = _json(reply)
            m.events.labels("accepted").inc(int(doc.get("accepted", 0)))
            m.events.labels("duplicate").inc(int(doc.get("duplicates", 0)))
        else:
            events = _json(request).get("events")
            m.events.labels("rejected").inc(len(events) if isinstance(events, list) else 0)


def _json(data: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(data)
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def router(pos: ServerState, metrics: ServerMetrics) -> APIRouter:
    routes = APIRouter(tags=["ops"])
    database = DatabaseFigures(pos)

    @routes.get("/health", summary="Is the server up and its database reachable (no credential)")
    def health() -> JSONResponse:
        """200 with `status` "ok" when the database answers; 503 with `status` "unavailable" otherwise."""
        doc: dict[str, Any] = {"status": "ok", "database": "ok", "version": __version__}
        try:
            pos.db.check()
        except Exception as exc:  # noqa: BLE001 — the answer says what is wrong
            doc.update(status="unavailable", database=str(getattr(exc, "message", exc)).splitlines()[0])
        return JSONResponse({**doc, "server_time": pos.now_text()}, status_code=200 if doc["status"] == "ok" else 503)

    @routes.get("/metrics", include_in_schema=False)
    def scrape(_request: Request) -> Response:
        return Response(metrics.scrape(database), media_type=CONTENT_TYPE_LATEST)

    return routes


def install(app: Any, pos: ServerState) -> ServerMetrics:
    """Add ``/health``, ``/metrics`` and the request timer to a FastAPI application."""
    disable_created_metrics()   # the *_created series only add noise to every scrape
    metrics = ServerMetrics()
    app.include_router(router(pos, metrics))
    app.add_middleware(RequestTimer, metrics=metrics)
    app.state.metrics = metrics
    return metrics
