"""Fixtures of the sync tests: real central servers on 127.0.0.1 (one per test process: a SQLite file, and
PostgreSQL when POS_TEST_POSTGRES_URL names one), a fresh store on it per test, and tills made for it.

A test that needs PostgreSQL runs when POS_TEST_POSTGRES_URL is set and then FAILS (never skips) if the
database cannot be reached; without the variable it is skipped.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.fault_proxy import FaultProxy
from tests.sync.harness import POSTGRES_ENV, ServerProcess, Till, postgres_database


def server_command_exists() -> bool:
    """Whether ``pos server`` exists yet (it is built alongside the agent, by another hand)."""
    from pos_desktop.cli.parser import build_parser
    from pos_desktop.core.errors import UsageError
    try:
        build_parser().parse_args(["server", "--port", "1"])
    except (UsageError, SystemExit):
        return False
    return True


@pytest.fixture(scope="session")
def server_exists() -> None:
    if not server_command_exists():
        pytest.skip("the central server (pos server) is not on this branch yet")


@pytest.fixture(scope="session")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory, server_exists: None) -> Iterator[ServerProcess]:
    server = ServerProcess.sqlite(tmp_path_factory.mktemp("server-sqlite")).start()
    try:
        server.import_catalog()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory, server_exists: None) -> Iterator[ServerProcess]:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    try:
        url, drop = postgres_database(base)
    except Exception as exc:  # noqa: BLE001 - asked for and missing: fail, never skip
        pytest.fail(f"{POSTGRES_ENV}={base} cannot be used: {exc}", pytrace=False)
    server = ServerProcess(url, tmp_path_factory.mktemp("server-postgres"))
    try:
        server.start()
        server.import_catalog()
        yield server
    finally:
        server.stop()
        drop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_server(request: pytest.FixtureRequest) -> ServerProcess:
    """The test runs against the SQLite server and again against the PostgreSQL one."""
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture
def server(sqlite_server: ServerProcess) -> ServerProcess:
    return sqlite_server


class Tills:
    """Makes enrolled tills of one fresh store of ``server``, each behind its own fault proxy."""

    def __init__(self, server: ServerProcess, folder: Path) -> None:
        self.server, self.folder = server, folder
        self.store = server.new_store()
        self.made: list[Till] = []
        self.proxies: dict[str, FaultProxy] = {}

    def __call__(self, code: str = "T01", *, clock=None, enrol: bool = True, pull: bool = True,  # type: ignore[no-untyped-def]
                 **agent_options) -> Till:
        proxy = FaultProxy(self.server.port)
        self.proxies[code] = proxy
        t = Till.create(self.folder / code, self.store, code, clock=clock)
        if agent_options:
            t.close()
            t = Till.open(self.folder / code, clock=clock, **agent_options)
        t.proxy = proxy  # type: ignore[attr-defined]
        self.made.append(t)
        if enrol:
            t.enrol(proxy.url, self.server.enrol_code(self.store, code))
            if pull:
                result = t.sync()
                assert result.ok, result
        return t

    def reopen(self, t: Till, **agent_options) -> Till:  # type: ignore[no-untyped-def]
        t.close()
        again = Till.open(t.folder, clock=t.ctx.clock, **agent_options)
        again.proxy = t.proxy  # type: ignore[attr-defined]
        again.receipts = t.receipts
        self.made.append(again)
        return again

    def close(self) -> None:
        for t in self.made:
            with contextlib.suppress(Exception):   # closed already by the test
                t.close()
        for proxy in self.proxies.values():
            proxy.close()


@pytest.fixture
def tills(server: ServerProcess, tmp_path: Path) -> Iterator[Tills]:
    made = Tills(server, tmp_path)
    yield made
    made.close()


@pytest.fixture
def any_tills(any_server: ServerProcess, tmp_path: Path) -> Iterator[Tills]:
    made = Tills(any_server, tmp_path)
    yield made
    made.close()
