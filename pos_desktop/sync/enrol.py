"""Enrolment: a one-time code from head office becomes this till's enrolment id and secret (``sync.json``)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..services import sync_state
from ..services.context import Context
from . import config as sync_config
from .client import TIMEOUT, BadReply, SyncClient

log = logging.getLogger(__name__)


def check_server_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(_("The server must be an http:// or https:// address, not {url!r}").format(url=url),
                           code="bad_server_url")
    return url.strip().rstrip("/")


def enrol(ctx: Context, server: str, code: str, *, ca_file: str | None = None,
          timeout: tuple[float, float] = TIMEOUT) -> dict[str, Any]:
    """Enrol this till: ``POST /enrol`` with the code, this till's id and codes and ``next_seq`` (the oldest
    unsent event, else the next one), then store ``sync.json`` (0600) and start the sync state afresh.

    A refusal (a spent, expired or foreign code: 403) or an unreachable server raises a ``SyncError``
    (exit 7) and leaves any earlier enrolment as it was. The secret is written to ``sync.json`` only.
    """
    server = check_server_url(server)
    if ca_file is not None:
        path = Path(ca_file).expanduser().resolve()
        if not path.is_file():
            raise InvalidInput(_("No CA file at {path}").format(path=path), code="bad_ca_file")
        ca_file = str(path)
    next_seq = sync_state.next_seq(ctx)
    client = SyncClient(server, verify=ca_file or True, timeout=timeout)
    try:
        reply = client.enrol({"code": code, "till_uuid": ctx.till.till_id, "store_code": ctx.till.store_code,
                              "till_code": ctx.till.till_code, "next_seq": next_seq})
    finally:
        client.close()
    try:
        config = sync_config.SyncConfig(server, str(reply["enrolment_id"]), str(reply["secret"]), ca_file)
    except KeyError:
        raise BadReply(_("The server's enrolment answer lacks the enrolment id or the secret")) from None
    sync_config.save(ctx.data_dir, config)
    sync_state.record_enrolment(ctx, next_seq)
    log.info("enrolled with %s as %s (store %s, till %s, next_seq %s)", server, config.enrolment_id,
             ctx.till.store_code, ctx.till.till_code, next_seq)
    return {"enrolled": True, "server": server, "enrolment_id": config.enrolment_id,
            "store_code": reply.get("store_code", ctx.till.store_code),
            "till_code": reply.get("till_code", ctx.till.till_code), "next_seq": next_seq,
            "ca_file": ca_file, "server_time": reply.get("server_time")}
