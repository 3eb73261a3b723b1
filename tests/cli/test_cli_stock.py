"""`pos stock`, `pos stock adjust`, `pos catalog show`."""

from __future__ import annotations

from .conftest import COLA, COLA_6, Till, pick

STOCK_KEYS = {"sku", "location", "batch", "expiry", "qty"}


def test_stock_levels_filters_and_adjustments(fresh: Till) -> None:
    mia = fresh.as_user("mia")
    found = fresh.json("stock", "adjust", "--sku", "COLA", "--location", "FLOOR", "--qty-delta", "20",
                       "--reason", "found", *mia)
    assert (found["sku"], found["location"], found["qty_delta"], found["on_hand"]) == ("COLA", "FLOOR", "20.000",
                                                                                       "20.000")
    fresh.json("stock", "adjust", "--sku", "MILK", "--location", "BACK", "--qty-delta", "12", "--reason",
               "correction", "--lot", "L2611", *mia)

    cola = fresh.json("stock", "--sku", "COLA")
    back = fresh.json("stock", "--location", "BACK")
    for row in cola + back:
        assert set(row) >= STOCK_KEYS
    assert pick(cola, *STOCK_KEYS) == [{"sku": "COLA", "location": "FLOOR", "batch": None, "expiry": None, "qty": "20.000"}]
    assert pick(back, *STOCK_KEYS) == [{"sku": "MILK", "location": "BACK", "batch": "L2611", "expiry": None, "qty": "12.000"}]

    # a negative delta ("-2", as CLI.md writes it) reduces on-hand
    damaged = fresh.json("stock", "adjust", "--sku", "COLA", "--location", "FLOOR", "--qty-delta", "-2",
                         "--reason", "damaged", *mia)
    assert (damaged["qty_delta"], damaged["on_hand"]) == ("-2.000", "18.000")
    assert pick(fresh.json("stock", "--sku", "COLA", "--location", "FLOOR"), *STOCK_KEYS) == [
        {"sku": "COLA", "location": "FLOOR", "batch": None, "expiry": None, "qty": "18.000"}]

    with fresh.unchanged():
        refused = fresh.json("stock", "adjust", "--sku", "COLA", "--location", "FLOOR", "--qty-delta", "-1",
                             "--reason", "lost", *fresh.as_user("amy"), expect=4)
    assert refused["error"] == "permission_denied" and "adjust stock" in refused["message"]
    with fresh.unchanged():
        usage = fresh.json("stock", "adjust", "--sku", "COLA", "--location", "FLOOR", "--qty-delta", "-1",
                           "--reason", "stolen", *mia, expect=2)
    assert usage["error"] == "usage" and "stolen" in usage["message"] and "damaged" in usage["message"]


def test_catalog_show(shop: Till) -> None:
    cola = shop.json("catalog", "show", "--barcode", COLA_6)
    assert (cola["sku"], cola["name"], cola["price"], cola["tax_rate"]) == ("COLA", "可口可乐 Coca-Cola 330ml",
                                                                            "3.50", "0.13")
    assert pick(cola["barcodes"], "code", "pack_qty") == [{"code": COLA, "pack_qty": "1.000"}, {"code": COLA_6, "pack_qty": "6.000"}]
    assert [p["price"] for p in cola["prices"]] == ["3.50"]
    assert set(cola["prices"][0]) >= {"price", "member_price", "valid_from"}

    apples = shop.json("catalog", "show", "--sku", "APPLE-KG")
    assert (apples["unit"], apples["is_weighed"], apples["plu"], apples["price"]) == ("kg", True, "12345", "12.80")
    assert apples["barcodes"] == [] and apples["tax_rate"] == "0.09"
