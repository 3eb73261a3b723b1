"""Applying pulled pages on a real till database: idempotent, one transaction with the cursor, never stuck.

These feed ``apply_page`` the page shapes of docs/sync-protocol.md directly; the same code runs against the
real server in the other tests of this folder.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from pos_desktop.core.ids import new_id
from pos_desktop.services import stock, sync_state
from pos_desktop.services.sync_apply import apply_page


def product(sku, name="Thing", price="1.00", **extra):
    data = {"sku": sku, "name": name, "unit": "pcs", "category": None, "supplier": None, "tax_rate": "0.13",
            "price": price, "member_price": None, "cost": None, "barcodes": [], "plu": None, "is_weighed": False,
            "track_batches": False, "track_expiry": False, "variant_of": None, "attributes": {}, "active": True}
    data.update(extra)
    return {"cursor": "x", "kind": "product", "data": data}


def movement(sku="COLA", qty=-1000, location="FLOOR", lot=None, move_id=None):
    return {"cursor": "x", "kind": "movement", "data": {
        "id": move_id or new_id(), "sku": sku, "location": location, "lot": lot, "expiry": None,
        "qty_milli": qty, "reason": "sale", "doc_type": "sale", "doc_id": new_id(),
        "created_at": "2026-11-20T10:00:00+08:00", "unit_cost_minor": 210, "till_id": new_id()}}


def db(ctx):
    return sqlite3.connect(ctx.db.path)


def on_hand(ctx, sku, location=None):
    conn = db(ctx)
    query = ("SELECT coalesce(sum(sl.qty_milli), 0) FROM stock_levels sl JOIN products p ON p.id = sl.product_id "
             "JOIN locations l ON l.id = sl.location_id WHERE p.sku = ?")
    args = [sku]
    if location:
        query += " AND l.code = ?"
        args.append(location)
    value = conn.execute(query, args).fetchone()[0]
    ledger = conn.execute("SELECT coalesce(sum(m.qty_milli), 0) FROM stock_movements m JOIN products p "
                          "ON p.id = m.product_id JOIN locations l ON l.id = m.location_id WHERE p.sku = ?"
                          + (" AND l.code = ?" if location else ""), args).fetchone()[0]
    conn.close()
    assert value == ledger, "the cached level must equal the ledger"
    return value


def test_products_go_in_with_barcodes_and_prices_and_the_cursor(ctx):
    report = apply_page(ctx, [product("TEA", "绿茶 Green tea", "4.20", barcodes=[{"code": "6900000000017",
                                                                                   "pack_qty": "1"}],
                                      category="饮料 Drinks", member_price="3.90", cost="2.00")], "c1")
    assert report.count == 1 and not report.skipped
    conn = db(ctx)
    row = conn.execute("SELECT p.name, b.code, pv.price_minor, pv.member_price_minor, c.name FROM products p "
                       "JOIN barcodes b ON b.product_id = p.id JOIN price_versions pv ON pv.product_id = p.id "
                       "JOIN categories c ON c.id = p.category_id WHERE p.sku = 'TEA'").fetchall()
    assert row == [("绿茶 Green tea", "6900000000017", 420, 390, "饮料 Drinks")]
    assert sync_state.load(ctx).cursor == "c1"
    assert conn.execute("SELECT count(*) FROM outbox WHERE kind LIKE 'catalog%'").fetchone()[0] == 0, \
        "pulled master data is never pushed back"
    conn.close()


def test_a_page_applied_twice_changes_nothing_more(ctx):
    page = [product("TEA", price="4.20"), movement("COLA", -2000, move_id="m-1"), movement("TEA", 5000,
                                                                                         move_id="m-2")]
    apply_page(ctx, page, "c1")
    before = (on_hand(ctx, "COLA"), on_hand(ctx, "TEA"))
    apply_page(ctx, page, "c1")
    assert (on_hand(ctx, "COLA"), on_hand(ctx, "TEA")) == before == (-2000, 5000)
    conn = db(ctx)
    assert conn.execute("SELECT count(*) FROM price_versions pv JOIN products p ON p.id = pv.product_id "
                        "WHERE p.sku = 'TEA'").fetchone()[0] == 1
    conn.close()


def test_the_last_change_of_a_product_in_a_page_wins(ctx):
    apply_page(ctx, [product("TEA", price="4.20"), product("TEA", price="4.50")], "c1")
    assert ctx.products.by_sku("TEA", "2099-01-01T00:00:00Z")[10] == 450


def test_head_office_moves_a_barcode_and_a_plu(ctx):
    apply_page(ctx, [product("A", barcodes=[{"code": "111", "pack_qty": "1"}], plu="777")], "c1")
    apply_page(ctx, [product("B", barcodes=[{"code": "111", "pack_qty": "1"}], plu="777"),
                     product("A", barcodes=[])], "c2")
    conn = db(ctx)
    assert conn.execute("SELECT p.sku FROM barcodes b JOIN products p ON p.id = b.product_id "
                        "WHERE b.code = '111'").fetchall() == [("B",)]
    assert conn.execute("SELECT sku FROM products WHERE plu = '777'").fetchall() == [("B",)]
    conn.close()


def test_a_product_without_a_barcode_list_keeps_its_barcodes(ctx):
    data = product("COLA", "可口可乐", "3.60")
    del data["data"]["barcodes"]
    apply_page(ctx, [data], "c1")
    conn = db(ctx)
    assert conn.execute("SELECT count(*) FROM barcodes b JOIN products p ON p.id = b.product_id "
                        "WHERE p.sku = 'COLA'").fetchone()[0] == 2
    conn.close()


def test_an_inactive_product_stays_in_the_ledger_but_not_for_sale(ctx):
    apply_page(ctx, [product("SOAP", active=False)], "c1")
    conn = db(ctx)
    assert conn.execute("SELECT active FROM products WHERE sku = 'SOAP'").fetchone() == (0,)
    conn.close()


def test_a_malformed_change_is_skipped_and_the_feed_moves_on(ctx):
    report = apply_page(ctx, [product("BAD", price=1.5), product("BAD2", price="1.234"),
                              {"cursor": "x", "kind": "product", "data": {"name": "no sku"}},
                              {"cursor": "x", "kind": "mystery", "data": {}},
                              movement("COLA", qty="many"), product("GOOD", price="2.00")], "c9")
    assert report.applied == {"product": 1}
    assert len(report.skipped) == 5
    assert sync_state.load(ctx).cursor == "c9"


def test_movements_of_other_tills_land_in_the_ledger_once(ctx):
    same = movement("CHIPS", -3000, move_id="other-till-move")
    apply_page(ctx, [same, same], "c1")
    apply_page(ctx, [same], "c2")
    assert on_hand(ctx, "CHIPS", "FLOOR") == -3000
    listed = {(r["sku"], r["location"]): r["qty"] for r in stock.stock_list(ctx)}
    assert listed[("CHIPS", "FLOOR")] == "-3.000"


def test_a_movement_may_name_what_the_till_does_not_know_yet(ctx):
    apply_page(ctx, [movement("NEWTHING", 2000, location="BACK", lot="L1"),
                     movement("MILK", 1000, location="WH9", lot="L7")], "c1")
    assert on_hand(ctx, "NEWTHING", "BACK") == 2000
    assert on_hand(ctx, "MILK", "WH9") == 1000
    conn = db(ctx)
    assert conn.execute("SELECT active FROM products WHERE sku = 'NEWTHING'").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM batches b JOIN products p ON p.id = b.product_id "
                        "WHERE p.sku = 'MILK' AND b.lot = 'L7'").fetchone()[0] == 1
    conn.close()
    apply_page(ctx, [product("NEWTHING", "新品 New thing", "9.90")], "c2")
    conn = db(ctx)
    assert conn.execute("SELECT name, active FROM products WHERE sku = 'NEWTHING'").fetchone() == (
        "新品 New thing", 1)
    conn.close()
    assert on_hand(ctx, "NEWTHING", "BACK") == 2000


def test_users_settings_locations_members_and_promotions(ctx):
    from pos_desktop.services.auth import hash_pin
    pin_hash = hash_pin("5555")
    report = apply_page(ctx, [
        {"cursor": "1", "kind": "user", "data": {"username": "zoe", "display_name": "Zoe", "role": "cashier",
                                                 "pin_hash": pin_hash, "active": True}},
        {"cursor": "2", "kind": "user", "data": {"username": "amy", "display_name": "Amy W", "role": "supervisor",
                                                 "pin_hash": pin_hash, "active": True}},
        {"cursor": "3", "kind": "user", "data": {"username": "x", "display_name": "X", "role": "pirate",
                                                 "pin_hash": pin_hash, "active": True}},
        {"cursor": "4", "kind": "setting", "data": {"key": "cash_rounding", "value": "drop_fen"}},
        {"cursor": "5", "kind": "setting", "data": {"key": "till_id", "value": "stolen"}},
        {"cursor": "6", "kind": "location", "data": {"code": "WH1", "name": "Warehouse", "kind": "storage"}},
        {"cursor": "7", "kind": "member", "data": {"code": "M0002", "name": "李雷", "phone": "13800000002"}},
        {"cursor": "8", "kind": "member", "data": {"code": "M0003", "name": "韩梅梅", "phone": "13800000001"}},
        {"cursor": "9", "kind": "promotion", "data": {"id": "p-1", "name": "Chips 10% off", "kind": "percent_off",
                                                      "sku": "CHIPS", "percent": "10", "active": True}},
    ], "c9")
    assert report.applied == {"user": 2, "setting": 1, "location": 1, "member": 1, "promotion": 1}
    assert len(report.skipped) == 3
    from pos_desktop.services import auth
    assert auth.login(ctx, "zoe", "5555").role.value == "cashier"
    assert auth.login(ctx, "amy", "5555").role.value == "supervisor"
    assert ctx.setting("cash_rounding") == "drop_fen"
    conn = db(ctx)
    assert json.loads(conn.execute("SELECT value FROM settings WHERE key = 'till_id'").fetchone()[0]) == \
        ctx.till.till_id
    assert conn.execute("SELECT name FROM locations WHERE code = 'WH1'").fetchone() == ("Warehouse",)
    assert conn.execute("SELECT name FROM customers WHERE code = 'M0002'").fetchone() == ("李雷",)
    conn.close()
    assert [p.name for p in ctx.promotions()] == ["Chips 10% off"]


def test_a_page_is_one_transaction(ctx, monkeypatch):
    """A failure in the middle of a page leaves neither its changes nor its cursor behind."""
    from pos_desktop.services import sync_apply

    def boom(unit, items, report):
        raise RuntimeError("power cut")
    monkeypatch.setitem(sync_apply.APPLIERS, "movement", boom)
    with pytest.raises(RuntimeError):
        apply_page(ctx, [product("TEA"), movement("COLA")], "c1")
    conn = db(ctx)
    assert conn.execute("SELECT count(*) FROM products WHERE sku = 'TEA'").fetchone()[0] == 0
    conn.close()
    assert sync_state.load(ctx).cursor == ""


def test_transfers_between_stores_come_down_the_feed(ctx, admin, tmp_path, clock):
    """The server forwards ``transfer.shipped`` to the receiving store and ``transfer.received`` back: the
    pulled pages drive transfers.py's remote functions (same payloads as the outbox events)."""
    from decimal import Decimal as D

    from pos_desktop.services import auth, till, transfers
    from pos_desktop.services.products import upsert_products
    from pos_desktop.services.unit import write
    from tests.conftest import CATALOG

    other = till.init_till(tmp_path / "s02", store_code="S02", store_name="二店", till_code="T01",
                           admin_user="admin", admin_pin="1234", clock=clock)
    try:
        with write(other) as unit:
            upsert_products(unit, CATALOG, 2)
        stock.adjust_stock(ctx, admin, sku="SOAP", location="BACK", qty_delta=D(10), reason="found")
        draft = transfers.create_transfer(ctx, admin, from_location="BACK", to="S02:FLOOR",
                                          lines=[transfers.LineInput(D(4), sku="SOAP")])
        transfers.ship_transfer(ctx, admin, draft.id)
        shipped = json.loads(ctx.products.query("SELECT payload FROM outbox WHERE kind = 'transfer.shipped'")[0][0])
        report = apply_page(other, [{"cursor": "1", "kind": "transfer.shipped", "data": shipped}] * 2, "1")
        assert report.applied == {"transfer.shipped": 2} and not report.skipped
        assert transfers.get_transfer(other, draft.id).status == "shipped"
        other_admin = auth.login(other, "admin", "1234")
        transfers.receive_transfer(other, other_admin, draft.id)
        received = json.loads(other.products.query(
            "SELECT payload FROM outbox WHERE kind = 'transfer.received'")[0][0])
        apply_page(ctx, [{"cursor": "2", "kind": "transfer.received", "data": received}], "2")
        apply_page(ctx, [{"cursor": "2", "kind": "transfer.received", "data": received}], "2")
        assert on_hand(ctx, "SOAP", "TRANSIT") == 0 and on_hand(ctx, "SOAP", "BACK") == 6000
        assert report.count == 2
        refused = apply_page(ctx, [{"cursor": "3", "kind": "transfer.shipped", "data": shipped}], "3")
        assert refused.skipped, "a shipment for another store is skipped, not applied"
    finally:
        other.close()
