"""Handheld sign-ins: a random session id in an HttpOnly cookie, a CSRF token per session, idle and absolute
expiry on the server's clock.

Sessions live in this process's memory: a store's own server runs one process for its handheld pages (``pos
server --handheld-data`` refuses ``--workers``), and a restart only asks the clerks for their PIN again —
their unsent counted lines stay in the phone. Nothing here knows what an operator is: it keeps what the
login returned and hands it back.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ...core.clock import Clock

COOKIE = "pos_hh"
CSRF_HEADER = "X-CSRF-Token"
IDLE = timedelta(minutes=15)
LONGEST = timedelta(hours=10)


@dataclass
class Session:
    id: str
    csrf: str
    operator: Any
    profile: dict[str, Any]
    started: datetime
    seen: datetime

    def expires(self, idle: timedelta, longest: timedelta) -> datetime:
        return min(self.seen + idle, self.started + longest)


class Sessions:
    """The signed-in handhelds of this process."""

    def __init__(self, clock: Clock, idle: timedelta = IDLE, longest: timedelta = LONGEST) -> None:
        self.clock, self.idle, self.longest = clock, idle, longest
        self._all: dict[str, Session] = {}
        self._lock = threading.Lock()

    def start(self, operator: Any, profile: dict[str, Any]) -> Session:
        now = self.clock.now()
        session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), operator, profile, now, now)
        with self._lock:
            self._drop_expired(now)
            self._all[session.id] = session
        return session

    def find(self, session_id: str | None) -> Session | None:
        """The live session of that id, its idle time restarted; None if unknown or expired (then dropped)."""
        if not session_id:
            return None
        now = self.clock.now()
        with self._lock:
            session = self._all.get(session_id)
            if session is None:
                return None
            if session.expires(self.idle, self.longest) <= now:
                del self._all[session_id]
                return None
            session.seen = now
            return session

    def end(self, session_id: str | None) -> None:
        with self._lock:
            self._all.pop(session_id or "", None)

    def seconds_left(self, session: Session) -> int:
        return max(0, int((session.expires(self.idle, self.longest) - self.clock.now()).total_seconds()))

    def _drop_expired(self, now: datetime) -> None:
        for key in [k for k, s in self._all.items() if s.expires(self.idle, self.longest) <= now]:
            del self._all[key]


def csrf_ok(session: Session, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(session.csrf.encode(), (sent or "").encode())
