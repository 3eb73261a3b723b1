"""The integration and head-office APIs: API keys with scopes, sales for accounting, stock for e-commerce,
products from an ERP — and each key only opens what its scopes say."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pos_desktop.server import admin

from .conftest import DAY, adjust_payload, enrol, new_store, return_payload, sale_payload, void_payload

SCOPED = ("sales:read", "stock:read", "catalog:write", "admin")


@pytest.fixture(scope="module")
def keys(server):
    now = datetime.now(UTC)
    return {scope: {"Authorization": f"Bearer {admin.create_api_key(server.db, now, scope, [scope])['key']}"}
            for scope in SCOPED}


@pytest.fixture(scope="module")
def shop(server):
    """A store with a till that sold three times (one sale voided, one partly returned) and took stock in."""
    store = new_store(server)
    till = enrol(server, store)
    sales = [sale_payload([("COLA", 2000, 700), ("CHIPS", 1000, 790)]), sale_payload([("SOAP", 1000, 450)]),
             sale_payload([("COLA", 1000, 350)], day="2026-11-28")]
    events = [till.event("sale.completed", s) for s in sales]
    events += [till.event("sale.voided", void_payload(sales[1])),
               till.event("sale.returned", return_payload(sales[0], 1, 1000, 350)),
               till.event("stock.adjusted", adjust_payload("COLA", 48000))]
    till.push_ok(events)
    return store, sales, till


def test_sales_for_accounting(server, keys, shop):
    store, sales, _till = shop
    with server.client() as c:
        reply = c.get("/api/v1/integration/sales", params={"store": store, "from": DAY, "to": DAY},
                      headers=keys["sales:read"])
    assert reply.status_code == 200, reply.text
    got = reply.json()["sales"]
    assert [s["sale_id"] for s in got] == sorted([sales[0]["sale"]["id"], sales[1]["sale"]["id"]])
    first = next(s for s in got if s["sale_id"] == sales[0]["sale"]["id"])
    assert first["total"] == "14.90" and first["status"] == "completed"
    assert [(ln["sku"], ln["qty"], ln["net"]) for ln in first["lines"]] == [("COLA", "2.000", "7.00"),
                                                                           ("CHIPS", "1.000", "7.90")]
    assert first["payments"] == [{"method": "cash", "amount": "14.90", "status": "completed"}]
    voided = next(s for s in got if s["sale_id"] == sales[1]["sale"]["id"])
    assert voided["status"] == "voided" and voided["void_reason"] == "wrong item"


def test_sales_are_paged(server, keys, shop):
    store, sales, _till = shop
    seen, after = [], None
    with server.client() as c:
        while True:
            params = {"store": store, "limit": 1, **({"after": after} if after else {})}
            page = c.get("/api/v1/integration/sales", params=params, headers=keys["sales:read"]).json()
            seen += [s["sale_id"] for s in page["sales"]]
            after = page["next"]
            if after is None:
                break
    assert len(seen) == 3 and len(set(seen)) == 3


def test_stock_for_e_commerce(server, keys, shop):
    store, _sales, _till = shop
    with server.client() as c:
        reply = c.get("/api/v1/integration/stock", params={"store": store}, headers=keys["stock:read"])
    assert reply.status_code == 200
    rows = {(r["sku"], r["location"]): r["qty"] for r in reply.json()["stock"]}
    assert rows == {("COLA", "BACK"): "48.000", ("COLA", "FLOOR"): "-2.000", ("CHIPS", "FLOOR"): "-1.000"}


def test_products_from_an_erp_reach_the_tills(server, keys, shop):
    store, _sales, till = shop
    _old, cursor = till.pull_all()
    body = {"products": [{"sku": "ERP-1", "name": "From the ERP", "price": "9.90", "tax_rate": "13%",
                          "barcodes": [{"code": "6901234567946", "pack_qty": "1"}]},
                         {"sku": "ERP-2", "name": "Bad price", "price": "abc"},
                         {"sku": "COLA", "name": "可口可乐 Coca-Cola 330ml", "price": "3.80"}]}
    with server.client() as c:
        reply = c.put("/api/v1/integration/products", json=body, headers=keys["catalog:write"])
    assert reply.status_code == 200, reply.text
    report = reply.json()
    assert (report["created"], report["updated"]) == (1, 1)
    assert [(r["row"], r["field"]) for r in report["rejected"]] == [(2, "price")]
    pulled = {c["data"]["sku"]: c["data"] for c in till.pull_all(after=cursor)[0] if c["kind"] == "product"}
    assert pulled["ERP-1"]["price"] == "9.90" and pulled["COLA"]["price"] == "3.80"
    assert pulled["COLA"]["barcodes"] == [{"code": "6901234567892", "pack_qty": "1.000"}]   # kept, listed whole
    assert pulled["COLA"]["active"] is True and pulled["ERP-1"]["tax_rate"] == "0.13"


@pytest.mark.parametrize("scope, method, path, params", [
    ("sales:read", "GET", "/api/v1/integration/sales", {"store": "X"}),
    ("stock:read", "GET", "/api/v1/integration/stock", {"store": "X"}),
    ("catalog:write", "PUT", "/api/v1/integration/products", None),
    ("admin", "GET", "/api/v1/admin/stores", None),
])
def test_each_route_needs_its_scope(server, keys, shop, scope, method, path, params):
    store = shop[0]
    params = {"store": store} if params else None
    body = {"products": []} if method == "PUT" else None
    with server.client() as c:
        for holder in SCOPED:
            reply = c.request(method, path, params=params, json=body, headers=keys[holder])
            allowed = holder in (scope, "admin")
            assert reply.status_code == (200 if allowed else 403), (holder, reply.text)
            if not allowed:
                assert reply.json()["error"] == "missing_scope"
        assert c.request(method, path, params=params, json=body).status_code == 401
        assert c.request(method, path, params=params, json=body, headers=shop[2].headers).status_code == 401
        wrong = {"Authorization": keys[scope]["Authorization"][:-4] + "AAAA"}
        assert c.request(method, path, params=params, json=body, headers=wrong).status_code == 401


def test_head_office_through_the_api(server, keys):
    code = new_store(server, "H")
    with server.client(headers=keys["admin"]) as c:
        made = c.post("/api/v1/admin/stores", json={"code": "API" + code[-5:], "name": "By API"})
        assert made.status_code == 200 and made.json()["locations"] == ["BACK", "FLOOR"]
        assert c.post("/api/v1/admin/stores", json={"code": "API" + code[-5:], "name": "x"}).status_code == 400
        enrol_code = c.post("/api/v1/admin/enrol-codes", json={"store": code, "till": "T05"}).json()
        assert len(enrol_code["code"].replace("-", "")) == 32
        assert c.put("/api/v1/admin/users/zoe", json={"role": "cashier", "pin": "2468"}).status_code == 200
        assert c.put("/api/v1/admin/users/zoe2", json={"role": "cashier"}).status_code == 400   # no PIN
        assert c.put("/api/v1/admin/users/zoe", json={"role": "emperor"}).status_code == 400
        assert c.put("/api/v1/admin/suppliers/SUP9", json={"name": "Nine", "lead_time_days": 2}).status_code == 200
        assert c.put(f"/api/v1/admin/stores/{code}/locations/COLD", json={"name": "Cold room"}).status_code == 200
        assert c.put("/api/v1/admin/members/M77", json={"name": "韩梅梅"}).status_code == 200
        assert c.put("/api/v1/admin/settings/points_per_yuan", json={"value": "2"}).status_code == 200
        promo = c.post("/api/v1/admin/promotions", json={"name": "2 for 1", "kind": "buy_n_get_m", "sku": "SOAP",
                                                         "buy_n": 1, "get_m": 1})
        assert promo.status_code == 200
        assert c.put(f"/api/v1/admin/promotions/{promo.json()['id']}",
                     json={"name": "2 for 1", "kind": "buy_n_get_m", "sku": "SOAP", "buy_n": 1, "get_m": 1,
                           "active": False}).status_code == 200
        assert c.post("/api/v1/admin/promotions", json={"name": "?", "kind": "percent_off",
                                                        "sku": "NOPE", "percent": "5"}).status_code == 404
        summary = c.get(f"/api/v1/admin/stores/{code}/summary").json()
        assert summary["by_till"] == {} and summary["net_sales"] == "0.00"
        assert c.get("/api/v1/admin/stores/NOPE/summary").status_code == 404
        key = c.post("/api/v1/admin/api-keys", json={"name": "shop", "scopes": ["stock:read"]}).json()
        assert key["key"].startswith("pk_") and key["scopes"] == ["stock:read"]
        assert c.post("/api/v1/admin/api-keys", json={"name": "x", "scopes": ["root"]}).status_code == 400
        assert c.post("/api/v1/admin/revoke-till", json={"store": code, "till": "T05"}).json()["revoked"] == 0
