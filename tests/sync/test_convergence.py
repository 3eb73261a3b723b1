"""Convergence (hypothesis): three tills of one store sell, take returns, void and adjust stock while each is
randomly offline, and sync in random orders with duplicated deliveries (answers lost after the server
committed, pages cut off and fetched again, the whole feed pulled again). Once everybody has synced, every
till and the server show the same stock for every product, location and lot, and the server's sales count
and net sales are the sums of the tills'.

One store and three tills serve all the examples of a run (enrolling takes a server command per till); every
example starts from where the last one left off and ends converged, which is the property.
"""

from __future__ import annotations

import random
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos_desktop.core.errors import InvalidInput
from pos_desktop.services import sync_state
from tests.sync.harness import SKUS

TILLS = ("T01", "T02", "T03")
till_no = st.integers(0, len(TILLS) - 1)
items = st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 3)), min_size=1, max_size=3,
                 unique_by=lambda item: item[0])
OPS = st.one_of(
    st.tuples(st.just("sale"), till_no, items),
    st.tuples(st.just("return"), till_no, st.integers(0, 50)),
    st.tuples(st.just("void"), till_no, st.integers(0, 50)),
    st.tuples(st.just("adjust"), till_no, st.tuples(st.sampled_from(SKUS), st.sampled_from(["FLOOR", "BACK"]),
                                                    st.integers(-4, 9).filter(bool),
                                                    st.sampled_from([None, "L1", "L2"]))),
    st.tuples(st.just("offline"), till_no, st.booleans()),
    st.tuples(st.just("sync"), till_no, st.none()),
    st.tuples(st.just("lost_ack"), till_no, st.none()),      # the server commits, the till never hears
    st.tuples(st.just("cut_page"), till_no, st.none()),      # a page cut off mid-answer, fetched again
    st.tuples(st.just("pull_again"), till_no, st.none()),    # every movement delivered a second time
)


@pytest.fixture
def three(any_tills):
    made = [any_tills(code, timeout=(2.0, 5.0), batch=3, page_size=4) for code in TILLS]
    return any_tills, made


def run(t, op: str, arg) -> None:  # type: ignore[no-untyped-def]
    try:
        if op == "sale":
            t.sell(*arg)
        elif op == "return" and t.receipts:
            t.give_back(t.receipts[arg % len(t.receipts)])
        elif op == "void" and t.receipts:
            t.void(t.receipts[arg % len(t.receipts)])
        elif op == "adjust":
            sku, location, delta, lot = arg
            t.adjust(sku, location, delta, lot if sku == "MILK" else None)
    except InvalidInput:
        pass   # refused at the till (returned twice, voided twice, …): nothing happened, nothing to sync


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(OPS, min_size=4, max_size=14), order_seed=st.integers(0, 10 ** 6))
def test_three_tills_converge_with_the_server(three, ops, order_seed):
    made, tills_ = three[0], three[1]
    for op, which, arg in ops:
        t = tills_[which]
        if op == "offline":
            t.proxy.offline = arg
        elif op == "sync":
            t.sync()
        elif op == "lost_ack":
            t.proxy.inject("/api/v1/push", "drop_after")
            t.sync()
        elif op == "cut_page":
            t.proxy.inject("/api/v1/changes", "cut_reply")
            t.sync()
        elif op == "pull_again":
            sync_state.reset_cursor(t.ctx)
            t.sync()
        else:
            run(t, op, arg)
    rng = random.Random(order_seed)
    for t in tills_:
        t.proxy.offline = False
    for _round in range(2):                               # the first round pushes, the second pulls it all
        for t in rng.sample(tills_, len(tills_)):
            t.drain()
    server_stock = made.server.stock(made.store)
    for t in tills_:
        assert t.stock() == server_stock, t.ctx.till.till_code
    summary = made.server.summary(made.store)
    figures = [t.figures() for t in tills_]
    assert summary["sales_count"] == sum(f["sales_count"] for f in figures)
    assert summary["returns_count"] == sum(f["returns_count"] for f in figures)
    assert D(summary["net_sales"]) * 100 == sum(f["net_sales_minor"] for f in figures)
    for t, f in zip(tills_, figures):
        mine = summary["by_till"][t.ctx.till.till_code]
        assert (mine["sales_count"], D(mine["net_sales"]) * 100) == (f["sales_count"], f["net_sales_minor"])
