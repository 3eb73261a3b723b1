"""Transfers within a store and between two stores (two real till databases, the events carried by hand as the
server will forward them)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest

from pos_desktop.core.clock import FixedClock
from pos_desktop.core.errors import InvalidInput, NotFound, PermissionDenied
from pos_desktop.services import auth, till, transfers
from pos_desktop.services.products import upsert_products
from pos_desktop.services.transfers import LineInput, Received
from pos_desktop.services.unit import write
from tests.backoffice.helpers import ledger_agrees, on_hand, outbox, rows, stock_in
from tests.conftest import CATALOG, COLA_6, T0


@pytest.fixture
def ken(ctx):
    return auth.login(ctx, "ken", "4444")


@pytest.fixture
def milk(ctx):
    stock_in(ctx, "MILK", "BACK", 5, lot="L0", expiry="2026-11-15")       # expired before T0 (2026-11-20)
    stock_in(ctx, "MILK", "BACK", 10, lot="L1", expiry="2026-11-25")
    stock_in(ctx, "MILK", "BACK", 10, lot="L2", expiry="2026-12-25")
    stock_in(ctx, "COLA", "BACK", 24)
    return ctx


@pytest.fixture
def other_store(tmp_path):
    """Store S02: its own till database with the same catalog (head office's master data)."""
    ctx = till.init_till(tmp_path / "s02", store_code="S02", store_name="二店 Second Store", till_code="T01",
                         admin_user="admin", admin_pin="1234", clock=FixedClock(T0 + timedelta(hours=3)))
    with write(ctx) as unit:
        upsert_products(unit, CATALOG, 2)
    yield ctx
    ctx.close()


def test_within_the_store_first_expiry_first_out(milk, ken):
    draft = transfers.create_transfer(milk, ken, from_location="BACK", to="FLOOR",
                                      lines=[LineInput(D(12), sku="MILK"), LineInput(D(2), barcode=COLA_6)])
    assert draft.status == "draft" and draft.number == "S01-T01-T000001"
    picks = [(p.lot, p.qty) for p in draft.lines[0].picks]
    assert picks == [("L1", D(10)), ("L2", D(2))]                           # L0 has expired: never suggested
    assert (draft.lines[1].sku, draft.lines[1].qty) == ("COLA", D(12))      # two six-packs
    assert on_hand(milk, "MILK", "BACK") == D(25)                           # a draft moves nothing
    shipped = transfers.ship_transfer(milk, ken, draft.id)
    assert [(ln.sku, ln.lot, ln.qty) for ln in shipped.lines] == [
        ("MILK", "L1", D(10)), ("MILK", "L2", D(2)), ("COLA", None, D(12))]
    assert (on_hand(milk, "MILK", "TRANSIT"), on_hand(milk, "COLA", "TRANSIT")) == (D(12), D(12))
    assert on_hand(milk, "MILK", "BACK") == D(13)
    received = transfers.receive_transfer(milk, ken, draft.id)
    assert received.status == "received"
    assert (on_hand(milk, "MILK", "FLOOR", "L1"), on_hand(milk, "MILK", "FLOOR", "L2")) == (D(10), D(2))
    assert on_hand(milk, "MILK", "TRANSIT") == D(0) and on_hand(milk, "COLA", "FLOOR") == D(12)
    assert ledger_agrees(milk)
    kinds = [k for (k,) in rows(milk, "SELECT kind FROM outbox WHERE kind LIKE 'transfer.%' ORDER BY till_seq")]
    assert kinds == ["transfer.shipped", "transfer.received"]


def test_receiving_with_short_damaged_and_over(milk, ken):
    draft = transfers.create_transfer(milk, ken, from_location="BACK", to="FLOOR",
                                      lines=[LineInput(D(10), sku="COLA"), LineInput(D(4), sku="MILK", lot="L2")])
    transfers.ship_transfer(milk, ken, draft.id)
    done = transfers.receive_transfer(milk, ken, draft.id, [
        Received(D(7), D(1), sku="COLA", reason="one crushed, two missing"),
        Received(D(5), line_no=2, reason="one more in the crate"),
        Received(D(1), sku="CHIPS", reason="not on the list")])
    lines = {ln.sku: ln for ln in done.lines}
    assert (lines["COLA"].short, lines["COLA"].damaged, lines["COLA"].reason) == (D(2), D(1),
                                                                               "one crushed, two missing")
    assert (lines["MILK"].over, lines["CHIPS"].over, lines["CHIPS"].qty) == (D(1), D(1), D(0))
    assert on_hand(milk, "COLA", "FLOOR") == D(7) and on_hand(milk, "COLA", "QUAR") == D(1)
    assert on_hand(milk, "COLA", "TRANSIT") == D(0) and on_hand(milk, "MILK", "FLOOR", "L2") == D(5)
    assert on_hand(milk, "CHIPS", "FLOOR") == D(1)
    reasons = dict(rows(milk, "SELECT reason, sum(qty_milli) FROM stock_movements WHERE doc_type = 'transfer' "
                              "AND reason IN ('transfer_short', 'transfer_over', 'damaged') GROUP BY reason"))
    assert reasons == {"transfer_short": -2000, "transfer_over": 2000, "damaged": 1000}
    (event,) = outbox(milk, "transfer.received")
    cola = next(ln for ln in event["lines"] if ln["sku"] == "COLA")
    assert (cola["short_milli"], cola["damaged_milli"], cola["received_milli"]) == (2000, 1000, 7000)
    assert ledger_agrees(milk)


def test_shipping_more_than_on_hand_is_refused_and_nothing_moves(milk, ken):
    draft = transfers.create_transfer(milk, ken, from_location="BACK", to="FLOOR",
                                      lines=[LineInput(D(30), sku="COLA"), LineInput(D(30), sku="MILK"),
                                             LineInput(D(1), sku="CHIPS")])
    before = rows(milk, "SELECT count(*) FROM stock_movements")
    with pytest.raises(InvalidInput) as short:
        transfers.ship_transfer(milk, ken, draft.id)
    assert short.value.code == "insufficient_stock"
    assert "COLA: 30.000 asked, 24.000 on hand at BACK" in short.value.message
    assert "MILK: 30.000 asked, 20.000 on hand at BACK" in short.value.message      # the expired lot not counted
    assert "CHIPS: 1.000 asked, 0.000 on hand" in short.value.message
    assert rows(milk, "SELECT count(*) FROM stock_movements") == before
    assert transfers.get_transfer(milk, draft.id).status == "draft"


def test_expired_lots_go_first_when_moving_to_quarantine(milk, ken):
    draft = transfers.create_transfer(milk, ken, from_location="BACK", to="QUAR", lines=[LineInput(D(5), sku="MILK")])
    assert [(p.lot, p.qty) for p in draft.lines[0].picks] == [("L0", D(5))]
    transfers.ship_transfer(milk, ken, draft.id)
    transfers.receive_transfer(milk, ken, draft.id)
    assert on_hand(milk, "MILK", "QUAR", "L0") == D(5)


def test_a_named_lot_is_shipped_as_named(milk, ken):
    draft = transfers.create_transfer(milk, ken, from_location="BACK", to="FLOOR",
                                      lines=[LineInput(D(3), sku="MILK", lot="L2")])
    transfers.ship_transfer(milk, ken, draft.id)
    assert on_hand(milk, "MILK", "BACK", "L2") == D(7) and on_hand(milk, "MILK", "BACK", "L1") == D(10)


def test_fefo_suggestion(milk):
    picks, short = transfers.fefo_pick(milk, sku="MILK", location="BACK", qty=D(25))
    assert [(p.lot, p.qty, p.expired) for p in picks] == [
        ("L1", D(10), False), ("L2", D(10), False), ("L0", D(5), True)]
    assert short == D(5)


def test_steps_out_of_order_and_bad_input(milk, ken, cashier):
    with pytest.raises(PermissionDenied):
        transfers.create_transfer(milk, cashier, from_location="BACK", to="FLOOR", lines=[LineInput(D(1), sku="COLA")])
    for kwargs, code in [({"to": "BACK"}, "same_location"), ({"to": "TRANSIT"}, "bad_location"),
                         ({"to": "NOWHERE"}, "unknown_location"), ({"lines": []}, "empty_transfer"),
                         ({"lines": [LineInput(D(0), sku="COLA")]}, "bad_qty"),
                         ({"lines": [LineInput(D(1), sku="NOPE")]}, "unknown_product")]:
        args = {"from_location": "BACK", "to": "FLOOR", "lines": [LineInput(D(1), sku="COLA")], **kwargs}
        with pytest.raises(InvalidInput) as bad:
            transfers.create_transfer(milk, ken, **args)
        assert bad.value.code == code, kwargs
    draft = transfers.create_transfer(milk, ken, from_location="BACK", to="FLOOR", lines=[LineInput(D(1), sku="COLA")])
    with pytest.raises(InvalidInput) as early:
        transfers.receive_transfer(milk, ken, draft.id)
    assert early.value.code == "bad_transfer_state"
    transfers.ship_transfer(milk, ken, draft.id)
    with pytest.raises(InvalidInput):
        transfers.cancel_transfer(milk, ken, draft.id)
    with pytest.raises(NotFound) as line:
        transfers.receive_transfer(milk, ken, draft.id, [Received(D(1), line_no=9)])
    assert line.value.code == "unknown_line"
    transfers.receive_transfer(milk, ken, draft.number)                     # by its number, too
    with pytest.raises(InvalidInput) as twice:
        transfers.receive_transfer(milk, ken, draft.id)
    assert twice.value.code == "already_received"
    other = transfers.create_transfer(milk, ken, from_location="BACK", to="FLOOR", lines=[LineInput(D(1), sku="COLA")])
    assert transfers.cancel_transfer(milk, ken, other.id).status == "cancelled"
    assert [t.status for t in transfers.list_transfers(milk)] == ["cancelled", "received"]


# ------------------------------------------------------------------------------------------- two stores


def test_between_two_stores_through_the_events(milk, ken, other_store):
    s02_admin = auth.login(other_store, "admin", "1234")
    draft = transfers.create_transfer(milk, ken, from_location="BACK", to="S02:BACK",
                                      lines=[LineInput(D(6), sku="MILK"), LineInput(D(12), sku="COLA")])
    assert (draft.direction, draft.to_store) == ("outgoing", "S02")
    transfers.ship_transfer(milk, ken, draft.id)
    assert on_hand(milk, "MILK", "TRANSIT") == D(6) and on_hand(milk, "COLA", "BACK") == D(12)
    with pytest.raises(InvalidInput) as not_here:
        transfers.receive_transfer(milk, ken, draft.id)
    assert not_here.value.code == "not_for_this_store"

    (shipped,) = outbox(milk, "transfer.shipped")
    assert {k: shipped[k] for k in ("from_store", "from_location", "to_store", "to_location", "number")} == {
        "from_store": "S01", "from_location": "BACK", "to_store": "S02", "to_location": "BACK",
        "number": draft.number}
    assert [(ln["sku"], ln["lot"], ln["expiry"], ln["qty_milli"]) for ln in shipped["lines"]] == [
        ("MILK", "L1", "2026-11-25", 6000), ("COLA", None, None, 12000)]

    incoming = transfers.receive_remote_shipment(other_store, shipped)
    again = transfers.receive_remote_shipment(other_store, shipped)          # the feed may deliver it twice
    assert (incoming.id, incoming.direction, incoming.status) == (draft.id, "incoming", "shipped")
    assert again == incoming and rows(other_store, "SELECT count(*) FROM transfers") == [(1,)]
    assert on_hand(other_store, "MILK", "BACK") == D(0)                      # nothing here until received

    transfers.receive_transfer(other_store, s02_admin, draft.id, [Received(D(10), D(1), sku="COLA")])
    assert on_hand(other_store, "MILK", "BACK", "L1") == D(6)
    assert rows(other_store, "SELECT expiry FROM batches WHERE lot = 'L1'") == [("2026-11-25",)]
    assert on_hand(other_store, "COLA", "BACK") == D(10) and on_hand(other_store, "COLA", "QUAR") == D(1)
    assert rows(other_store, "SELECT count(*) FROM locations WHERE code = 'TRANSIT'") == [(0,)]  # S01's transit
    (received,) = outbox(other_store, "transfer.received")

    settled = transfers.settle_remote_receipt(milk, received)
    assert settled.status == "received" and transfers.settle_remote_receipt(milk, received) == settled
    assert on_hand(milk, "MILK", "TRANSIT") == D(0) and on_hand(milk, "COLA", "TRANSIT") == D(0)
    moves = dict(rows(milk, "SELECT reason, sum(qty_milli) FROM stock_movements WHERE doc_id = ? AND location_id = "
                            "(SELECT id FROM locations WHERE code = 'TRANSIT') AND qty_milli < 0 GROUP BY reason",
                      draft.id))
    assert moves == {"delivered": -17000, "transfer_short": -1000}
    (event,) = outbox(milk, "transfer.settled")
    assert sum(m["qty_milli"] for m in event["movements"]) == -18000
    assert ledger_agrees(milk) and ledger_agrees(other_store)
    assert transfers.settle_remote_receipt(other_store, received).status == "received"   # its own: no change


def test_a_shipment_for_another_store_or_unknown_goods_is_refused(milk, ken, other_store):
    draft = transfers.create_transfer(milk, ken, from_location="BACK", to="S03:BACK", lines=[LineInput(D(1), sku="COLA")])
    transfers.ship_transfer(milk, ken, draft.id)
    (shipped,) = outbox(milk, "transfer.shipped")
    with pytest.raises(InvalidInput) as elsewhere:
        transfers.receive_remote_shipment(other_store, shipped)
    assert elsewhere.value.code == "not_for_this_store"
    with pytest.raises(NotFound):
        transfers.receive_remote_shipment(other_store, {**shipped, "to_store": "S02", "lines": [
            {"line_no": 1, "sku": "GHOST", "lot": None, "expiry": None, "qty_milli": 1000}]})
    assert rows(other_store, "SELECT count(*) FROM transfers") == [(0,)]
    assert transfers.settle_remote_receipt(other_store, {"transfer_id": "unknown", "lines": []}) is None


# ---------------------------------------------------------------------------------------------- locations


def test_locations(ctx, admin, manager):
    assert [loc["code"] for loc in transfers.list_locations(ctx)] == ["BACK", "FLOOR"]
    made = transfers.add_location(ctx, admin, code="wh1", name="仓库一 Warehouse 1", kind="warehouse")
    assert made == {"code": "WH1", "name": "仓库一 Warehouse 1", "kind": "warehouse"}
    with pytest.raises(InvalidInput) as twice:
        transfers.add_location(ctx, admin, code="WH1", name="again")
    assert twice.value.code == "duplicate_location"
    with pytest.raises(PermissionDenied):
        transfers.add_location(ctx, manager, code="WH2", name="Warehouse 2")
    assert [e["code"] for e in outbox(ctx, "location.created")] == ["WH1"]
