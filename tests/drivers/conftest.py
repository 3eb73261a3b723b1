"""Fixtures for the driver tests: real sockets and pseudo-terminals, never a mock of our own code."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # running the tests without installing the project (pip install -e .)
    sys.path.insert(0, str(ROOT))

from drivers.sim.tcp_printer import TcpPrinterSimulator


@pytest.fixture
def printer_sim():
    with TcpPrinterSimulator() as sim:
        yield sim
