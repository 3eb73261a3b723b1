"""The till caps glibc's malloc arenas at start (``pos_desktop/malloc.py``): threads that allocate no longer
each keep an arena of their own, which is what made the soak's memory creep (docs/RELIABILITY.md, point 5)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.sync.harness import ROOT, child_env

PROBE = """
import ctypes, sys, threading
from pos_desktop.malloc import limit_arenas
if sys.argv[1] == "capped":
    assert limit_arenas()
barrier = threading.Barrier(12)
def churn():
    barrier.wait()                      # all at once: each finds the arenas busy
    keep = [ctypes.create_string_buffer(2048) for _ in range(500)]
    barrier.wait()
threads = [threading.Thread(target=churn) for _ in range(12)]
for t in threads: t.start()
for t in threads: t.join()
ctypes.CDLL("libc.so.6").malloc_stats()  # glibc: one "Arena N:" block per arena, on stderr
"""


def arenas(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, env=child_env(),
                          cwd=ROOT, timeout=60, check=True)
    return len(re.findall(r"^Arena \d+:", done.stderr, re.MULTILINE))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_threads_share_two_arenas_once_capped() -> None:
    assert arenas("free") > 2, "without the cap, busy threads make arenas of their own"
    assert 1 <= arenas("capped") <= 2
