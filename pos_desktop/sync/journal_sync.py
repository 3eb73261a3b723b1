"""The journal phase of a sync pass: send the till's journal to the server to be re-verified
(``server/journal_check.py``, docs/security.md).

New entries go with their content, 500 a request; entries the server holds already are audited by a window
of up to 500 check values, at most every ``AUDIT_EVERY`` seconds (a journal of more than 500 entries is
audited by windows placed at random, so that over the days every entry is checked again). The server answers
``ok: false`` when the chain does not fit; the till goes on selling, and head office has the alert.
"""

from __future__ import annotations

import logging
import random
from typing import Any

from ..services import journal
from ..services.context import Context
from .client import Refused, SyncClient

log = logging.getLogger(__name__)
BATCH = 500
AUDIT_WINDOW = 500
AUDIT_EVERY = 600.0
MAX_REQUESTS = 20


def send(ctx: Context, client: SyncClient, *, audit: bool, known_through: int | None = None,
         rng: random.Random | None = None) -> dict[str, Any]:
    """Bring the server's copy of the journal up to date; returns the server's last verdict. With
    ``known_through`` (the server's answer of the previous pass), an idle pass asks the server nothing."""
    if not audit and known_through is not None and journal.last_seq(ctx) <= known_through:
        return {"ok": True, "through": known_through}
    try:
        reply = client.journal_head()
    except Refused as exc:
        if exc.details.get("status") == 404:   # an older server
            log.info("the server does not verify journals yet")
            return {"ok": True, "through": None}
        raise
    through = int(reply["through"])
    body: dict[str, Any] = {"entries": journal.entries_after(ctx, through, BATCH)}
    if audit and through > 0:
        start = 1 if through <= AUDIT_WINDOW else (rng or random).randint(1, through - AUDIT_WINDOW + 1)
        end = min(through, start + AUDIT_WINDOW - 1)
        body["audit"] = {"from": start, "to": end, "checks": journal.audit_checks(ctx, start, end)}
    for _request in range(MAX_REQUESTS):
        if not body["entries"] and "audit" not in body:
            return reply
        reply = client.journal(body)
        if not reply.get("ok", True):
            log.warning("the server found this till's journal broken at entry %s: %s",
                        reply.get("first_bad_entry"), reply.get("reason"))
            return reply
        if int(reply["through"]) <= through:   # nothing more went in
            return reply
        through = int(reply["through"])
        body = {"entries": journal.entries_after(ctx, through, BATCH)}
    return reply
