"""A real central server process on 127.0.0.1 (SQLite) for the security tests, with the server tests'
catalog: the harness of ``tests/server/conftest.py``, one server per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pos_desktop.server import admin, schema
from pos_desktop.server.db import Database
from tests.server.conftest import CATALOG, NOW, Server, database_url, start_server, stop_server


@pytest.fixture(scope="module")
def hq(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("hq")
    with database_url("sqlite", folder) as url:
        db = Database(url)
        schema.upgrade(db)
        assert admin.put_products(db, NOW, CATALOG)["rejected"] == []
        db.close()
        running = start_server(url, folder)
        running.backend = "sqlite"
        try:
            yield running
        finally:
            stop_server(running)
