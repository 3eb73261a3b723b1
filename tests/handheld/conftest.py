"""One store and one ``pos server --handheld-data`` process per test module (tests/handheld/harness.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.handheld.harness import HandheldServer, make_store, start


@pytest.fixture(scope="module")
def shop(template_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HandheldServer, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("handheld")
    facts = make_store(template_dir, folder / "store")
    server = start(folder / "store", folder / "server")
    try:
        yield server, facts
    finally:
        server.stop()
