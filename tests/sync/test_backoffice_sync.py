"""Back-office documents travel like sales: counts and transfers reach the server's stock and the other tills,
and a transfer between two stores arrives at the other store through the server."""

from __future__ import annotations

from decimal import Decimal as D

from pos_desktop.services import counts, transfers
from tests.sync.harness import ServerProcess, Till


def test_a_count_on_one_till_moves_stock_everywhere(tills):
    first, second = tills("T01"), tills("T02")
    first.adjust("COLA", "FLOOR", 10)
    count = counts.start_count(first.ctx, first.admin, location="FLOOR")
    counts.record_count(first.ctx, first.admin, count.id, sku="COLA", qty=D(7))
    counts.finish_count(first.ctx, first.admin, count.id)
    counts.approve_count(first.ctx, first.admin, count.id)
    first.drain()
    second.drain()
    assert first.stock()[("COLA", "FLOOR", None)] == "7.000"
    assert second.stock()[("COLA", "FLOOR", None)] == "7.000"           # the count's movement came down
    assert tills.server.stock(tills.store)[("COLA", "FLOOR", None)] == "7.000"
    assert tills.server.event_errors(tills.store) == []


def test_a_transfer_to_another_store_arrives_through_the_server(server: ServerProcess, tmp_path):
    store_a, store_b = server.new_store("甲店 Store A"), server.new_store("乙店 Store B")
    a = Till.create(tmp_path / "a", store_a, "T01")
    b = Till.create(tmp_path / "b", store_b, "T01")
    try:
        a.enrol(server.url, server.enrol_code(store_a, "T01"))
        b.enrol(server.url, server.enrol_code(store_b, "T01"))
        a.drain()
        b.drain()
        a.adjust("SOAP", "BACK", 12)
        sent = transfers.create_transfer(a.ctx, a.admin, from_location="BACK", to=f"{store_b}:FLOOR",
                                         lines=[transfers.LineInput(D(5), sku="SOAP")])
        transfers.ship_transfer(a.ctx, a.admin, sent.id)
        a.drain()
        b.drain()
        incoming = [t for t in transfers.list_transfers(b.ctx) if t.number == sent.number]
        assert [(t.direction, t.status) for t in incoming] == [("incoming", "shipped")]
        transfers.receive_transfer(b.ctx, b.admin, incoming[0].id)
        b.drain()
        a.drain()
        assert b.stock()[("SOAP", "FLOOR", None)] == "5.000"
        assert a.stock()[("SOAP", "BACK", None)] == "7.000"
        assert ("SOAP", "TRANSIT", None) not in a.stock()                # the sender's goods in transit settled
        assert server.stock(store_b)[("SOAP", "FLOOR", None)] == "5.000"
        assert server.event_errors(store_a) == [] and server.event_errors(store_b) == []
    finally:
        a.close()
        b.close()
