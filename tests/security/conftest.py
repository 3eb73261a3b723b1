"""Fixtures of the security tests: the sync tests' real server on 127.0.0.1 and its tills."""

from tests.sync.conftest import server, server_exists, sqlite_server, tills  # noqa: F401
