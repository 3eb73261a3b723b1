"""A fault-injecting proxy between the agent and a real server: whatever the network does to a request or
its answer, the server ends up with every sale exactly once and the till's outbox empty."""

from __future__ import annotations

import pytest

from tests.sync.fault_proxy import FAULTS

PUSH, CHANGES, SUMMARY = "/api/v1/push", "/api/v1/changes", "/api/v1/summary"
SALES = 12
READ_TIMEOUT = 1.5


def sell_some(t, count: int = SALES) -> None:
    for i in range(count):
        t.sell(("COLA", 1 + i % 3), ("CHIPS", 1))


def check_exactly_once(t, server, store: str, count: int = SALES) -> None:
    summary = server.summary(store)
    assert summary["sales_count"] == count
    assert summary["by_till"][t.ctx.till.till_code]["acked_through_seq"] == \
        t.ctx.products.query("SELECT max(till_seq) FROM outbox")[0][0]
    assert t.pending() == 0
    assert t.ctx.products.query("SELECT count(*) FROM outbox WHERE sent_at IS NULL")[0][0] == 0


@pytest.mark.parametrize("fault", [f for f in FAULTS if f not in ("ok", "status_429")])
def test_a_push_fault_neither_loses_nor_doubles_a_sale(any_tills, any_server, fault):
    t = any_tills("T01", timeout=(2.0, READ_TIMEOUT), batch=5)
    t.proxy.delay_seconds = READ_TIMEOUT + 1.5
    sell_some(t)
    t.proxy.inject(PUSH, fault, "ok", fault)              # the first and the third request of the drain
    failed = t.sync()
    assert not failed.ok and failed.error and failed.retry_in is not None
    if fault == "delay":
        assert t.agent.batch == 2, "a timeout halves the batch"
    t.drain()
    assert t.proxy.pending_faults() == 0
    check_exactly_once(t, any_server, any_tills.store)
    assert t.sync().pushed == 0


def test_a_short_retry_after_is_waited_out_within_the_pass(any_tills, any_server):
    t = any_tills("T01", batch=5)
    waits = []
    t.agent.sleep = waits.append
    sell_some(t)
    t.proxy.retry_after = 3
    t.proxy.inject(PUSH, "status_429", "ok", "status_429")
    result = t.sync()
    assert result.ok and waits == [3, 3]
    check_exactly_once(t, any_server, any_tills.store)


def test_a_long_retry_after_ends_the_pass_and_is_honoured(tills, server):
    t = tills("T01", batch=5)
    t.agent.sleep = lambda seconds: pytest.fail("a two-minute wait must not hold the pass")
    sell_some(t)
    t.proxy.retry_after = 120
    t.proxy.inject(PUSH, "status_429")
    failed = t.sync()
    assert not failed.ok and failed.error["error"] == "server_busy" and failed.retry_in >= 120
    t.drain()
    check_exactly_once(t, server, tills.store)


def test_the_real_servers_rate_limit_is_honoured(tmp_path):
    """A real server limiting pushes to 2 a second (burst 20): batches of one, 30 of them, meet its 429s
    and their Retry-After inside the pass, and the queue still drains whole."""
    from tests.sync.conftest import Tills
    from tests.sync.harness import ServerProcess
    limited = ServerProcess.sqlite(tmp_path / "limited")
    limited.options = (*limited.options, "--push-rate", "2")
    limited.start()
    made = Tills(limited, tmp_path)
    try:
        limited.import_catalog()
        t = made("T01", batch=1)
        waits = []
        sleep = t.agent.sleep
        t.agent.sleep = lambda seconds: (waits.append(seconds), sleep(seconds))
        sell_some(t, 25)
        result = t.sync()
        assert result.ok and result.pending == 0 and waits, "the server's 429s were met and waited out"
        assert limited.summary(made.store)["sales_count"] == 25
    finally:
        made.close()
        limited.stop()


@pytest.mark.parametrize("fault", ["drop_before", "drop_after", "cut_reply", "delay", "status_500", "status_429"])
def test_a_pull_fault_neither_loses_nor_doubles_a_movement(tills, server, fault):
    seller, t = tills("T01"), tills("T02", timeout=(2.0, READ_TIMEOUT), page_size=2)
    t.proxy.delay_seconds = READ_TIMEOUT + 1.5
    sell_some(seller, 6)
    assert seller.drain().ok
    t.proxy.inject(CHANGES, "ok", fault)                  # the second page fails after the first was applied
    assert not t.sync().ok
    t.drain()
    assert t.stock() == seller.stock() == server.stock(tills.store)


def test_faults_everywhere_at_once(any_tills, any_server):
    t = any_tills("T01", timeout=(2.0, READ_TIMEOUT), batch=4)
    t.proxy.delay_seconds = READ_TIMEOUT + 1.5
    sell_some(t)
    t.proxy.inject(PUSH, "drop_after", "cut_reply", "ok", "status_500_after", "delay", "drop_before")
    t.proxy.inject(CHANGES, "cut_reply", "status_429")
    t.proxy.inject(SUMMARY, "drop_before", "status_500")
    t.drain(attempts=40)
    check_exactly_once(t, any_server, any_tills.store)
