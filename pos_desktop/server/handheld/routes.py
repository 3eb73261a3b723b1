"""The handheld pages at ``/handheld/``: the static app, and its JSON API under ``/handheld/api/``.

``router(floor, sessions)`` is mounted by ``create_app`` when the server is started on a store's data folder.
``floor`` is the store's back office (``services.handheld.StoreFloor``, passed in by the entry point): this
package calls its methods and never imports the services itself. Every request but the login needs the
session cookie; every POST but the login also needs the session's CSRF token in ``X-CSRF-Token`` (a page
of another site can make the browser send the cookie, never read the token).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from ...core.errors import AuthError, InvalidInput, PermissionDenied
from ...core.i18n import _
from .sessions import COOKIE, CSRF_HEADER, Session, Sessions, csrf_ok

STATIC = Path(__file__).parent / "static"
PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
                               "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    "Permissions-Policy": "camera=(self)",
}


class SignInNeeded(AuthError):
    code = "signed_out"
    status = 401


class CsrfRefused(PermissionDenied):
    code = "csrf"
    status = 403


def router(floor: Any, sessions: Sessions) -> APIRouter:
    api = APIRouter(prefix="/handheld", include_in_schema=False)

    def signed_in(request: Request) -> Session:
        sid = request.cookies.get(COOKIE)
        session = sessions.find(sid)
        if session is None:
            if sid:
                raise SignInNeeded(_("Your session has expired; sign in again"), code="session_expired")
            raise SignInNeeded(_("Sign in first"))
        return session

    def posting(request: Request, session: Session = Depends(signed_in)) -> Session:
        if not csrf_ok(session, request.headers.get(CSRF_HEADER)):
            raise CsrfRefused(_("The page's security token is missing or wrong; reload the page"))
        return session

    @api.get("")
    def bare() -> RedirectResponse:
        return RedirectResponse("/handheld/", status_code=308)

    @api.get("/")
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    @api.get("/static/{name:path}")
    def static(name: str) -> FileResponse:
        path = (STATIC / name).resolve()
        if STATIC.resolve() not in path.parents or not path.is_file():
            raise InvalidInput(_("No such file"), code="not_found")
        return FileResponse(path, headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})

    @api.post("/api/login")
    def sign_in(request: Request, body: dict[str, Any] = Body(...)) -> JSONResponse:
        operator, profile = floor.login(str(body.get("user") or ""), str(body.get("pin") or ""),
                                        str(body.get("otp") or "") or None)   # a user with TOTP on: their code
        session = sessions.start(operator, profile)
        reply = JSONResponse(_session_doc(session, sessions))
        reply.set_cookie(COOKIE, session.id, httponly=True, samesite="strict", path="/handheld",
                         secure=request.url.scheme == "https")
        return reply

    @api.post("/api/logout")
    def sign_out(session: Session = Depends(posting)) -> Response:
        sessions.end(session.id)
        reply = JSONResponse({"signed_out": True})
        reply.delete_cookie(COOKIE, path="/handheld")
        return reply

    @api.get("/api/session")
    def whoami(session: Session = Depends(signed_in)) -> dict[str, Any]:
        return _session_doc(session, sessions)

    @api.get("/api/lookup")
    def lookup(code: str | None = Query(None, max_length=200), q: str | None = Query(None, max_length=100),
               sku: str | None = Query(None, max_length=100),
               session: Session = Depends(signed_in)) -> dict[str, Any]:
        return floor.lookup(session.operator, code=code, query=q, sku=sku)

    @api.get("/api/counts")
    def counts(session: Session = Depends(signed_in)) -> dict[str, Any]:
        return {"counts": floor.open_counts(session.operator)}

    @api.post("/api/counts/{count_id}/lines")
    def count_lines(count_id: str, body: dict[str, Any] = Body(...),
                    session: Session = Depends(posting)) -> dict[str, Any]:
        lines = body.get("lines")
        if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
            raise InvalidInput(_("Send the counted lines as a list"), code="bad_lines")
        return {"results": floor.count_lines(session.operator, count_id, lines)}

    @api.get("/api/orders")
    def orders(session: Session = Depends(signed_in)) -> dict[str, Any]:
        return {"orders": floor.open_orders(session.operator)}

    @api.get("/api/orders/{po}")
    def order(po: str, session: Session = Depends(signed_in)) -> dict[str, Any]:
        return floor.order(session.operator, po)

    @api.post("/api/orders/{po}/receive")
    def receive(po: str, body: dict[str, Any] = Body(...), session: Session = Depends(posting)) -> dict[str, Any]:
        lines = body.get("lines")
        if not isinstance(lines, list) or not lines or not all(isinstance(line, dict) for line in lines):
            raise InvalidInput(_("A delivery needs at least one line"), code="no_lines")
        return floor.receive(session.operator, po, str(body.get("id") or ""), lines)

    @api.post("/api/labels")
    def label(body: dict[str, Any] = Body(...), session: Session = Depends(posting)) -> dict[str, Any]:
        return floor.print_label(session.operator, str(body.get("sku") or ""))

    return api


def _session_doc(session: Session, sessions: Sessions) -> dict[str, Any]:
    return {**session.profile, "csrf": session.csrf, "expires_in": sessions.seconds_left(session),
            "idle_seconds": int(sessions.idle.total_seconds())}
