from decimal import Decimal as D

import pytest

from pos_desktop.core.errors import InvalidInput
from pos_desktop.core.ids import new_ids, parse_receipt_number, receipt_number
from pos_desktop.core.journal import GENESIS, StoredEntry, canonical_json, entry_hash, verify_chain
from pos_desktop.core.permissions import Action, Role, allowed, parse_role


def _chain(n):
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        entry = {"seq": seq, "kind": "sale", "payload": {"total": seq, "name": "可乐"}}
        digest = entry_hash(prev, entry)
        rows.append(StoredEntry(seq, entry, prev, digest))
        prev = digest
    return rows


def test_canonical_json_is_stable_and_keeps_chinese():
    assert canonical_json({"b": 1, "a": "可乐", "d": D("1.50")}) == '{"a":"可乐","b":1,"d":"1.50"}'


def test_an_intact_chain_verifies():
    assert verify_chain(_chain(5)).ok


def test_edit_delete_and_reorder_are_named():
    rows = _chain(5)
    edited = rows[:2] + [StoredEntry(3, {**rows[2].entry, "payload": {"total": 999}}, rows[2].prev_hash,
                                     rows[2].hash)] + rows[3:]
    assert verify_chain(edited).first_bad_entry == 3
    assert verify_chain(rows[:2] + rows[3:]).first_bad_entry == 3
    assert verify_chain([rows[0], rows[2], rows[1]] + rows[3:]).first_bad_entry == 2


def test_receipt_numbers_and_ids():
    assert receipt_number("S01", "T02", 123) == "S01-T02-000123"
    assert parse_receipt_number("s01-t02-000123") == ("S01", "T02", 123)
    with pytest.raises(InvalidInput, match="not a receipt number"):
        parse_receipt_number("123")
    ids = new_ids(1000)
    assert len(set(ids)) == 1000 and ids == sorted(ids)


def test_permission_matrix_shape():
    assert allowed(Role.CASHIER, Action.SELL) and not allowed(Role.CASHIER, Action.PRICE_OVERRIDE)
    assert allowed(Role.SUPERVISOR, Action.VOID_SALE) and not allowed(Role.SUPERVISOR, Action.STOCK_ADJUST)
    assert allowed(Role.MANAGER, Action.STOCK_ADJUST) and not allowed(Role.MANAGER, Action.USER_MANAGE)
    assert not allowed(Role.STOCK_CLERK, Action.SELL) and allowed(Role.STOCK_CLERK, Action.STOCK_COUNT)
    assert all(allowed(Role.ADMIN, action) for action in Action)
    with pytest.raises(InvalidInput, match="Unknown role"):
        parse_role("boss")
