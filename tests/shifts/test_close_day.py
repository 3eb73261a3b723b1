"""Closing the business day: once, numbered, immutable, journaled; what happens after it belongs to the next day."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from pos_desktop.core.errors import InvalidInput, PermissionDenied
from pos_desktop.services import drawer, journal, returns, shifts, zreport
from pos_desktop.services.business_day import current_business_date

from .helpers import rows, sell

DAY = date(2026, 11, 20)


def test_a_cashier_runs_x_but_not_z_and_a_manager_can_approve(ctx, cashier, manager):
    sell(ctx, cashier, ("COLA", 2))
    assert zreport.x_report(ctx, cashier)["sales_count"] == 1
    with pytest.raises(PermissionDenied):
        zreport.close_day(ctx, cashier)
    assert rows(ctx, "SELECT count(*) FROM z_reports") == [(0,)]
    closed = zreport.close_day(ctx, cashier, approver=manager)
    assert closed.created and closed.report["approved_by"] == "mia"


def test_z_closes_the_day_once_and_numbers_it(ctx, clock, cashier, manager):
    sell(ctx, cashier, ("COLA", 1))
    first = zreport.close_day(ctx, manager)
    again = zreport.close_day(ctx, manager, DAY)
    assert first.created and not again.created and again.report == first.report
    assert first.report["z_number"] == 1
    (kind, payload), = rows(ctx, "SELECT kind, payload FROM outbox WHERE kind = 'day.closed'")
    assert json.loads(payload)["report"] == first.report
    entry, = rows(ctx, "SELECT entry FROM journal WHERE kind = 'day_closed'")
    assert json.loads(entry[0])["payload"]["report_sha256"] == zreport.report_digest(first.report)
    clock.advance(days=1)
    sell(ctx, cashier, ("MILK", 1))
    second = zreport.close_day(ctx, manager)
    assert (second.report["date"], second.report["z_number"]) == ("2026-11-21", 2)
    assert second.report["grand_total"] == "6.30"                     # 3.50 + 2.80: only grows
    assert second.report["previous_grand_total"] == "3.50"
    assert zreport.z_report(ctx, DAY) == first.report
    assert [z["z_number"] for z in zreport.z_reports(ctx)] == [2, 1]
    assert journal.verify(ctx).ok and zreport.verify_reports(ctx) == []


def test_after_the_z_a_sale_and_a_return_belong_to_the_next_day(ctx, clock, cashier, manager):
    sold = sell(ctx, cashier, ("COLA", 2))
    zreport.close_day(ctx, manager)
    assert current_business_date(ctx) == DAY + timedelta(days=1)
    later = sell(ctx, cashier, ("CHIPS", 1))                        # still 20 November by the clock
    back = returns.return_items(ctx, cashier, receipt_no=sold.receipt_no,
                                lines=[returns.ReturnRequest(1, D(1))])
    assert rows(ctx, "SELECT business_date FROM sales WHERE receipt_no = ?", later.receipt_no) == [("2026-11-21",)]
    assert rows(ctx, "SELECT business_date FROM returns WHERE receipt_no = ?", back.receipt_no) == [("2026-11-21",)]
    stored = zreport.close_day(ctx, manager, DAY).report                 # the closed day did not move
    assert (stored["sales_count"], stored["returns_count"], stored["net_sales"]) == (1, 0, "7.00")
    x = zreport.x_report(ctx, cashier)
    assert (x["date"], x["sales_count"], x["returns_count"], x["net_sales"]) == ("2026-11-21", 1, 1, "4.40")


def test_a_sale_of_a_closed_day_cannot_be_voided(ctx, cashier, supervisor, manager):
    sold = sell(ctx, cashier, ("COLA", 1))
    result = zreport.close_day(ctx, manager)
    assert result.carried is not None                                # the open shift held the day's sale
    with pytest.raises(InvalidInput):
        returns.void_sale(ctx, supervisor, receipt_no=sold.receipt_no, reason="too late")
    assert rows(ctx, "SELECT count(*) FROM sale_voids") == [(0,)]
    later = sell(ctx, cashier, ("COLA", 1))                          # the next day's sale can be voided
    returns.void_sale(ctx, supervisor, receipt_no=later.receipt_no, reason="changed mind")


def test_the_database_refuses_to_change_a_closed_day(ctx, cashier, manager):
    sold = sell(ctx, cashier, ("COLA", 1))
    zreport.close_day(ctx, manager)
    conn = sqlite3.connect(ctx.db.path)
    try:
        for statement in ("UPDATE z_reports SET net_sales_minor = 0", "DELETE FROM z_reports",
                          "UPDATE sales SET id = id WHERE 0"):
            try:
                conn.execute(statement)
            except sqlite3.DatabaseError as exc:
                assert "immutable" in str(exc)
        with pytest.raises(sqlite3.DatabaseError, match="business day closed"):
            conn.execute("INSERT INTO sale_voids (id, sale_id, user_id, reason, created_at) "
                         "SELECT 'v1', id, user_id, 'x', created_at FROM sales WHERE receipt_no = ?", (sold.receipt_no,))
        with pytest.raises(sqlite3.DatabaseError, match="business day closed"):
            conn.execute("INSERT INTO sales SELECT 'copy', 'S01-T01-999999', till_id, shift_id, user_id, approver_id, "
                         "customer_id, created_at, business_date, tax_inclusive, subtotal_minor, discount_minor, "
                         "cart_discount_minor, tax_minor, total_minor, rounding_minor, paid_minor, change_minor, "
                         "points_earned, points_redeemed FROM sales WHERE receipt_no = ?", (sold.receipt_no,))
        conn.rollback()
    finally:
        conn.close()
    assert rows(ctx, "SELECT count(*) FROM z_reports") == [(1,)]


def test_the_open_shift_is_carried_over_at_the_close(ctx, clock, cashier, supervisor, manager):
    shifts.open_shift(ctx, cashier, float_amount=D("200.00"))
    sell(ctx, cashier, ("COLA", 2), tendered="10.00")                  # cash in 10, change 3
    shifts.move_cash(ctx, supervisor, kind="drop", amount=D("50.00"), reason="safe")
    clock.advance(hours=10)
    carried = zreport.close_day(ctx, manager).carried
    assert carried["carried"] == "157.00"                              # 200 + 10 − 3 − 50
    old, = rows(ctx, "SELECT close_kind, counted_cash_minor, expected_cash_minor FROM shifts WHERE id = ?",
                carried["closed_shift_id"])
    assert old == ("day_close", None, 15700)
    status = shifts.shift_status(ctx, supervisor)
    assert (status["cashier"], status["float"], status["float_source"]) == ("amy", "157.00", "carried")
    closed = shifts.close_shift(ctx, cashier, counted_cash=D("157.00"))
    assert closed["variance"] == "0.00"


def test_a_shift_with_only_the_next_days_sales_is_not_carried(ctx, clock, cashier, manager):
    clock.advance(days=1)
    sell(ctx, cashier, ("COLA", 1))
    result = zreport.close_day(ctx, manager, DAY)                      # yesterday, closed late: empty
    assert result.carried is None and result.report["sales_count"] == 0


def test_a_day_not_begun_cannot_be_closed(ctx, cashier, manager):
    with pytest.raises(InvalidInput) as refused:
        zreport.close_day(ctx, manager, DAY + timedelta(days=1))
    assert refused.value.code == "day_not_begun"
    zreport.close_day(ctx, manager)                                    # today (nothing sold: an empty Z)
    assert zreport.close_day(ctx, manager, DAY + timedelta(days=1)).created   # now tomorrow is current


def test_no_sales_fall_on_the_business_day(ctx, clock, supervisor, manager):
    drawer.record_no_sale(ctx, supervisor, reason="change for a customer")
    assert zreport.x_report(ctx)["no_sales_count"] == 1
    zreport.close_day(ctx, manager)
    drawer.record_no_sale(ctx, supervisor, reason="after the close")
    assert zreport.x_report(ctx)["no_sales_count"] == 1               # the next day's
    assert zreport.z_report(ctx, DAY)["no_sales_count"] == 1
    clock.advance(days=1)
    assert zreport.close_day(ctx, manager, DAY + timedelta(days=1)).report["no_sales_count"] == 1


def test_the_journal_verifies_after_a_z(ctx, cashier, manager, supervisor):
    shifts.open_shift(ctx, cashier, float_amount=D("100"))
    sell(ctx, cashier, ("COLA", 1))
    shifts.close_shift(ctx, cashier, counted_cash=D("103.50"))
    zreport.close_day(ctx, manager)
    assert journal.verify(ctx).ok
    kinds = [k for (k,) in rows(ctx, "SELECT kind FROM journal ORDER BY seq")]
    assert kinds[-4:] == ["shift_opened", "sale", "shift_closed", "day_closed"]


def test_a_stored_report_changed_behind_the_triggers_is_found(ctx, cashier, manager):
    sell(ctx, cashier, ("COLA", 1))
    zreport.close_day(ctx, manager)
    conn = sqlite3.connect(ctx.db.path)
    conn.execute("DROP TRIGGER z_reports_no_update")                   # someone with the file and a tool
    conn.execute("UPDATE z_reports SET report = replace(report, '\"net_sales\":\"3.50\"', '\"net_sales\":\"1.00\"')")
    conn.commit()
    conn.close()
    assert zreport.verify_reports(ctx) == ["The Z report 1 of 2026-11-20 differs from its journal entry"]
