"""Fixtures of the security tests: the sync tests' real servers on 127.0.0.1 (SQLite, and PostgreSQL when
POS_TEST_POSTGRES_URL names one) and their tills."""

from tests.sync.conftest import (  # noqa: F401
    any_server,
    any_tills,
    postgres_server,
    server,
    server_exists,
    sqlite_server,
    tills,
)
