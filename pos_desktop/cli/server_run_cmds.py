"""``pos server``: the central server's process (listening socket, workers, TLS, the handheld pages), and
the server database every ``pos server …`` command opens (``--db URL``, default ``server.db`` in the data
folder; a database that cannot be reached exits 7). Registered by ``server_cmds.register``; the server
package is imported only when a command runs.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import paths
from ..core.errors import InvalidInput, ServerError

SERVER_DB = "server.db"


# --- the database ------------------------------------------------------------------------------------------


def db_url(args: Any) -> str:
    url = getattr(args, "db", None) or os.environ.get("POS_SERVER_DB")
    if url:
        return url
    return f"sqlite:///{paths.data_dir(getattr(args, 'data_dir', None)) / SERVER_DB}"


@contextmanager
def open_db(args: Any) -> Iterator[Any]:
    """The server database, reachable and at the schema's head; ServerError (exit 7) if it cannot be."""
    from sqlalchemy.exc import DBAPIError

    from ..server import schema
    from ..server.db import Database, unreachable

    db = Database(db_url(args), pool_size=2)
    try:
        db.check()
        try:
            schema.upgrade(db)
            yield db
        except DBAPIError as exc:   # the database went away meanwhile (exit 7), or a real error
            try:
                db.check()
            except ServerError:
                raise unreachable(db.url, exc) from None
            raise
    finally:
        db.close()


def _now() -> datetime:
    return datetime.now(UTC)


# --- running the server ------------------------------------------------------------------------------------


def cmd_server(args: Any) -> int:
    """Run the server in the foreground until SIGINT/SIGTERM; prints ``pos server: listening on URL``."""
    from ..server.app import ServerSettings

    if args.workers < 1:
        raise InvalidInput("--workers must be 1 or more", code="bad_workers")
    if args.handheld_data and args.workers > 1:
        raise InvalidInput("--handheld-data runs in one process (its sign-ins are kept in memory); "
                           "leave out --workers", code="bad_workers")
    if bool(args.ssl_keyfile) != bool(args.ssl_certfile):
        raise InvalidInput("--ssl-keyfile and --ssl-certfile go together", code="bad_tls")
    logging.basicConfig(level=getattr(logging, args.log_level.upper()), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = ServerSettings(push_rate=args.push_rate, enrol_rate=args.enrol_rate)
    with open_db(args) as db:
        url = db.url
    floor = _handheld_floor(args.handheld_data) if args.handheld_data else None   # its errors before listening
    try:
        return _serve(args, url, settings, floor)
    finally:
        if floor is not None:
            floor.close()


def _serve(args: Any, url: str, settings: Any, floor: Any) -> int:
    import uvicorn

    from ..server.app import create_app

    sock = _listen(args.host, args.port)
    scheme = "https" if args.ssl_certfile else "http"
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    sys.stdout.write(json.dumps({"url": f"{scheme}://{shown}:{port}", "db": _safe(url)}) + "\n"
                     if getattr(args, "json", False) else f"pos server: listening on {scheme}://{shown}:{port}\n")
    sys.stdout.flush()
    common = {"log_level": args.log_level, "access_log": args.log_level == "debug", "proxy_headers": True,
              "ssl_keyfile": args.ssl_keyfile, "ssl_certfile": args.ssl_certfile, "timeout_graceful_shutdown": 10}
    if args.workers > 1:
        from uvicorn.supervisors import Multiprocess
        os.environ.update({"POS_SERVER_DB": url, "POS_SERVER_PUSH_RATE": str(args.push_rate),
                           "POS_SERVER_ENROL_RATE": str(args.enrol_rate)})
        config = uvicorn.Config("pos_desktop.server.app:app_from_env", factory=True, workers=args.workers, **common)
        Multiprocess(config, sockets=[sock]).run()
        return 0
    from ..server.db import Database
    idle = float(os.environ.get("POS_SERVER_HANDHELD_IDLE") or 0) or None
    config = uvicorn.Config(create_app(Database(url), settings, handheld=floor, handheld_idle=idle), **common)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


def _handheld_floor(folder: str) -> Any:
    """The store's back office for the handheld pages, printing shelf labels on its configured printer."""
    from ..devices import DeviceManager, text_job
    from ..services.handheld import StoreFloor

    data = Path(folder).expanduser()

    def print_lines(lines: list[str]) -> None:
        with DeviceManager.from_data_dir(data) as devices:
            devices.print_bytes(text_job(lines, devices.receipt_style()))
    return StoreFloor.open(data, print_lines)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)   # asyncio sets TCP_NODELAY only then
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServerError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}", code="cannot_listen") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)

