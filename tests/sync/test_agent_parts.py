"""The agent's parts that need no server: backoff, the file lock, sync.json, Retry-After, the honest status."""

from __future__ import annotations

import json
import os
import random
import stat
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

from pos_desktop.sync import config as sync_config
from pos_desktop.sync.agent import SyncAgent, SyncResult
from pos_desktop.sync.backoff import Backoff
from pos_desktop.sync.client import retry_after_seconds
from pos_desktop.sync.lock import SyncLock
from pos_desktop.sync.status import read_status


def test_backoff_is_full_jitter_doubling_to_a_five_minute_cap():
    backoff = Backoff(random.Random(7))
    ceilings = []
    for _ in range(12):
        delay = backoff.next_delay()
        ceilings.append(backoff.ceiling())
        assert 0 <= delay <= backoff.ceiling()
    assert ceilings[:9] == [2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert set(ceilings[8:]) == {300}
    backoff.reset()
    assert backoff.next_delay() <= 2


def test_backoff_delays_are_spread_not_synchronised():
    """Full jitter: a hundred tills that failed five times wait anywhere in [0, 32] s, not all 32 s."""
    delays = []
    for seed in range(100):
        backoff = Backoff(random.Random(seed))
        for _ in range(5):
            delay = backoff.next_delay()
        delays.append(delay)
    assert min(delays) < 8 and max(delays) > 24 and all(0 <= d <= 32 for d in delays)


def test_backoff_waits_at_least_what_retry_after_says():
    backoff = Backoff(random.Random(1))
    assert backoff.next_delay(retry_after=30) >= 30


def test_retry_after_as_seconds_or_as_a_date():
    now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7
    assert retry_after_seconds("Fri, 20 Nov 2026 02:00:30 GMT", now) == 30
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_the_file_lock_keeps_a_second_agent_out_until_released(tmp_path):
    path = tmp_path / "sync.lock"
    first, second = SyncLock(path), SyncLock(path)
    assert first.acquire()
    assert not second.acquire()
    code = "import sys; from pos_desktop.sync.lock import SyncLock; sys.exit(0 if SyncLock(sys.argv[1]).acquire() else 3)"
    assert subprocess.run([sys.executable, "-c", code, str(path)], check=False).returncode == 3   # another process too
    first.release()
    assert second.acquire()
    second.release()


def test_a_crashed_holder_leaves_no_lock_behind(tmp_path):
    path = tmp_path / "sync.lock"
    code = "import os, sys; from pos_desktop.sync.lock import SyncLock; SyncLock(sys.argv[1]).acquire(); os._exit(9)"
    assert subprocess.run([sys.executable, "-c", code, str(path)], check=False).returncode == 9
    assert SyncLock(path).acquire()


def test_sync_json_is_owner_only_and_the_secret_stays_out_of_reprs(tmp_path):
    config = sync_config.SyncConfig("https://hq.example", "enr-1", "s3cr3t-value", None)
    path = sync_config.save(tmp_path, config)
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["secret"] == "s3cr3t-value"
    assert "s3cr3t" not in repr(config) and "s3cr3t" not in repr(sync_config.load(tmp_path))
    assert sync_config.load(tmp_path) == config


def test_a_till_that_is_not_enrolled_is_never_synced(ctx):
    status = read_status(ctx)
    assert (status.enrolled, status.synced, status.online) == (False, False, False)
    result = SyncAgent(ctx).sync_once()
    assert not result.ok and result.error["error"] == "not_enrolled"
    assert read_status(ctx).last_error["error"] == "not_enrolled"


def test_an_unreachable_server_backs_off_and_keeps_everything(ctx, tmp_path):
    sync_config.save(ctx.data_dir, sync_config.SyncConfig("http://127.0.0.1:9", "enr-1", "secret", None))
    before = read_status(ctx).pending
    agent = SyncAgent(ctx, rng=random.Random(3))
    first, second = agent.sync_once(), agent.sync_once()
    assert first.error["error"] == "server_unreachable" and not first.ok
    assert 0 <= first.retry_in <= 2 and 0 <= second.retry_in <= 4
    status = read_status(ctx)
    assert (status.online, status.synced, status.pending) == (False, False, before)


def test_the_schedule_runs_off_the_calling_thread_and_wake_runs_it_again(ctx):
    threads, ran = [], threading.Semaphore(0)
    agent = SyncAgent(ctx, interval=3600)

    def spy():
        threads.append(threading.current_thread().name)
        ran.release()
        return SyncResult(ok=True)
    agent.sync_once = spy
    agent.start()
    try:
        assert ran.acquire(timeout=10)
        while agent._running:
            time.sleep(0.01)
        agent.wake()
        assert ran.acquire(timeout=10), "wake() runs the job at once, not after the hour's interval"
    finally:
        agent.stop()
    assert len(threads) == 2 and threading.main_thread().name not in threads


def test_a_wake_during_a_pass_makes_it_go_round_once_more(ctx):
    agent = SyncAgent(ctx, interval=3600)
    calls = []

    def spy():
        calls.append(1)
        if len(calls) == 1:
            agent.wake()          # a sale while the pass is under way
        return SyncResult(ok=True)
    agent.sync_once = spy
    agent._running = False
    agent._tick()
    assert len(calls) == 2


def test_backoff_holds_back_a_wake(ctx):
    agent = SyncAgent(ctx, interval=3600)
    agent.start(first_in=3600)
    try:
        agent._not_before = agent.monotonic() + 120
        agent.wake()
        job = agent._scheduler.get_job("pos-sync")
        assert timedelta(seconds=100) < job.next_run_time - datetime.now(UTC) < timedelta(seconds=121)
    finally:
        agent.stop()


def test_schedule_options(ctx):
    agent = SyncAgent(ctx, interval=3600)
    agent.start(first_in=3600)
    try:
        job = agent._scheduler.get_job("pos-sync")
        assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, None)
        assert job.next_run_time > datetime.now(UTC) + timedelta(minutes=59)
    finally:
        agent.stop()
