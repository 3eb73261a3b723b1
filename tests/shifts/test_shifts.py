"""Shifts and cash: float by denomination, cash moves, the blind count, variance, hand-over."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from pos_desktop.core.errors import InvalidInput, NotFound, PermissionDenied
from pos_desktop.services import returns, shifts
from pos_desktop.services.checkout import Tender
from pos_desktop.services.denominations import check_total, parse_count

from .helpers import cart_of, rows, sell


def outbox_kinds(ctx) -> list[str]:
    return [k for (k,) in rows(ctx, "SELECT kind FROM outbox ORDER BY till_seq")]


def test_a_float_counted_by_denomination(ctx, cashier):
    count = parse_count({"notes": {"100": 2, "50": 1, "10": 4}, "coins": {"1": 5, "0.5": 2, "0.1": 10}}, "CNY", 2)
    assert count.total == D("297.00")
    opened = shifts.open_shift(ctx, cashier, float_amount=D("297.00"), count=count)
    assert opened["float"] == "297.00" and opened["denominations"]["coin"] == {"1.00": 5, "0.50": 2, "0.10": 10}
    assert rows(ctx, "SELECT purpose, total_minor FROM cash_counts") == [("opening", 29700)]
    assert rows(ctx, "SELECT count(*) FROM cash_count_lines") == [(6,)]
    assert outbox_kinds(ctx)[-1] == "shift.opened"
    assert rows(ctx, "SELECT kind FROM journal ORDER BY seq DESC LIMIT 1") == [("shift_opened",)]
    with pytest.raises(InvalidInput) as twice:
        shifts.open_shift(ctx, cashier, float_amount=D("10"))
    assert twice.value.code == "shift_open"


def test_a_float_that_disagrees_with_its_count_is_refused(ctx, cashier):
    count = parse_count({"100": 1}, "CNY", 2)
    with pytest.raises(InvalidInput) as wrong:
        shifts.open_shift(ctx, cashier, float_amount=D("50"), count=count)
    assert wrong.value.code == "denominations_mismatch"
    assert rows(ctx, "SELECT count(*) FROM shifts") == [(0,)]


@pytest.mark.parametrize("doc", [{"3": 1}, {"100": -1}, {"100": "x"}, {"100": 1.5}, {"0.3": 2}, [], {},
                                 {"coins": {"100": 1}}])
def test_bad_counts_are_refused(doc):
    with pytest.raises(InvalidInput):
        parse_count(doc, "CNY", 2)


def test_counts_in_both_forms_and_totals():
    flat = parse_count({"denominations": {"100": 1, "1": 2, "0.05": 3}}, "CNY", 2)
    assert flat.total == D("102.15") and {line.kind for line in flat.lines} == {"note", "coin"}
    assert check_total(flat, None, "x") == D("102.15") and check_total(None, D("5"), "x") == D("5")
    with pytest.raises(InvalidInput):
        check_total(None, None, "x")


def test_the_first_sale_opens_a_shift_by_itself_with_a_float_of_0(ctx, cashier):
    sell(ctx, cashier, ("COLA", 1))
    assert rows(ctx, "SELECT opening_float_minor, float_source FROM shifts") == [(0, "auto")]
    status = shifts.shift_status(ctx, cashier)
    assert status["open"] and status["float_source"] == "auto" and status["sales_count"] == 1


def test_cash_moves_need_a_supervisor_a_reason_and_an_open_shift(ctx, cashier, supervisor, manager):
    with pytest.raises(InvalidInput) as none_open:
        shifts.move_cash(ctx, supervisor, kind="in", amount=D("10"), reason="coins")
    assert none_open.value.code == "no_open_shift"
    shifts.open_shift(ctx, cashier, float_amount=D("100"))
    with pytest.raises(PermissionDenied):
        shifts.move_cash(ctx, cashier, kind="in", amount=D("10"), reason="coins")
    with pytest.raises(InvalidInput):
        shifts.move_cash(ctx, supervisor, kind="in", amount=D("10"), reason="  ")
    with pytest.raises(InvalidInput) as too_much:
        shifts.move_cash(ctx, supervisor, kind="out", amount=D("100.01"), reason="too much")
    assert too_much.value.code == "not_enough_cash"
    moved = shifts.move_cash(ctx, cashier, kind="out", amount=D("20"), reason="快递费 courier", approver=manager)
    assert (moved["kind"], moved["amount"], moved["approver"]) == ("out", "20.00", "mia")
    (entry,), = rows(ctx, "SELECT entry FROM journal WHERE kind = 'cash_moved'")
    assert json.loads(entry)["approver"] == "mia" and json.loads(entry)["payload"]["reason"] == "快递费 courier"
    assert outbox_kinds(ctx)[-1] == "shift.cash_moved"


def test_expected_cash_and_a_blind_count(ctx, cashier, supervisor):
    shifts.open_shift(ctx, cashier, float_amount=D("500.00"))
    a = sell(ctx, cashier, ("COLA", 2), tendered="20.00")            # +20 cash, 13 change
    sell(ctx, cashier, ("CHIPS", 1), pay="card")                      # card 7.90
    voided = sell(ctx, cashier, ("SOAP", 1), tendered="10.00")         # voided: its cash went back
    returns.void_sale(ctx, supervisor, receipt_no=voided.receipt_no, reason="mistake")
    from pos_desktop.services import checkout

    split = cart_of(ctx, ("MILK", 5))                                  # 14.00: card 4, cash 20 (change 10)
    checkout.complete_sale(ctx, split, [Tender("card", D("4.00")), Tender("cash", D("20.00"))], cashier)
    returns.return_items(ctx, cashier, receipt_no=a.receipt_no, lines=[returns.ReturnRequest(1, D(1))])  # −3.50
    shifts.move_cash(ctx, supervisor, kind="in", amount=D("50"), reason="零钱 change")
    shifts.move_cash(ctx, supervisor, kind="out", amount=D("8"), reason="cleaning")
    shifts.move_cash(ctx, supervisor, kind="drop", amount=D("200"), reason="safe")
    blind = shifts.shift_status(ctx, cashier)
    assert blind["blind"] and "expected" not in blind and "cash" not in blind
    seen = shifts.shift_status(ctx, supervisor)
    want = D("500") + 20 + 20 - 13 - 10 - D("3.50") + 50 - 8 - 200
    assert seen["expected"] == {"cash": f"{want:.2f}", "card": "11.90"}
    closed = shifts.close_shift(ctx, cashier, counted_cash=want - D("2.00"))
    assert (closed["expected_cash"], closed["variance"]) == (f"{want:.2f}", "-2.00")
    assert closed["cash"]["refunds"] == "3.50" and closed["cash"]["drops"] == "200.00"
    assert closed["tenders"]["card"] == {"expected": "11.90", "counted": "11.90", "variance": "0.00"}
    assert rows(ctx, "SELECT method, expected_minor, counted_minor, variance_minor FROM shift_tenders ORDER BY 1") \
        == [("card", 1190, 1190, 0), ("cash", int(want * 100), int(want * 100) - 200, -200)]
    assert rows(ctx, "SELECT close_kind, variance_minor FROM shifts") == [("count", -200)]
    assert outbox_kinds(ctx)[-1] == "shift.closed"


def test_a_variance_above_the_limit_needs_an_explanation(ctx, cashier):
    shifts.open_shift(ctx, cashier, float_amount=D("100"))
    with pytest.raises(InvalidInput) as refused:
        shifts.close_shift(ctx, cashier, counted_cash=D("80"))
    assert refused.value.code == "explanation_required"
    assert "80" not in refused.value.message and "20" not in refused.value.message  # blind: no amounts told
    assert rows(ctx, "SELECT closed_at FROM shifts") == [(None,)]
    ctx.settings["cash_variance_limit"] = "25.00"
    assert shifts.close_shift(ctx, cashier, counted_cash=D("80"))["variance"] == "-20.00"


def test_an_explained_variance_is_recorded_and_journaled(ctx, cashier):
    shifts.open_shift(ctx, cashier, float_amount=D("100"))
    count = parse_count({"100": 1, "20": 1}, "CNY", 2)
    closed = shifts.close_shift(ctx, cashier, count=count, explanation="顾客多付 customer overpaid",
                                counted_tenders={"card": D("0")})
    assert closed["variance"] == "20.00" and closed["denominations"] == {"note": {"100.00": 1, "20.00": 1}}
    assert rows(ctx, "SELECT variance_note FROM shifts") == [("顾客多付 customer overpaid",)]
    (entry,), = rows(ctx, "SELECT entry FROM journal WHERE kind = 'shift_closed'")
    assert json.loads(entry)["payload"]["explanation"] == "顾客多付 customer overpaid"
    assert rows(ctx, "SELECT purpose, total_minor FROM cash_counts") == [("closing", 12000)]


def test_hand_over_with_a_count(ctx, cashier, supervisor):
    shifts.open_shift(ctx, cashier, float_amount=D("100"))
    sell(ctx, cashier, ("COLA", 1), tendered="3.50")
    done = shifts.hand_over(ctx, cashier, to_user="sam", counted_cash=D("103.50"))
    assert (done["from"], done["to"]) == ("amy", "sam")
    assert done["closed"]["close_kind"] == "handover" and done["closed"]["variance"] == "0.00"
    assert (done["opened"]["float"], done["opened"]["float_source"]) == ("103.50", "counted")
    status = shifts.shift_status(ctx, supervisor)
    assert status["cashier"] == "sam" and status["expected"] == {"cash": "103.50"}
    sold = sell(ctx, supervisor, ("COLA", 1), tendered="3.50")
    assert rows(ctx, "SELECT s.opened_by = u.id FROM sales x JOIN shifts s ON s.id = x.shift_id "
                     "JOIN users u ON u.username = 'sam' WHERE x.receipt_no = ?", sold.receipt_no) == [(1,)]
    assert outbox_kinds(ctx)[-3:] == ["shift.closed", "shift.opened", "sale.completed"]


def test_hand_over_uncounted_carries_the_expected_cash(ctx, cashier, supervisor):
    shifts.open_shift(ctx, cashier, float_amount=D("100"))
    sell(ctx, cashier, ("CHIPS", 1), tendered="10.00")
    done = shifts.hand_over(ctx, cashier, to_user="sam", incoming=supervisor)
    assert done["closed"]["counted_cash"] is None and done["opened"]["float"] == "107.90"
    assert done["opened"]["float_source"] == "carried"
    (entry,), = rows(ctx, "SELECT entry FROM journal WHERE kind = 'shift_handed_over'")
    assert json.loads(entry)["payload"]["confirmed"] is True


def test_hand_over_refusals(ctx, cashier, supervisor):
    with pytest.raises(InvalidInput):
        shifts.hand_over(ctx, cashier, to_user="sam")                   # nothing open
    shifts.open_shift(ctx, cashier, float_amount=D("10"))
    with pytest.raises(NotFound):
        shifts.hand_over(ctx, cashier, to_user="nobody")
    with pytest.raises(InvalidInput) as clerk:
        shifts.hand_over(ctx, cashier, to_user="ken")                   # a stock clerk cannot sell
    assert clerk.value.code == "cannot_sell"
    with pytest.raises(InvalidInput):
        shifts.hand_over(ctx, cashier, to_user="amy")
    with pytest.raises(InvalidInput):
        shifts.hand_over(ctx, cashier, to_user="mia", incoming=supervisor)  # sam's log-in is not mia's
    assert rows(ctx, "SELECT count(*) FROM shifts WHERE closed_at IS NULL") == [(1,)]


def test_closing_a_shift_needs_no_server(ctx, cashier):
    """A till that was never enrolled (no server at all) closes its shift; the events wait in the outbox."""
    shifts.open_shift(ctx, cashier, float_amount=D("50"))
    shifts.close_shift(ctx, cashier, counted_cash=D("50"))
    assert rows(ctx, "SELECT count(*) FROM outbox WHERE kind LIKE 'shift.%' AND sent_at IS NULL") == [(2,)]
