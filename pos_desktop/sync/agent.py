"""The sync agent: push the outbox, pull the change feed, check the day figures, on a schedule off the GUI thread.

``SyncAgent(ctx).sync_once()`` is one full pass, under the OS file lock of the data folder (a second agent
skips its turn). ``start()`` runs it as an APScheduler ``BackgroundScheduler`` interval job (every 15 s,
``max_instances=1``, ``coalesce=True``, ``misfire_grace_time=None``); ``wake()`` (after a sale) runs it at
once, or as soon as the backoff allows. A pass never raises: it returns a ``SyncResult`` and records how it
went in ``sync_state`` (what ``pos sync status`` and the window show).

One pass:
1. push: the oldest unsent events, 200 a request (halved on a timeout or a 413, never below 1, doubled back
   after each acknowledged request); each acknowledgement marks the events ≤ ``acked_through`` sent in one
   transaction. 401 or 409 stop everything: the till must be enrolled again (``needs_reenrol``).
2. pull: pages of the change feed until ``more`` is false, each page applied with its cursor in one
   transaction (``services.sync_apply``).
3. sanity: with the outbox empty, this till's per-day counts and totals for its last 7 business dates are
   compared with the server's; a day that differs is queued again (idempotent) and pushed in the same pass.
4. the clock: the server's time in every answer is compared with the till's; more than 5 minutes off is
   recorded and raised as an alert (selling goes on).
Transient failures (connection, timeout, 5xx, 429, a cut-off reply) end the pass and set the next attempt
after a full-jitter backoff (2 s base, 5 min cap, at least ``Retry-After``).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler

from ..core.clock import Clock
from ..core.i18n import _
from ..services import sync_state
from ..services.context import Context
from ..services.sync_apply import apply_page
from . import config as sync_config
from . import journal_sync
from .backoff import Backoff
from .client import (
    TIMEOUT,
    NeedsReenrol,
    NotEnrolled,
    Refused,
    ServerBusy,
    SyncClient,
    SyncError,
    TimedOut,
    TooLarge,
)
from .lock import SyncLock

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 15.0
MAX_BATCH = 200
PAGE_SIZE = 2000
SANITY_DAYS = 7
SANITY_EVERY_SECONDS = 600.0
BUSY_WAIT_SECONDS = 10.0      # a 429 asking for at most this long is waited out within the pass
BUSY_BUDGET_SECONDS = 60.0    # … up to this much waiting per pass
JOB_ID = "pos-sync"


class StillRefused(NeedsReenrol):
    """The till was refused by an earlier pass and has not been enrolled again since."""

    def __init__(self, message: str, *, code: str, refusal: dict[str, Any] | None) -> None:
        super().__init__(message, code=code)
        self.refusal = refusal


@dataclass
class SyncResult:
    pushed: int = 0
    pulled: int = 0
    pending: int = 0
    server_time: str | None = None
    ok: bool = False
    error: dict[str, Any] | None = None
    skipped: bool = False
    needs_reenrol: bool = False
    retry_in: float | None = None
    requeued: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"pushed": self.pushed, "pulled": self.pulled, "pending": self.pending,
                               "server_time": self.server_time, "ok": self.ok}
        if self.skipped:
            doc["skipped"] = True
        if self.requeued:
            doc["requeued"] = self.requeued
        if self.error is not None:
            doc = {**self.error, **doc, "needs_reenrol": self.needs_reenrol}
        return doc


class SyncAgent:
    """The agent of one till. ``clock`` (the till's time) and ``rng`` (backoff jitter) are injectable."""

    def __init__(self, ctx: Context, *, clock: Clock | None = None, rng: random.Random | None = None,
                 interval: float = INTERVAL_SECONDS, batch: int = MAX_BATCH, page_size: int = PAGE_SIZE,
                 timeout: tuple[float, float] = TIMEOUT, sanity_every: float = SANITY_EVERY_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.ctx = ctx
        self.clock = clock or ctx.clock
        self.backoff = Backoff(rng)
        self.interval, self.max_batch, self.batch, self.page_size = interval, batch, batch, page_size
        self.timeout = timeout
        self.sanity_every = sanity_every
        self.monotonic = monotonic
        self.sleep = sleep
        self._busy_waited = 0.0
        self.last_result: SyncResult | None = None
        self._client: SyncClient | None = None
        self._client_for: sync_config.SyncConfig | None = None
        self._sanity_at: float | None = None
        self._audit_at: float | None = None
        self._journal_through: int | None = None
        self._skew_seen: tuple[int, str] | None = None
        self._run_lock = threading.Lock()
        self._scheduler: BackgroundScheduler | None = None
        self._woken = threading.Event()
        self._stopping = threading.Event()
        self._running = False
        self._not_before = 0.0

    # -- one pass --------------------------------------------------------------------------------------------------

    def sync_once(self, *, push: bool = True, reload: bool = False) -> SyncResult:
        """One full pass under the data folder's file lock; a second agent meanwhile gets ``skipped``.

        ``reload`` pulls all master data again from the start of the feed (the outbox is left as it is);
        ``push=False`` leaves the outbox alone altogether (support: a reload without sending anything)."""
        with self._run_lock, SyncLock(sync_config.lock_path(self.ctx.data_dir)) as held:
            if not held:
                log.info("another agent is syncing this till; skipping this turn")
                result = SyncResult(skipped=True, pending=sync_state.pending(self.ctx))
            else:
                result = self._pass(push, reload)
        self.last_result = result
        return result

    def _pass(self, push: bool = True, reload: bool = False) -> SyncResult:
        result = SyncResult()
        self._skew_seen = None
        self._busy_waited = 0.0
        phase = "push"
        try:
            config = sync_config.load(self.ctx.data_dir)
            if config is None:
                raise NotEnrolled(_("This till is not enrolled with a server: run pos enrol"))
            state = sync_state.load(self.ctx)
            if state.needs_reenrol:   # refused before: say why again, without asking the server
                raise StillRefused(_("The server refused this till; enrol it again (pos enrol)"),
                                   code="needs_reenrol", refusal=state.last_error)
            client = self._client_of(config)
            if push:
                self._push(client, result)
                phase = "journal"   # the server re-verifies the journal (tamper evidence, issue 9)
                self._journal(client)
            phase = "pull"
            if reload:
                sync_state.reset_cursor(self.ctx)
            self._pull(client, result)
            phase = "sanity"
            if push:
                self._sanity(client, result)
        except SyncError as exc:
            self._failed(exc, phase, result)
        except Exception as exc:   # a bug must not kill the scheduler's thread: logged, reported, retried
            log.exception("sync pass failed")
            self._failed(SyncError(_("Sync failed: {why}").format(why=f"{type(exc).__name__}: {exc}"),
                                   code="sync_failed"), phase, result)
        else:
            self.backoff.reset()
            self._not_before = 0.0
            sync_state.record_attempt(self.ctx, ok=True, push_acked=sync_state.pending(self.ctx) == 0)
            result.ok = True
        finally:
            if self._skew_seen is not None:
                sync_state.record_clock(self.ctx, *self._skew_seen)
        result.pending = sync_state.pending(self.ctx)
        return result

    def _failed(self, exc: SyncError, phase: str, result: SyncResult) -> None:
        result.error = exc.to_json()
        result.needs_reenrol = exc.needs_reenrol
        if isinstance(exc, StillRefused):   # nothing new happened: report the server's own refusal again
            if exc.refusal:
                result.error = {k: v for k, v in exc.refusal.items() if k != "at"}
            return
        reached = isinstance(exc, Refused)   # the server answered, and said no
        if exc.transient:
            result.retry_in = self.backoff.next_delay(exc.retry_after)
            self._not_before = self.monotonic() + result.retry_in
        log.warning("sync %s failed: %s%s", phase, exc.message,
                    f" (next try in {result.retry_in:.1f} s)" if result.retry_in is not None else "")
        sync_state.record_attempt(self.ctx, ok=False, error=exc.to_json(), online=reached,
                                  needs_reenrol=True if exc.needs_reenrol else None,
                                  push_failed=phase == "push")

    def _client_of(self, config: sync_config.SyncConfig) -> SyncClient:
        if self._client is None or self._client_for != config:
            if self._client is not None:
                self._client.close()
            self._client = SyncClient(config.server, bearer=config.bearer, verify=config.verify,
                                      timeout=self.timeout)
            self._client_for = config
        return self._client

    def _seen(self, reply: dict[str, Any], result: SyncResult) -> None:
        """Every answer carries ``server_time``: keep it, and how far the till's clock is from it."""
        server_time = reply.get("server_time")
        if not isinstance(server_time, str):
            return
        result.server_time = server_time
        try:
            self._skew_seen = (sync_state.skew_seconds(server_time, self.clock.now()), server_time)
        except ValueError:
            log.warning("server time %r is not ISO 8601", server_time)

    # -- push ---------------------------------------------------------------------------------------------------------

    def _push(self, client: SyncClient, result: SyncResult) -> None:
        while not self._stopping.is_set():
            events = sync_state.unsent(self.ctx, self.batch)
            if not events:
                return
            first, last = events[0][0], events[-1][0]
            try:
                reply = client.push([text for _seq, text in events])
            except ServerBusy as exc:
                if not self._wait_in_pass(exc.retry_after):
                    raise
                continue
            except (TimedOut, TooLarge) as exc:
                if self.batch > 1:
                    self.batch = max(1, self.batch // 2)
                    log.info("push of %s events failed (%s); batches of %s from now on", len(events), exc.code,
                             self.batch)
                    if isinstance(exc, TooLarge):
                        continue   # the server answered at once: a smaller request can go now
                raise
            self._seen(reply, result)
            acked = int(reply["acked_through"])
            marked = sync_state.mark_sent(self.ctx, acked, last, result.server_time)
            result.pushed += marked
            if acked < first - 1 and sync_state.requeue_after(self.ctx, acked, first):
                continue   # the server lacks events it had acknowledged (restored from a backup): resend them
            if marked == 0:
                raise SyncError(_("The server stored the events but acknowledged only through {n}").format(
                    n=acked), code="not_acknowledged", acked_through=acked, first_sent=first)
            self.batch = min(self.max_batch, self.batch * 2)

    def _wait_in_pass(self, retry_after: float | None) -> bool:
        """A push answered 429 with a short ``Retry-After`` (the server's per-till rate limit while a long
        queue drains): wait that long and go on, within a budget per pass; otherwise the pass ends."""
        if retry_after is None or retry_after > BUSY_WAIT_SECONDS or self._stopping.is_set():
            return False
        if self._busy_waited + retry_after > BUSY_BUDGET_SECONDS:
            return False
        self._busy_waited += retry_after
        self.sleep(retry_after)
        return True

    def _journal(self, client: SyncClient) -> None:
        audit = self._audit_at is None or self.monotonic() - self._audit_at >= journal_sync.AUDIT_EVERY
        reply = journal_sync.send(self.ctx, client, audit=audit, known_through=self._journal_through)
        self._journal_through = reply.get("through") if reply.get("ok", True) else None
        if audit:
            self._audit_at = self.monotonic()

    # -- pull ---------------------------------------------------------------------------------------------------------

    def _pull(self, client: SyncClient, result: SyncResult) -> None:
        cursor = sync_state.load(self.ctx).cursor
        while not self._stopping.is_set():
            page = client.changes(cursor, self.page_size)
            self._seen(page, result)
            changes, next_cursor = page.get("changes") or [], str(page.get("next") or cursor)
            if changes or next_cursor != cursor:   # an idle pass takes no write lock from the sales
                result.pulled += apply_page(self.ctx, changes, next_cursor).count
            if not page.get("more") or (next_cursor == cursor and not changes):
                return
            cursor = next_cursor

    # -- sanity -------------------------------------------------------------------------------------------------------

    def _sanity(self, client: SyncClient, result: SyncResult, *, force: bool = False) -> None:
        """Compare this till's last 7 business dates with the server's view; queue a differing day again."""
        due = force or result.pushed > 0 or self._sanity_at is None or \
            self.monotonic() - self._sanity_at >= self.sanity_every
        if not due or sync_state.pending(self.ctx):
            return
        self._sanity_at = self.monotonic()
        state = sync_state.load(self.ctx)
        already = (state.sanity or {}).get("requeued", {})
        days = sync_state.recent_business_dates(self.ctx, SANITY_DAYS)
        mismatches: dict[str, Any] = {}
        for day in days:
            theirs = client.summary(day)
            self._seen(theirs, result)
            mine = sync_state.day_figures(self.ctx, day)
            differs = {key: {"till": value, "server": theirs.get(key)} for key, value in mine.items()
                       if theirs.get(key) != value}
            if not differs:
                continue
            mismatches[day] = differs
            if already.get(day) == differs:
                log.warning("sanity check: %s still differs from the server after a resend: %s", day, differs)
                continue
            result.requeued[day] = sync_state.requeue_day(self.ctx, day, differs)
        sync_state.record_sanity(self.ctx, days, mismatches)
        if result.requeued:
            self._push(client, result)

    # -- the schedule --------------------------------------------------------------------------------------------------

    def start(self, *, first_in: float = 0.0) -> None:
        """Run every ``interval`` seconds on a background thread (never the GUI's), the first in ``first_in``."""
        if self._scheduler is not None:
            return
        self._stopping.clear()
        scheduler = BackgroundScheduler(timezone=UTC)
        scheduler.add_job(self._tick, "interval", seconds=self.interval, id=JOB_ID, max_instances=1,
                          coalesce=True, misfire_grace_time=None,
                          next_run_time=_utcnow() + timedelta(seconds=first_in))
        scheduler.start()
        self._scheduler = scheduler

    def stop(self, wait: bool = True) -> None:
        """Stop the schedule; a pass under way finishes its current request and ends."""
        self._stopping.set()
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=wait)
        if self._client is not None:
            self._client.close()
            self._client = None

    def wake(self) -> None:
        """Sync soon (a sale was made): at once, or when the backoff after a failure allows."""
        self._woken.set()
        scheduler = self._scheduler
        if scheduler is None or self._running:
            return   # a pass under way goes round once more (see _tick)
        delay = max(0.0, self._not_before - self.monotonic())
        try:
            scheduler.modify_job(JOB_ID, next_run_time=_utcnow() + timedelta(seconds=delay))
        except Exception:  # noqa: BLE001 - the scheduler is shutting down
            log.debug("wake after stop ignored")

    def _tick(self) -> None:
        if self._stopping.is_set() or self.monotonic() < self._not_before:
            return
        self._running = True
        try:
            while True:
                self._woken.clear()
                result = self.sync_once()
                if result.retry_in is not None:
                    self._reschedule(result.retry_in)
                    return
                if not self._woken.is_set() or self._stopping.is_set() or not result.ok:
                    return
        finally:
            self._running = False

    def _reschedule(self, delay: float) -> None:
        scheduler = self._scheduler
        if scheduler is not None and not self._stopping.is_set():
            scheduler.modify_job(JOB_ID, next_run_time=_utcnow() + timedelta(seconds=delay))


def _utcnow() -> datetime:
    return datetime.now(UTC)
