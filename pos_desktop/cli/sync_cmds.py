"""``pos enrol``, ``pos sync --once``, ``pos sync status`` (and ``pos sync``: the agent in the foreground).

CLI.md [sync]: ``pos sync --once --json`` → ``{"pushed", "pulled", "pending", "server_time", "ok"}``, exit 7
with the error JSON when the server is unreachable or refuses; ``pos sync status --json`` → the status of
docs/sync-protocol.md. A second agent at work on the same data folder makes ``--once`` skip its turn
(``"skipped": true``, exit 0).
"""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from ..core.i18n import _
from ..sync import enrol as enrolment
from ..sync.agent import SyncAgent
from ..sync.status import read_status
from .common import open_ctx
from .output import emit, emit_error

EXIT_SERVER = 7


def register(commands: Any, command: Any) -> None:
    """Add ``pos enrol`` and ``pos sync …`` to the ``pos`` parser."""
    enrol = command("enrol", cmd_enrol, "enrol this till with the central server (one-time code)")
    enrol.add_argument("--server", required=True, help="the server's address, e.g. https://hq.example:8700")
    enrol.add_argument("--code", required=True, help="the one-time code from pos server admin enrol-code")
    enrol.add_argument("--ca-file", help="trust only this CA (PEM) for the server's certificate")
    sync = command("sync", cmd_sync, "sync with the central server (without --once: keep syncing)")
    sync.add_argument("--once", action="store_true", help="one pass: push, pull, check, then exit")
    sync.add_argument("--interval", type=float, default=15.0, help=argparse.SUPPRESS)
    sub = sync.add_subparsers(dest="sub")
    command("status", cmd_sync_status, "what the sync agent last did, and what waits", sub)


def cmd_enrol(args: Any) -> int:
    with open_ctx(args) as ctx:
        doc = enrolment.enrol(ctx, args.server, args.code, ca_file=args.ca_file)
    emit(args, doc, _("Enrolled with {server} as till {store}-{till}; unsent events from {seq} on will be "
                      "pushed").format(server=doc["server"], store=doc["store_code"], till=doc["till_code"],
                                       seq=doc["next_seq"]))
    return 0


def cmd_sync(args: Any) -> int:
    with open_ctx(args) as ctx:
        if not args.once:
            return _run_forever(ctx, args.interval)
        result = SyncAgent(ctx).sync_once()
    doc = result.to_json()
    if result.error is not None:
        emit_error(bool(getattr(args, "json", False)), doc)
        return EXIT_SERVER
    emit(args, doc, _("Pushed {pushed}, pulled {pulled}, {pending} waiting{skipped}").format(
        pushed=result.pushed, pulled=result.pulled, pending=result.pending,
        skipped=_(" (another sync was under way: skipped)") if result.skipped else ""))
    return 0


def cmd_sync_status(args: Any) -> int:
    with open_ctx(args) as ctx:
        status = read_status(ctx)
    doc = status.to_json()
    lines = [_("Server: {server}").format(server=status.server or _("not enrolled")),
             _("Online: {online}").format(online=_("yes") if status.online else _("no")),
             _("Waiting to be sent: {n}").format(n=status.pending),
             _("Last sync: {at}").format(at=status.last_sync or _("never")),
             _("Synced: {synced}").format(synced=_("yes") if status.synced else _("no"))]
    if status.needs_reenrol:
        lines.append(_("The server refused this till: enrol it again"))
    if status.last_error:
        lines.append(_("Last error: {message}").format(message=status.last_error.get("message")))
    if status.clock_off:
        lines.append(_("The till's clock is {seconds} s off the server's").format(
            seconds=status.clock_skew_seconds))
    emit(args, doc, lines)
    return 0


def _run_forever(ctx, interval: float) -> int:  # type: ignore[no-untyped-def]
    """The agent in the foreground (a till without the window): until Ctrl+C or SIGTERM."""
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_a: done.set())
    agent = SyncAgent(ctx, interval=interval)
    agent.start()
    try:
        done.wait()
    finally:
        agent.stop()
    return 0
