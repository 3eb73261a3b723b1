"""The store's locations, where stock is kept: listing them and adding one (``settings.edit``)."""

from __future__ import annotations

from ...core.errors import InvalidInput
from ...core.i18n import _
from ...core.ids import check_code, new_id
from ...core.permissions import Action
from ...store import sql
from ..auth import Operator, require
from ..context import Context
from ..unit import write

LOCATION_KINDS = ("floor", "storage", "warehouse")


def list_locations(ctx: Context) -> list[dict[str, str]]:
    """The store's locations: FLOOR, BACK, any warehouse, and TRANSIT/QUAR once used."""
    with ctx.db.read() as session:
        return [{"code": c, "name": n, "kind": k} for c, n, k in sql.rows(
            sql.dbapi(session.connection()), "SELECT code, name, kind FROM locations ORDER BY code")]


def add_location(ctx: Context, operator: Operator, *, code: str, name: str, kind: str = "storage",
                 approver: Operator | None = None) -> dict[str, str]:
    """A new place for stock (``settings.edit``): kind floor, storage or warehouse. TRANSIT and QUAR are made
    when first needed. One transaction with a journal entry and the ``location.created`` event."""
    approved = require(operator, Action.SETTINGS, approver)
    code = check_code(code, _("Location code"))
    if kind not in LOCATION_KINDS:
        raise InvalidInput(_("The kind of a location is one of {kinds}").format(kinds=", ".join(LOCATION_KINDS)),
                           code="bad_kind")
    if not name.strip():
        raise InvalidInput(_("The location needs a name"), code="bad_name")
    with write(ctx) as unit:
        if sql.scalar(unit.conn, "SELECT 1 FROM locations WHERE code = ?", code):
            raise InvalidInput(_("There is already a location {code}").format(code=code), code="duplicate_location")
        row = {"id": new_id(), "store_id": ctx.till.store_id, "code": code, "name": name.strip(), "kind": kind}
        unit.insert("locations", row)
        digest = unit.journal("location_added", row["id"], {"code": code, "kind": kind}, user=operator.username,
                              approver=approved.username if approved else None)
        unit.outbox("location.created", {"store": ctx.till.store_code, "code": code, "name": row["name"],
                                         "kind": kind}, digest)
    return {"code": code, "name": row["name"], "kind": kind}
