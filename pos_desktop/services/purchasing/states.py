"""The states of a purchase order and the moves between them: ``next_status`` says where an action
leads from a state, or refuses it with a ``BadTransition`` naming the state.
"""

from __future__ import annotations

from ...core.errors import InvalidInput
from ...core.i18n import _

DRAFT, SENT, PARTLY, RECEIVED, CANCELLED = "draft", "sent", "partly_received", "received", "cancelled"
STATUSES = (DRAFT, SENT, PARTLY, RECEIVED, CANCELLED)
RECEIVABLE = (SENT, PARTLY)
# action → {state it may start from: state it leads to}
TRANSITIONS: dict[str, dict[str, str]] = {
    "send": {DRAFT: SENT},
    "cancel": {DRAFT: CANCELLED, SENT: CANCELLED},
    "close": {PARTLY: RECEIVED},
    "receive": {SENT: PARTLY, PARTLY: PARTLY},   # receiving then decides partly_received or received
}


class BadTransition(InvalidInput):
    """An order asked to do what its state does not allow (send a cancelled order, receive a draft, …)."""

    code = "bad_transition"


def status_name(status: str) -> str:
    names = {DRAFT: _("draft"), SENT: _("sent"), PARTLY: _("partly received"), RECEIVED: _("received"),
             CANCELLED: _("cancelled")}
    return names.get(status, status)


def next_status(po_no: str, status: str, action: str) -> str:
    """The state ``action`` leads to from ``status``, or BadTransition with a message for people."""
    target = TRANSITIONS[action].get(status)
    if target is not None:
        return target
    messages = {
        "send": _("Purchase order {po} is {status}; only a draft can be sent"),
        "cancel": _("Purchase order {po} is {status}; only a draft or sent order can be cancelled"),
        "close": _("Purchase order {po} is {status}; only a partly received order can be closed"),
        "receive": _("Purchase order {po} is {status}; goods can only be received against a sent order"),
    }
    codes = {DRAFT: "po_not_sent", CANCELLED: "po_cancelled", RECEIVED: "po_closed"}
    raise BadTransition(messages[action].format(po=po_no, status=status_name(status)),
                        code=codes.get(status, "bad_transition") if action == "receive" else "bad_transition",
                        status=status)
