"""The FastAPI application: routes of the sync protocol, head-office administration and integrations, the
error bodies every client can read, the body size limit and the rate limits.

``create_app(db)`` builds it around one ``Database``; ``app_from_env()`` is the factory uvicorn's workers
call (``POS_SERVER_DB`` and the ``POS_SERVER_*`` limits). Routes are plain ``def`` functions: FastAPI runs them
in its thread pool, and each opens its own transaction.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..core.clock import Clock, SystemClock, iso
from ..core.errors import PosError
from .db import Database
from .errors import RateLimited, http_status
from .limits import MAX_BODY_BYTES, BodyLimit, RateLimiter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServerSettings:
    """Limits; each ``pos server`` option of the same name, or ``POS_SERVER_<NAME>`` for workers."""

    max_body_bytes: int = MAX_BODY_BYTES
    push_rate: float = 5.0          # pushes per second per enrolment, on average (0: no limit)
    push_burst: float = 20.0
    enrol_rate: float = 20.0        # enrolments per minute per client address (0: no limit)

    @classmethod
    def from_env(cls) -> ServerSettings:
        def number(name: str, default: float) -> float:
            return float(os.environ.get(f"POS_SERVER_{name.upper()}", default))
        return cls(int(number("max_body_bytes", MAX_BODY_BYTES)), number("push_rate", 5.0),
                   number("push_burst", 20.0), number("enrol_rate", 20.0))


@dataclass
class ServerState:
    """What every request shares (passed in, never global): the database, the clock, the limits."""

    db: Database
    settings: ServerSettings = field(default_factory=ServerSettings)
    clock: Clock = field(default_factory=SystemClock)

    def __post_init__(self) -> None:
        s = self.settings
        self.push_limiter = RateLimiter(s.push_rate, max(1.0, s.push_burst))
        self.enrol_limiter = RateLimiter(s.enrol_rate / 60.0, max(1.0, min(s.enrol_rate, 20.0)))

    def now(self) -> datetime:
        return self.clock.now().astimezone(UTC)

    def now_text(self) -> str:
        return iso(self.now())

    def limit(self, limiter: RateLimiter, key: str, what: str) -> None:
        wait = limiter.wait_for(key)
        if wait > 0:
            raise RateLimited(f"Too many {what}; try again in {wait:.0f} s", retry_after=max(1, round(wait + 0.5)))


def state(request: Request) -> ServerState:
    return request.app.state.pos


DESCRIPTION = """The central server of the POS tills.

* **Tills** (`/api/v1/enrol`, `/push`, `/changes`, `/status`, `/summary`): the sync protocol of
  `docs/sync-protocol.md`. Authenticate with `Authorization: Bearer <enrolment_id>.<secret>`.
* **Head office** (`/api/v1/admin/…`): master data, enrolment codes, reports. An API key with scope `admin`.
* **Integrations** (`/api/v1/integration/…`): sales for accounting, stock for e-commerce, products from an
  ERP. An API key with the scope each route names (`sales:read`, `stock:read`, `catalog:write`).

Errors are `{"error": code, "message": text, "server_time": …}`. Money and quantities in reports are decimal
strings (`"12.30"`, `"1.500"`); inside till events they are integers in minor units / thousandths.
"""


def create_app(db: Database, settings: ServerSettings | None = None, clock: Clock | None = None,
               handheld: Any = None, handheld_idle: float | None = None) -> Any:
    """The ASGI application (FastAPI wrapped in the body size limit). ``handheld``: a store's back office
    (``services.handheld.StoreFloor``, from the entry point) to serve the handheld pages at ``/handheld/``;
    ``handheld_idle``: seconds a handheld session lives without a request (default 15 minutes)."""
    from . import routes_admin, routes_integration, routes_journal, routes_sync

    pos = ServerState(db, settings or ServerSettings(), clock or SystemClock())
    app = FastAPI(title="POS central server", version="1", description=DESCRIPTION,
                  openapi_tags=[{"name": "tills", "description": "The sync protocol"},
                                {"name": "admin", "description": "Head office (scope admin)"},
                                {"name": "integration", "description": "Accounting, e-commerce, ERP"}])
    app.state.pos = pos
    app.include_router(routes_sync.router)
    app.include_router(routes_admin.router)
    app.include_router(routes_integration.router)
    app.include_router(routes_journal.router)        # tamper evidence (issue 9)
    app.include_router(routes_journal.admin_router)
    if handheld is not None:
        from datetime import timedelta

        from .handheld import Sessions, router
        idle = timedelta(seconds=handheld_idle) if handheld_idle else timedelta(minutes=15)
        app.include_router(router(handheld, Sessions(pos.clock, idle=idle)))
    _errors(app, pos)
    from .metrics import install as install_metrics   # /health, /metrics, request timing (issue 9)
    install_metrics(app, pos)
    wrapped = BodyLimit(app, pos.settings.max_body_bytes, pos.now_text)
    wrapped.fastapi = app   # type: ignore[attr-defined]  (tests and the OpenAPI dump reach the app through it)
    return wrapped


def app_from_env() -> Any:
    """For ``uvicorn --factory`` workers: the database from ``POS_SERVER_DB`` (already upgraded)."""
    return create_app(Database(os.environ["POS_SERVER_DB"]), ServerSettings.from_env())


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _errors(app: FastAPI, pos: ServerState) -> None:
    def reply(status: int, doc: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
        return JSONResponse({**doc, "server_time": pos.now_text()}, status_code=status, headers=headers)

    @app.exception_handler(PosError)
    def domain_error(_request: Request, exc: PosError) -> JSONResponse:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        status = http_status(exc)
        if status == 401:
            headers = {"WWW-Authenticate": "Bearer"}
        return reply(status, exc.to_json(), headers)

    @app.exception_handler(RequestValidationError)
    def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))}
                    for e in exc.errors()][:20]
        first = problems[0] if problems else {"loc": [], "msg": "invalid"}
        return reply(422, {"error": "invalid_request",
                           "message": f"{'.'.join(first['loc'])}: {first['msg']}", "detail": problems})

    @app.exception_handler(StarletteHTTPException)
    def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, f"http_{exc.status_code}")
        return reply(exc.status_code, {"error": code, "message": str(exc.detail)}, getattr(exc, "headers", None))

    @app.exception_handler(DBAPIError)
    def database_error(_request: Request, exc: DBAPIError) -> JSONResponse:
        if isinstance(exc, DataError):   # a value from the request the database cannot hold (a NUL in text, …)
            return reply(400, {"error": "invalid_request", "message": f"Invalid value: {_first_line(exc.orig)}"})
        if isinstance(exc, OperationalError) or exc.connection_invalidated:
            log.warning("database unavailable: %s", exc.orig)
            return reply(503, {"error": "database_unavailable", "message": "The database is unavailable; retry"},
                         {"Retry-After": "5"})
        log.error("database error", exc_info=exc)
        return reply(500, {"error": "internal", "message": "The server failed; it is logged"})

    @app.exception_handler(Exception)
    def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error", exc_info=exc)
        return reply(500, {"error": "internal", "message": "The server failed; it is logged"})
