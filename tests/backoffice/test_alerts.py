"""Stock alerts on a real till: every kind, its settings, and what the manager is told."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pos_desktop.core.errors import InvalidInput, PermissionDenied
from pos_desktop.services import alerts
from pos_desktop.services.unit import write
from tests.backoffice.helpers import outbox, sell, stock_in


def _set_reorder_point(ctx, sku: str, qty: int) -> None:
    with write(ctx) as unit:
        unit.conn.execute("UPDATE products SET reorder_point_milli = ? WHERE sku = ?", (qty * 1000, sku))


def _by_kind(ctx, kind: str) -> list[dict]:
    return [a.to_json() for a in alerts.compute_alerts(ctx, (kind,))]


def test_low_stock_counts_every_location_but_transit_and_quarantine(ctx):
    _set_reorder_point(ctx, "COLA", 10)
    _set_reorder_point(ctx, "CHIPS", 5)
    _set_reorder_point(ctx, "SOAP", 2)
    stock_in(ctx, "COLA", "FLOOR", 4)
    stock_in(ctx, "COLA", "BACK", 4)
    stock_in(ctx, "COLA", "QUAR", 10)           # quarantined goods cannot be sold
    stock_in(ctx, "CHIPS", "FLOOR", 5)          # at the reorder point, not below it
    found = _by_kind(ctx, "low_stock")
    assert [(a["sku"], a["qty"], a["reorder_point"], a["location"]) for a in found] == [
        ("COLA", "8.000", "10.000", None), ("SOAP", "0.000", "2.000", None)]
    assert found[0]["message"] == "可口可乐 Coca-Cola 330ml (COLA): 8.000 on hand, below the reorder point of 10.000"


def test_negative_stock_per_location(ctx, cashier):
    stock_in(ctx, "COLA", "BACK", 10)
    sell(ctx, cashier, ("COLA", 3))             # sold from FLOOR, which had none
    (alert,) = _by_kind(ctx, "negative_stock")
    assert (alert["sku"], alert["location"], alert["qty"], alert["lot"]) == ("COLA", "FLOOR", "-3.000", None)
    assert "count it" in alert["message"]


def test_near_expiry_and_expired_with_days_per_category(ctx, admin, clock):
    stock_in(ctx, "MILK", "FLOOR", 4, lot="OLD", expiry="2026-11-19")       # expired yesterday, on the shelf
    stock_in(ctx, "MILK", "BACK", 2, lot="OLD", expiry="2026-11-19")
    stock_in(ctx, "MILK", "QUAR", 9, lot="OLD", expiry="2026-11-19")        # already set aside: no alert
    stock_in(ctx, "MILK", "FLOOR", 6, lot="SOON", expiry="2026-11-25")      # in 5 days
    stock_in(ctx, "MILK", "FLOOR", 6, lot="LATER", expiry="2026-12-10")     # in 20 days
    expired = _by_kind(ctx, "expired")
    assert [(a["location"], a["lot"], a["qty"], a["days_left"]) for a in expired] == [
        ("BACK", "OLD", "2.000", -1), ("FLOOR", "OLD", "4.000", -1)]
    assert "still on the sales floor" in expired[1]["message"] and "quarantine" in expired[0]["message"]
    near = _by_kind(ctx, "near_expiry")
    assert [(a["lot"], a["expiry"], a["days_left"]) for a in near] == [("SOON", "2026-11-25", 5)]
    alerts.update_alert_settings(ctx, admin, {"near_expiry_by_category": {"乳制品 Dairy": 3}})
    assert _by_kind(ctx, "near_expiry") == []                               # dairy: 3 days only
    alerts.update_alert_settings(ctx, admin, {"near_expiry_days": 30, "near_expiry_by_category": {}})
    assert [a["lot"] for a in _by_kind(ctx, "near_expiry")] == ["SOON", "LATER"]
    clock.advance(days=6)
    assert {a["lot"] for a in _by_kind(ctx, "expired")} == {"OLD", "SOON"}
    assert outbox(ctx, "settings.changed")[-1] == {"near_expiry_days": 30, "near_expiry_by_category": {}}


def test_dead_stock_has_not_sold_for_n_days_and_has_been_here_that_long(ctx, cashier, admin, clock):
    stock_in(ctx, "COLA", "FLOOR", 20)
    stock_in(ctx, "CHIPS", "FLOOR", 20)
    stock_in(ctx, "SOAP", "BACK", 5)
    sell(ctx, cashier, ("SOAP", 1))                                         # 2026-11-20 (FLOOR goes negative)
    clock.advance(days=60)
    sell(ctx, cashier, ("CHIPS", 1))                                        # 30 days ago
    clock.advance(days=30)
    stock_in(ctx, "MILK", "FLOOR", 5, lot="NEW", expiry="2027-12-01")      # arrived today: not dead yet
    dead = _by_kind(ctx, "dead_stock")
    assert [(a["sku"], a["qty"], a["last_sale"]) for a in dead] == [("COLA", "20.000", None),
                                                                   ("SOAP", "4.000", "2026-11-20")]
    assert dead[0]["message"] == "可口可乐 Coca-Cola 330ml (COLA): 20.000 on hand, never sold since 2026-11-20"
    assert "no sale for 60 days (last sale 2026-11-20)" in dead[1]["message"]
    alerts.update_alert_settings(ctx, admin, {"dead_stock_days": "20"})
    assert [a["sku"] for a in _by_kind(ctx, "dead_stock")] == ["CHIPS", "COLA", "SOAP"]


def test_all_kinds_in_one_list_in_the_fixed_shape(ctx, cashier):
    _set_reorder_point(ctx, "CHIPS", 5)
    stock_in(ctx, "MILK", "FLOOR", 1, lot="OLD", expiry="2026-11-01")
    sell(ctx, cashier, ("COLA", 1))
    found = [a.to_json() for a in alerts.compute_alerts(ctx)]
    assert [a["kind"] for a in found] == ["low_stock", "negative_stock", "expired"]
    for alert in found:
        assert {"kind", "sku", "location", "lot", "expiry", "qty", "message"} <= alert.keys()


def test_settings_are_checked_and_need_an_administrator(ctx, admin, manager):
    assert alerts.alert_settings(ctx).to_json() == {"near_expiry_days": 7, "near_expiry_by_category": {},
                                                    "dead_stock_days": 60}
    with pytest.raises(PermissionDenied):
        alerts.update_alert_settings(ctx, manager, {"near_expiry_days": 3})
    assert alerts.update_alert_settings(ctx, manager, {"near_expiry_days": 3}, approver=admin).near_expiry_days == 3
    for values in ({"near_expiry_days": -1}, {"near_expiry_days": "soon"}, {"colour": "red"},
                   {"near_expiry_by_category": ["Dairy"]}):
        with pytest.raises(InvalidInput):
            alerts.update_alert_settings(ctx, admin, values)
    with pytest.raises(InvalidInput) as kind:
        alerts.compute_alerts(ctx, ("stale",))
    assert kind.value.code == "bad_kind"
    assert D(alerts.alert_settings(ctx).near_expiry_days) == D(3)
