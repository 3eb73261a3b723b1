"""A no-sale drawer opening: supervisors and above, or an approver; always in the journal and the outbox."""

from __future__ import annotations

import json
import sqlite3

import pytest

from pos_desktop.core.errors import InvalidInput, PermissionDenied
from pos_desktop.services import journal
from pos_desktop.services.drawer import record_no_sale


def rows(ctx, query, *params):
    conn = sqlite3.connect(ctx.db.path)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


def test_a_cashier_may_not_and_nothing_is_written(ctx, cashier):
    before = rows(ctx, "SELECT count(*) FROM journal")
    with pytest.raises(PermissionDenied):
        record_no_sale(ctx, cashier, reason="change for the bank")
    assert rows(ctx, "SELECT count(*) FROM journal") == before
    assert rows(ctx, "SELECT count(*) FROM outbox WHERE kind = 'drawer.no_sale'") == [(0,)]


def test_a_supervisor_may_and_it_is_journaled(ctx, supervisor):
    record = record_no_sale(ctx, supervisor, reason="  change for the bank ")
    assert record["user"] == "sam" and record["approver"] is None and record["reason"] == "change for the bank"
    [(entry,)] = rows(ctx, "SELECT entry FROM journal WHERE kind = 'no_sale' AND doc_id = ?", record["no_sale_id"])
    entry = json.loads(entry)
    assert entry["user"] == "sam" and entry["payload"]["reason"] == "change for the bank"
    [(payload, digest)] = rows(ctx, "SELECT payload, journal_hash FROM outbox WHERE kind = 'drawer.no_sale'")
    assert json.loads(payload)["no_sale_id"] == record["no_sale_id"]
    assert digest == rows(ctx, "SELECT hash FROM journal WHERE kind = 'no_sale'")[0][0]
    assert journal.verify(ctx).ok


def test_a_cashier_with_an_approver(ctx, cashier, manager):
    record = record_no_sale(ctx, cashier, reason="jammed coin", approver=manager)
    assert record["approver"] == "mia"
    [(entry,)] = rows(ctx, "SELECT entry FROM journal WHERE kind = 'no_sale'")
    assert json.loads(entry)["approver"] == "mia"


def test_a_reason_is_required(ctx, supervisor):
    with pytest.raises(InvalidInput) as caught:
        record_no_sale(ctx, supervisor, reason="   ")
    assert caught.value.code == "reason_required"
