"""TLS: the agent verifies the server's certificate; a store's own CA is pinned with ``--ca-file``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.sync.harness import ServerProcess, Till, pos


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def store_ca(tmp_path: Path) -> Path:
    """A CA of the store's own and a certificate it signed for 127.0.0.1."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path / "pki"
    folder.mkdir()
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=Store CA", cwd=folder)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=127.0.0.1", cwd=folder)
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other.pem",
            "-days", "2", "-subj", "/CN=Another CA", cwd=folder)
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "san.ext", cwd=folder)
    return folder


def test_a_pinned_ca_is_trusted_and_nothing_else_is(store_ca, tmp_path):
    server = ServerProcess.sqlite(tmp_path / "server")
    server.scheme, server.ca_file = "https", str(store_ca / "ca.pem")
    server.options = (*server.options, "--ssl-keyfile", str(store_ca / "server.key"),
                      "--ssl-certfile", str(store_ca / "server.pem"))
    server.start()
    try:
        server.import_catalog()
        store = server.new_store()
        t = Till.create(tmp_path / "till", store, "T01")
        t.close()
        unpinned = pos("--data-dir", str(t.folder), "enrol", "--server", server.url, "--code",
                       server.enrol_code(store, "T01"), "--json", check=False)
        assert unpinned.returncode == 7 and json.loads(unpinned.stdout)["error"] == "tls_error"
        wrong_pin = pos("--data-dir", str(t.folder), "enrol", "--server", server.url, "--code",
                        server.enrol_code(store, "T01"), "--ca-file", str(store_ca / "other.pem"), "--json",
                        check=False)
        assert wrong_pin.returncode == 7 and json.loads(wrong_pin.stdout)["error"] == "tls_error"
        done = pos("--data-dir", str(t.folder), "enrol", "--server", server.url, "--code",
                   server.enrol_code(store, "T01"), "--ca-file", str(store_ca / "ca.pem"), "--json")
        assert json.loads(done.stdout)["ca_file"] == str(store_ca / "ca.pem")
        synced = json.loads(pos("--data-dir", str(t.folder), "sync", "--once", "--json").stdout)
        assert synced["ok"] and synced["pulled"] >= 4
    finally:
        server.stop()
