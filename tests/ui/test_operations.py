"""The one way off the GUI thread: results come back on the GUI thread, in any number, whatever they are.

PySide6 6.12.0 crashed the interpreter (a reference-count bug) when Python objects crossed threads through a
queued signal; pyproject.toml keeps it out. This test sends thousands across and would abort the run."""

from __future__ import annotations

import threading

from pos_desktop.ui.operations import InlineExecutor, Runner


def test_results_and_failures_arrive_on_the_gui_thread(qtbot):
    runner = Runner()
    got, threads = [], set()

    def record(value):
        threads.add(threading.current_thread())
        got.append(value)

    for i in range(2000):
        runner.run(lambda i=i: None if i % 3 == 0 else (i, True) if i % 3 == 1 else 1 / 0,
                   success=record, failure=record)
    qtbot.waitUntil(lambda: len(got) == 2000, timeout=20000)
    runner.shutdown()
    assert threads == {threading.main_thread()}
    assert sum(1 for v in got if isinstance(v, ZeroDivisionError)) == 666
    assert got.count(None) == 667


def test_inline_executor_runs_at_once():
    runner = Runner(InlineExecutor())
    got = []
    runner.run(lambda: 41 + 1, success=got.append)
    assert got == [42] and runner.pending == 0
