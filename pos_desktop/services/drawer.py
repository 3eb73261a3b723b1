"""Opening the cash drawer without a sale ("no sale"): allowed to supervisors and above, always journaled.

The service records the opening; the device glue kicks the drawer afterwards (services never touch hardware),
so there is never an unrecorded opening: at worst a recorded one whose kick failed.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.ids import new_id
from ..core.permissions import Action
from .auth import Operator, require
from .context import Context
from .unit import write

MAX_REASON = 200


def record_no_sale(ctx: Context, operator: Operator, *, reason: str,
                   approver: Operator | None = None) -> dict[str, Any]:
    """Record a no-sale drawer opening (``drawer.no_sale``: supervisor, manager, admin, or an approver).

    ``reason`` is required. One transaction: a journal entry of kind ``no_sale`` and the outbox event
    ``drawer.no_sale``. Returns ``{"no_sale_id", "at", "user", "approver", "reason", "till"}``.
    """
    approved = require(operator, Action.NO_SALE, approver)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Opening the drawer without a sale needs a reason"), code="reason_required")
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("The reason is longer than {n} characters").format(n=MAX_REASON), code="reason_too_long")
    no_sale_id = new_id()
    with write(ctx) as unit:
        payload = {"reason": reason, "till": ctx.till.till_code, "user_id": operator.id,
                   "approver_id": approved.id if approved else None}
        digest = unit.journal("no_sale", no_sale_id, payload, user=operator.username,
                              approver=approved.username if approved else None)
        unit.outbox("drawer.no_sale", {"no_sale_id": no_sale_id, "at": unit.at, **payload}, digest)
        at = unit.at
    return {"no_sale_id": no_sale_id, "at": at, "user": operator.username,
            "approver": approved.username if approved else None, "reason": reason, "till": ctx.till.till_code}
