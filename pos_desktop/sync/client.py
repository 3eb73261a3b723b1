"""The HTTP side of the sync protocol (docs/sync-protocol.md), with ``requests``.

Every call has a (connect, read) timeout of (3 s, 15 s) by default and verifies TLS (the system's CAs, or
the pinned CA file of ``sync.json``). ``requests`` never retries a POST by itself and neither does this
module: the agent decides, with backoff, because pushes are idempotent. Failures become typed errors (exit 7):
``transient`` ones (unreachable, timeout, 5xx, 429, a reply cut short) are retried later; a refusal (401
unauthorized/revoked, 409 sequence conflict) says the till must be enrolled again.

The bearer token (``<enrolment_id>.<secret>``) is only ever in the request header; no error or log carries it.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from ..core.errors import ServerError
from ..core.i18n import _

log = logging.getLogger(__name__)

TIMEOUT = (3.0, 15.0)
API = "/api/v1"


class SyncError(ServerError):
    """A sync request that did not get its answer. ``transient``: try again later (with backoff)."""

    code = "server_error"
    transient = True
    needs_reenrol = False

    def __init__(self, message: str, *, retry_after: float | None = None, code: str | None = None,
                 **details: object) -> None:
        super().__init__(message, code=code, **details)
        self.retry_after = retry_after


class Unreachable(SyncError):
    code = "server_unreachable"


class TimedOut(SyncError):
    code = "server_timeout"


class BadReply(SyncError):
    code = "bad_reply"


class ServerBusy(SyncError):
    code = "server_busy"


class TooLarge(SyncError):
    code = "request_too_large"


class Refused(SyncError):
    """The server said no (401, 403, 409, another 4xx): trying again does not help."""

    code = "refused"
    transient = False


class NeedsReenrol(Refused):
    """401 (unknown or revoked enrolment) or 409 (sequence conflict: cloned or restored till)."""

    needs_reenrol = True


class NotEnrolled(SyncError):
    code = "not_enrolled"
    transient = False


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class SyncClient:
    """One server, one enrolment (or none, for enrolling); keeps its connection alive between calls."""

    def __init__(self, server: str, *, bearer: str | None = None, verify: bool | str = True,
                 timeout: tuple[float, float] = TIMEOUT, session: requests.Session | None = None) -> None:
        self.base = server.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        # Passed with every request, not set on the session: requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE
        # override Session.verify (psf/requests#3829, #4726), which would silently drop a pinned CA.
        self.verify = verify
        self.session.headers["User-Agent"] = "pos-desktop-sync/1"
        if bearer:
            self.session.headers["Authorization"] = bearer

    def close(self) -> None:
        self.session.close()

    # -- the protocol's calls ----------------------------------------------------------------------------------------

    def enrol(self, request: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/enrol", body=json.dumps(request).encode())

    def push(self, events_json: list[str]) -> dict[str, Any]:
        """``POST /push`` with events already as JSON text (from the outbox, never re-parsed)."""
        body = ('{"events":[' + ",".join(events_json) + "]}").encode("utf-8")
        return self._call("POST", "/push", body=body)

    def changes(self, after: str, limit: int) -> dict[str, Any]:
        return self._call("GET", "/changes", params={"after": after, "limit": limit})

    def status(self) -> dict[str, Any]:
        return self._call("GET", "/status")

    def summary(self, day: str) -> dict[str, Any]:
        return self._call("GET", "/summary", params={"date": day})

    def journal_head(self) -> dict[str, Any]:
        return self._call("GET", "/journal")

    def journal(self, body: dict[str, Any]) -> dict[str, Any]:
        """``POST /journal``: entries to be re-verified and an audit of older ones (sync/journal_sync.py)."""
        return self._call("POST", "/journal", body=json.dumps(body, ensure_ascii=False).encode("utf-8"))

    # -- one request -------------------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, *, body: bytes | None = None,
              params: dict[str, Any] | None = None) -> dict[str, Any]:
        url = self.base + API + path
        headers = {"Content-Type": "application/json"} if body is not None else None
        try:
            reply = self.session.request(method, url, data=body, params=params, headers=headers,
                                         timeout=self.timeout, verify=self.verify)
        except requests.exceptions.SSLError as exc:
            raise Unreachable(_("The server's certificate cannot be trusted: {why}").format(why=_short(exc)),
                              code="tls_error") from None
        except requests.exceptions.Timeout:
            raise TimedOut(_("The server did not answer {path} in time").format(path=path)) from None
        except requests.exceptions.ChunkedEncodingError:
            raise BadReply(_("The server's answer to {path} was cut off").format(path=path)) from None
        except requests.exceptions.RequestException as exc:
            raise Unreachable(_("The server cannot be reached: {why}").format(why=_short(exc))) from None
        return self._answer(path, reply)

    def _answer(self, path: str, reply: requests.Response) -> dict[str, Any]:
        status = reply.status_code
        try:
            doc = reply.json()
        except ValueError:
            doc = None
        if not isinstance(doc, dict):
            doc = None
        if 200 <= status < 300:
            if doc is None:
                raise BadReply(_("The server's answer to {path} is not JSON").format(path=path), status=status)
            return doc
        error = str((doc or {}).get("error") or "")
        message = server_reason(error, str((doc or {}).get("message") or (doc or {}).get("detail") or reply.reason
                                           or status))
        extra = {"status": status, **({"server_error": error} if error else {})}
        if status in (429, 503):
            raise ServerBusy(_("The server is busy: {why}").format(why=message),
                             retry_after=retry_after_seconds(reply.headers.get("Retry-After")), **extra)
        if status == 413:
            raise TooLarge(_("The server refused a request this large"), **extra)
        if status >= 500:
            raise SyncError(_("The server failed ({status}): {why}").format(status=status, why=message), **extra)
        if status == 401 or status == 409:
            if status == 409 and "till_seq" in (doc or {}):
                extra["till_seq"] = doc["till_seq"]  # type: ignore[index]
            code = error or ("sequence_conflict" if status == 409 else "unauthorized")
            raise NeedsReenrol(_("The server refused this till ({why}); enrol it again").format(why=message),
                               code=code, **{k: v for k, v in extra.items() if k != "server_error"})
        raise Refused(_("The server refused {path} ({status}): {why}").format(path=path, status=status,
                                                                            why=message),
                      code=error or "refused", **{k: v for k, v in extra.items() if k != "server_error"})


def server_reason(error: str, message: str) -> str:
    """Why the server refused, in the till's language: the server answers in English with an ``error`` code;
    the codes a till meets are said here (its message is kept for any other)."""
    if error == "wrong_till":
        found = re.search(r"till (\S+) of store (\S+)", message)
        if found:
            return _("the enrolment code is for till {till} of store {store}").format(till=found.group(1),
                                                                                    store=found.group(2))
    known = {
        "bad_code": _("the enrolment code is not known; ask head office for a new one"),
        "code_used": _("the enrolment code was used already; ask head office for a new one"),
        "code_expired": _("the enrolment code has expired; ask head office for a new one"),
        "revoked": _("head office revoked this till's enrolment"),
        "unauthorized": _("head office does not know this till or its secret"),
        "too_many_events": _("too many events in one push"),
    }
    return known.get(error, message)


def _short(exc: BaseException) -> str:
    """An exception's text without the noise urllib3 wraps around it (and never a header)."""
    inner: object = exc.args[0] if exc.args else exc
    inner = getattr(inner, "reason", inner)
    args = getattr(inner, "args", ())
    if isinstance(inner, Exception) and len(args) > 1:   # urllib3's ('Connection aborted.', the cause)
        inner = args[-1]
    text = str(inner)
    errno = re.search(r"\[Errno [^\]]+\] [^'\")]+", text)
    if errno:
        return errno.group(0).strip()
    return (text.rsplit("): ", 1)[-1] if "): " in text else text)[:200]
