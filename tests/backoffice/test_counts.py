"""Stock counts through the real services on a real till database: what is posted, and what people are told."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest

from pos_desktop.core.barcodes import append_check_digit
from pos_desktop.core.errors import InvalidInput, NotFound, PermissionDenied
from pos_desktop.services import auth, counts
from tests.backoffice.helpers import ledger_agrees, on_hand, outbox, rows, sell, stock_in
from tests.conftest import COLA, COLA_6, MILK

GS1_MILK_L2 = f"(01)0{MILK}(17)261231(10)L2"
UNKNOWN = append_check_digit("690123456799")     # a valid EAN-13 in no catalog


@pytest.fixture
def ken(ctx):
    return auth.login(ctx, "ken", "4444")


@pytest.fixture
def stocked(ctx):
    stock_in(ctx, "COLA", "FLOOR", 10)
    stock_in(ctx, "CHIPS", "FLOOR", 5)
    stock_in(ctx, "SOAP", "BACK", 4)
    return ctx


def _line(report: counts.VarianceReport, sku: str) -> counts.VarianceLine:
    return next(ln for ln in report.lines if ln.sku == sku)


# ---------------------------------------------------------------------------------- the moment of counting


def test_a_sale_during_the_count_is_not_lost(stocked, ken, cashier, manager, clock):
    """COLA: 10 in the ledger, 1 missing on the shelf. Counted (9) at 10:05, two sold at 10:20, the count
    approved at 11:00: on hand is 9 − 2 = 7, not the 9 counted (nor 10 − 2 − 1 counted at the start)."""
    count = counts.start_count(stocked, ken, location="FLOOR")
    clock.advance(minutes=5)
    counts.record_count(stocked, ken, count.id, sku="COLA", qty=D(9))
    clock.advance(minutes=15)
    sell(stocked, cashier, ("COLA", 2))
    clock.advance(minutes=40)
    report = counts.finish_count(stocked, ken, count.id)
    cola = _line(report, "COLA")
    assert (cola.expected, cola.counted, cola.variance) == (D(10), D(9), D(-1))
    assert cola.expected_at == "2026-11-20T10:05:00+08:00"
    counts.approve_count(stocked, manager, count.id)
    assert on_hand(stocked, "COLA", "FLOOR") == D(7)
    assert ledger_agrees(stocked)


def test_a_sale_before_the_line_is_counted_is_already_in_its_expected(stocked, ken, cashier, manager, clock):
    count = counts.start_count(stocked, ken, location="FLOOR")
    sell(stocked, cashier, ("CHIPS", 2))                      # 5 → 3 before anyone counts CHIPS
    clock.advance(minutes=10)
    counts.record_count(stocked, ken, count.id, sku="CHIPS", qty=D(3))
    sell(stocked, cashier, ("CHIPS", 1))                      # after: stays in the ledger
    counts.record_count(stocked, ken, count.id, sku="COLA", qty=D(10))
    report = counts.finish_count(stocked, ken, count.id)
    assert (_line(report, "CHIPS").expected, _line(report, "CHIPS").variance) == (D(3), D(0))
    posting = counts.approve_count(stocked, manager, count.id)
    assert posting.changed_lines == 0 and posting.movements == 0
    assert on_hand(stocked, "CHIPS", "FLOOR") == D(2)
    assert on_hand(stocked, "COLA", "FLOOR") == D(10)


def test_a_line_nobody_counted_is_counted_as_zero_at_the_finish(stocked, ken, cashier, manager, clock):
    count = counts.start_count(stocked, ken, location="FLOOR")
    assert count.lines == 2 and count.kind == "full"          # COLA and CHIPS have stock on FLOOR; SOAP is BACK
    counts.record_count(stocked, ken, count.id, sku="COLA", qty=D(10))
    sell(stocked, cashier, ("CHIPS", 1))
    clock.advance(minutes=30)
    report = counts.finish_count(stocked, ken, count.id)
    chips = _line(report, "CHIPS")
    assert (chips.status, chips.expected, chips.counted, chips.expected_at) == (
        "pending", D(4), D(0), "2026-11-20T10:30:00+08:00")
    counts.approve_count(stocked, manager, count.id)
    assert on_hand(stocked, "CHIPS", "FLOOR") == D(0)


# ------------------------------------------------------------------------------------------------- counters


def test_several_counters_add_up_and_a_counter_may_replace_their_own_tally(stocked, ken, manager):
    count = counts.start_count(stocked, ken, location="FLOOR")
    counts.record_count(stocked, ken, count.id, barcode=COLA)             # one scan, one can
    counts.record_count(stocked, ken, count.id, barcode=COLA_6)           # a six-pack scan counts six
    second = counts.record_count(stocked, manager, count.id, sku="COLA", qty=D(2))
    assert (second.your_count, second.line_count) == (D(2), D(9))
    fixed = counts.record_count(stocked, ken, count.id, sku="COLA", qty=D(8), replace=True)
    assert (fixed.your_count, fixed.line_count) == (D(8), D(10))
    report = counts.finish_count(stocked, ken, count.id)
    assert _line(report, "COLA").counters == (("ken", D(8)), ("mia", D(2)))
    assert _line(report, "COLA").variance == D(0)


def test_a_scan_can_be_taken_back_but_not_below_zero(stocked, ken):
    count = counts.start_count(stocked, ken, location="FLOOR")
    counts.record_count(stocked, ken, count.id, barcode=COLA, qty=D(2))
    assert counts.record_count(stocked, ken, count.id, barcode=COLA, qty=D(-1)).your_count == D(1)
    with pytest.raises(InvalidInput) as below:
        counts.record_count(stocked, ken, count.id, barcode=COLA, qty=D(-2))
    assert below.value.code == "negative_count" and "below zero" in below.value.message


def test_a_recount_replaces_every_counter_of_the_line(stocked, ken, manager):
    count = counts.start_count(stocked, ken, location="FLOOR")
    counts.record_count(stocked, ken, count.id, sku="COLA", qty=D(4))
    counts.record_count(stocked, manager, count.id, sku="COLA", qty=D(2))   # 6 of 10: suspicious
    counts.record_count(stocked, ken, count.id, sku="CHIPS", qty=D(5))
    counts.finish_count(stocked, ken, count.id)
    assert counts.request_recount(stocked, manager, count.id, over_qty=D(3)) == ["COLA"]
    assert counts.get_count(stocked, count.id).status == "open"
    with pytest.raises(InvalidInput) as other:
        counts.record_count(stocked, ken, count.id, sku="CHIPS", qty=D(1))
    assert other.value.code == "not_for_recount"
    again = counts.record_count(stocked, ken, count.id, sku="COLA", qty=D(9))
    assert (again.round, again.line_count) == (2, D(9))
    report = counts.finish_count(stocked, ken, count.id)
    assert (_line(report, "COLA").counted, _line(report, "COLA").round) == (D(9), 2)
    assert _line(report, "COLA").counters == (("ken", D(9)),)
    counts.approve_count(stocked, manager, count.id)
    assert on_hand(stocked, "COLA", "FLOOR") == D(9)
    assert rows(stocked, "SELECT count(*) FROM count_entries WHERE count_id = ?", count.id) == [(4,)]  # all kept


def test_recount_by_value_and_by_sku(stocked, ken, manager):
    count = counts.start_count(stocked, ken, location="FLOOR")
    counts.record_count(stocked, ken, count.id, sku="COLA", qty=D(9))       # −1 × 2.10
    counts.record_count(stocked, ken, count.id, sku="CHIPS", qty=D(4))      # −1 × 5.00
    counts.finish_count(stocked, ken, count.id)
    assert counts.request_recount(stocked, manager, count.id, over_value=D("5.00")) == ["CHIPS"]
    counts.finish_count(stocked, ken, count.id)      # nobody recounted CHIPS: it counts as zero now
    with pytest.raises(NotFound):
        counts.request_recount(stocked, manager, count.id, skus=["NOPE"])
    assert counts.request_recount(stocked, manager, count.id, skus=["COLA"]) == ["COLA"]


def test_only_a_manager_asks_for_a_recount(stocked, ken):
    count = counts.start_count(stocked, ken, location="FLOOR")
    counts.finish_count(stocked, ken, count.id)
    with pytest.raises(PermissionDenied):
        counts.request_recount(stocked, ken, count.id, over_qty=D(1))


# --------------------------------------------------------------------------------------------- blind counts


def test_a_blind_count_hides_the_expected_quantity_from_the_counter(stocked, ken, manager):
    count = counts.start_count(stocked, ken, location="FLOOR", blind=True)
    recorded = counts.record_count(stocked, ken, count.id, sku="COLA", qty=D(7)).to_json()
    assert "expected" not in recorded and recorded["counted"] == "7.000"
    seen_by_counter = counts.finish_count(stocked, ken, count.id)
    assert not seen_by_counter.shown and seen_by_counter.total_variance_value is None
    assert all(ln.expected is None and ln.variance is None and ln.variance_value is None
               for ln in seen_by_counter.lines)
    assert seen_by_counter.to_json()["by_category"] == []
    seen_by_manager = counts.variance_report(stocked, count.id, manager)
    assert _line(seen_by_manager, "COLA").variance == D(-3) and seen_by_manager.shown


# ------------------------------------------------------------------------------------------- the report


def test_variance_value_and_shrinkage_by_category(stocked, ken, manager):
    stock_in(stocked, "SOAP", "FLOOR", 2)
    count = counts.start_count(stocked, ken, location="FLOOR")
    counts.record_count(stocked, ken, count.id, sku="COLA", qty=D(7))     # −3 × 2.10 = −6.30
    counts.record_count(stocked, ken, count.id, sku="CHIPS", qty=D(6))    # +1 × 5.00
    counts.record_count(stocked, ken, count.id, sku="SOAP", qty=D(1))     # −1 × 3.00
    report = counts.finish_count(stocked, ken, count.id)
    doc = report.to_json()
    assert [(ln["sku"], ln["expected"], ln["counted"], ln["variance"], ln["variance_value"]) for ln in doc["lines"]] == [
        ("CHIPS", "5.000", "6.000", "1.000", "5.00"), ("COLA", "10.000", "7.000", "-3.000", "-6.30"),
        ("SOAP", "2.000", "1.000", "-1.000", "-3.00")]
    assert doc["total_variance_value"] == "-4.30" and doc["total_shrinkage_value"] == "-9.30"
    assert doc["by_category"] == [
        {"category": "个人护理 Personal care", "variance_value": "-3.00", "shrinkage_value": "-3.00"},
        {"category": "零食 Snacks", "variance_value": "5.00", "shrinkage_value": "0.00"},
        {"category": "饮料 Drinks", "variance_value": "-6.30", "shrinkage_value": "-6.30"}]
    posting = counts.approve_count(stocked, manager, count.id)
    assert posting.total_variance_value == D("-4.30") and posting.changed_lines == 3


def test_approval_is_journaled_and_goes_out_with_its_movements(stocked, ken, manager):
    count = counts.start_count(stocked, ken, location="FLOOR")
    counts.record_count(stocked, ken, count.id, sku="COLA", qty=D(8))
    counts.record_count(stocked, ken, count.id, sku="CHIPS", qty=D(5))
    counts.finish_count(stocked, ken, count.id)
    counts.approve_count(stocked, manager, count.id)
    (event,) = outbox(stocked, "stock.counted")
    assert (event["count_id"], event["store"], event["location"], event["part"], event["parts"]) == (
        count.id, "S01", "FLOOR", 1, 1)
    assert {ln["sku"]: ln["delta_milli"] for ln in event["lines"]} == {"COLA": -2000, "CHIPS": 0}
    assert [(m["sku"], m["location"], m["qty_milli"], m["reason"], m["doc_type"]) for m in event["movements"]] == [
        ("COLA", "FLOOR", -2000, "count", "count")]
    assert rows(stocked, "SELECT kind, doc_id FROM journal WHERE kind = 'stock_count'") == [("stock_count", count.id)]
    assert rows(stocked, "SELECT posted_milli FROM count_lines WHERE count_id = ? ORDER BY posted_milli",
                count.id) == [(-2000,), (0,)]


# ------------------------------------------------------------------------------------------ lots (batches)


def test_counting_by_lot_posts_per_batch(ctx, ken, manager):
    stock_in(ctx, "MILK", "FLOOR", 6, lot="L1", expiry="2026-11-25")
    stock_in(ctx, "MILK", "FLOOR", 6, lot="L2", expiry="2026-12-31")
    count = counts.start_count(ctx, ken, location="FLOOR")
    counts.record_count(ctx, ken, count.id, sku="MILK", lot="L1", qty=D(6))
    scanned = counts.record_count(ctx, ken, count.id, barcode=GS1_MILK_L2, qty=D(4))   # GS1-128 names lot L2
    assert scanned.lot == "L2"
    counts.finish_count(ctx, ken, count.id)
    counts.approve_count(ctx, manager, count.id)
    assert (on_hand(ctx, "MILK", "FLOOR", "L1"), on_hand(ctx, "MILK", "FLOOR", "L2")) == (D(6), D(4))


def test_counting_without_lots_takes_losses_first_expiry_first_out(ctx, ken, manager):
    stock_in(ctx, "MILK", "FLOOR", 6, lot="L1", expiry="2026-11-25")
    stock_in(ctx, "MILK", "FLOOR", 6, lot="L2", expiry="2026-12-31")
    count = counts.start_count(ctx, ken, location="FLOOR")
    counts.record_count(ctx, ken, count.id, sku="MILK", qty=D(4))
    counts.finish_count(ctx, ken, count.id)
    counts.approve_count(ctx, manager, count.id)
    assert (on_hand(ctx, "MILK", "FLOOR", "L1"), on_hand(ctx, "MILK", "FLOOR", "L2")) == (D(0), D(4))
    assert ledger_agrees(ctx)


def test_a_surplus_without_lot_goes_to_the_latest_expiring_batch(ctx, ken, manager):
    stock_in(ctx, "MILK", "FLOOR", 2, lot="L1", expiry="2026-11-25")
    stock_in(ctx, "MILK", "FLOOR", 2, lot="L2", expiry="2026-12-31")
    count = counts.start_count(ctx, ken, location="FLOOR")
    counts.record_count(ctx, ken, count.id, sku="MILK", qty=D(5))
    counts.finish_count(ctx, ken, count.id)
    counts.approve_count(ctx, manager, count.id)
    assert (on_hand(ctx, "MILK", "FLOOR", "L1"), on_hand(ctx, "MILK", "FLOOR", "L2")) == (D(2), D(3))


# ----------------------------------------------------------------------------------------------- scopes


def test_a_category_count_covers_only_its_category(stocked, ken):
    count = counts.start_count(stocked, ken, location="FLOOR", category="饮料 Drinks")
    assert (count.kind, count.category, count.lines) == ("category", "饮料 Drinks", 1)
    with pytest.raises(InvalidInput) as outside:
        counts.record_count(stocked, ken, count.id, sku="CHIPS", qty=D(1))
    assert outside.value.code == "not_in_count" and "CHIPS" in outside.value.message
    with pytest.raises(NotFound) as unknown:
        counts.start_count(stocked, ken, location="BACK", category="Toys")
    assert unknown.value.code == "unknown_category"


def test_a_category_is_found_by_its_first_word_too(stocked, ken):
    assert counts.start_count(stocked, ken, location="FLOOR", category="饮料").category == "饮料 Drinks"


def test_a_full_count_takes_in_what_it_finds(stocked, ken, manager):
    count = counts.start_count(stocked, ken, location="FLOOR")
    counts.record_count(stocked, ken, count.id, sku="SOAP", qty=D(1))     # none expected on FLOOR
    report = counts.finish_count(stocked, ken, count.id)
    assert (_line(report, "SOAP").expected, _line(report, "SOAP").variance) == (D(0), D(1))
    counts.approve_count(stocked, manager, count.id)
    assert on_hand(stocked, "SOAP", "FLOOR") == D(1)


def test_items_not_counted_for_n_days(stocked, ken, manager, clock):
    first = counts.start_count(stocked, ken, location="FLOOR", category="饮料 Drinks")
    counts.record_count(stocked, ken, first.id, sku="COLA", qty=D(10))
    counts.finish_count(stocked, ken, first.id)
    counts.approve_count(stocked, manager, first.id)
    clock.advance(days=3)
    stale = counts.start_count(stocked, ken, location="FLOOR", stale_days=7)
    assert (stale.kind, stale.lines) == ("stale", 1)                       # CHIPS only: COLA was counted 3 days ago
    with pytest.raises(InvalidInput):
        counts.record_count(stocked, ken, stale.id, sku="COLA", qty=D(1))
    counts.cancel_count(stocked, manager, stale.id)
    clock.advance(days=5)
    assert counts.start_count(stocked, ken, location="FLOOR", stale_days=7).lines == 2


# --------------------------------------------------------------------------------------------- bad input


def test_counting_an_unknown_barcode_says_so(stocked, ken):
    count = counts.start_count(stocked, ken, location="FLOOR")
    with pytest.raises(NotFound) as unknown:
        counts.record_count(stocked, ken, count.id, barcode=UNKNOWN)
    assert unknown.value.code == "unknown_barcode" and UNKNOWN in unknown.value.message
    with pytest.raises(InvalidInput) as bad_digit:
        counts.record_count(stocked, ken, count.id, barcode="6901234567893")
    assert "check digit" in bad_digit.value.message
    with pytest.raises(NotFound) as sku:
        counts.record_count(stocked, ken, count.id, sku="NOPE")
    assert sku.value.code == "unknown_product"
    with pytest.raises(InvalidInput) as half:
        counts.record_count(stocked, ken, count.id, sku="COLA", qty=D("0.5"))
    assert half.value.code == "whole_units"
    with pytest.raises(InvalidInput) as lot:
        counts.record_count(stocked, ken, count.id, sku="COLA", lot="X1")
    assert lot.value.code == "no_lots"
    assert rows(stocked, "SELECT count(*) FROM count_entries") == [(0,)]


def test_approving_twice_is_refused(stocked, ken, manager):
    count = counts.start_count(stocked, ken, location="FLOOR")
    counts.record_count(stocked, ken, count.id, sku="COLA", qty=D(9))
    counts.finish_count(stocked, ken, count.id)
    counts.approve_count(stocked, manager, count.id)
    with pytest.raises(InvalidInput) as twice:
        counts.approve_count(stocked, manager, count.id)
    assert twice.value.code == "already_approved" and "already approved" in twice.value.message
    assert on_hand(stocked, "COLA", "FLOOR") == D(9)
    with pytest.raises(InvalidInput) as late:
        counts.record_count(stocked, ken, count.id, sku="COLA")
    assert late.value.code == "already_approved"


def test_a_stock_clerk_may_count_but_not_approve(stocked, ken, manager):
    count = counts.start_count(stocked, ken, location="FLOOR")
    counts.finish_count(stocked, ken, count.id)
    with pytest.raises(PermissionDenied) as denied:
        counts.approve_count(stocked, ken, count.id)
    assert "ken" in denied.value.message and "manager" in denied.value.message
    posting = counts.approve_count(stocked, ken, count.id, approver=manager)      # a manager's override
    assert posting.lines == 2
    assert rows(stocked, "SELECT json_extract(entry, '$.approver') FROM journal WHERE kind = 'stock_count'") == [
        ("mia",)]


def test_a_cashier_may_not_count(stocked, cashier):
    with pytest.raises(PermissionDenied):
        counts.start_count(stocked, cashier, location="FLOOR")


def test_the_order_of_steps_is_kept(stocked, ken, manager):
    count = counts.start_count(stocked, ken, location="FLOOR")
    with pytest.raises(InvalidInput) as open_:
        counts.approve_count(stocked, manager, count.id)
    assert open_.value.code == "count_not_finished"
    with pytest.raises(InvalidInput) as busy:
        counts.start_count(stocked, ken, location="floor")
    assert busy.value.code == "count_in_progress"
    counts.finish_count(stocked, ken, count.id)
    with pytest.raises(InvalidInput) as finished:
        counts.record_count(stocked, ken, count.id, sku="COLA")
    assert finished.value.code == "count_not_open"
    counts.cancel_count(stocked, manager, count.id)
    with pytest.raises(InvalidInput) as cancelled:
        counts.approve_count(stocked, manager, count.id)
    assert cancelled.value.code == "count_cancelled"
    with pytest.raises(NotFound):
        counts.finish_count(stocked, ken, "no-such-count")
    assert counts.start_count(stocked, ken, location="FLOOR").number == "S01-T01-C000002"


def test_counts_are_found_by_number_and_listed(stocked, ken, clock):
    first = counts.start_count(stocked, ken, location="FLOOR")
    clock.advance(minutes=1)
    counts.start_count(stocked, ken, location="BACK")
    assert counts.get_count(stocked, first.number.lower()).id == first.id
    assert [c.location for c in counts.list_counts(stocked)] == ["BACK", "FLOOR"]
    assert [c.location for c in counts.list_counts(stocked, "approved")] == []


def test_many_entries_in_one_upload_are_all_or_nothing(stocked, ken):
    count = counts.start_count(stocked, ken, location="FLOOR")
    with pytest.raises(NotFound):
        counts.record_counts(stocked, ken, count.id, [counts.CountInput(sku="COLA", qty=D(3)),
                                                      counts.CountInput(barcode=UNKNOWN)])
    assert rows(stocked, "SELECT count(*) FROM count_entries") == [(0,)]
    done = counts.record_counts(stocked, ken, count.id, [counts.CountInput(sku="COLA", qty=D(3)),
                                                         counts.CountInput(barcode=COLA, qty=D(2))])
    assert [r.line_count for r in done] == [D(3), D(5)]


def test_a_count_waits_a_day_and_still_measures_at_its_moment(stocked, ken, cashier, manager, clock):
    count = counts.start_count(stocked, ken, location="FLOOR")
    counts.record_count(stocked, ken, count.id, sku="COLA", qty=D(10))
    counts.record_count(stocked, ken, count.id, sku="CHIPS", qty=D(5))
    counts.finish_count(stocked, ken, count.id)
    clock.advance(days=1)
    sell(stocked, cashier, ("COLA", 3), ("CHIPS", 1))
    clock.set(clock.now() + timedelta(hours=2))
    counts.approve_count(stocked, manager, count.id)
    assert (on_hand(stocked, "COLA", "FLOOR"), on_hand(stocked, "CHIPS", "FLOOR")) == (D(7), D(4))
