"""Writing planned events (``projection``'s second step): the rows of all the plans with one executemany per table,
each stock movement once (by id) with its stock levels, and the changes forwarded to other tills.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from . import catalog_write, changes
from .models import (
    Payment,
    Refund,
    ReturnLine,
    Sale,
    SaleLine,
    SaleReturn,
    SaleVoid,
    StockLevel,
    StockMovement,
)
from .projection_plan import Origin, Plan


# --- writing ---------------------------------------------------------------------------------------------------

TABLES = (("sales", Sale), ("sale_lines", SaleLine), ("payments", Payment), ("returns", SaleReturn),
          ("return_lines", ReturnLine), ("refunds", Refund), ("voids", SaleVoid))


def dialect_insert(session: Session, table: Any) -> Any:
    module = postgresql if changes.is_postgres(session) else sqlite
    return module.insert(table)


def write(session: Session, origin: Origin, plans: list[Plan]) -> None:
    """Insert the planned rows; movements once each (by id), their stock levels, and their changes."""
    for name, model in TABLES:
        rows = [row for p in plans for row in p.rows.get(name, ())]
        if rows:
            session.execute(insert(model.__table__), rows)
    changes.append(session, [row for p in plans for row in p.forwards], origin.at)
    moves = {row["id"]: (row, data) for p in plans for row, data in p.movements}
    if not moves:
        return
    table = StockMovement.__table__
    session.execute(dialect_insert(session, table).on_conflict_do_nothing(index_elements=["id"]),
                    [row for row, _data in moves.values()])
    # A movement stored before (by another event) keeps that event's id: only ours are new. (Read back
    # rather than RETURNING, for the reason in ingest._insert.)
    fresh: set[str] = set()
    for chunk in catalog_write.chunks(list(moves)):
        fresh.update(ident for ident, event_id in session.execute(
            select(table.c.id, table.c.event_id).where(table.c.id.in_(chunk))) if event_id == moves[ident][0]["event_id"])
    deltas: dict[tuple[str, str, str, str], list[Any]] = {}
    for ident in fresh:
        row = moves[ident][0]
        key = (row["store_id"], row["product_id"], row["location_id"], row["lot"] or "")
        entry = deltas.setdefault(key, [0, None])
        entry[0] += row["qty_milli"]
        entry[1] = row["expiry"] or entry[1]
    if deltas:
        levels = StockLevel.__table__
        upsert = dialect_insert(session, levels)
        upsert = upsert.on_conflict_do_update(
            index_elements=["store_id", "product_id", "location_id", "lot_key"],
            set_={"qty_milli": levels.c.qty_milli + upsert.excluded.qty_milli,
                  "expiry": func.coalesce(upsert.excluded.expiry, levels.c.expiry)})
        # Sorted, so two pushes touching the same levels lock them in the same order (no deadlock).
        session.execute(upsert, [{"store_id": s, "product_id": p, "location_id": loc, "lot_key": lot,
                                  "qty_milli": q, "expiry": e} for (s, p, loc, lot), (q, e) in sorted(deltas.items())])
    changes.append(session, [{"kind": "movement", "store_id": origin.store.id, "origin": origin.enrolment_id,
                              "data": data} for ident, (_row, data) in moves.items() if ident in fresh],
                   origin.at)
