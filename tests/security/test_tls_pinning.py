"""TLS with a self-signed certificate on 127.0.0.1 (issue 9, point 8). tests/sync/test_tls.py covers a
store CA (unknown CA and a wrong pin refused, the right pin trusted); here the server's own self-signed
certificate is pinned with ``pos enrol --ca-file`` (without the pin it is refused: test_tls.py), and the pin
holds: when the server shows another
certificate later — a man in the middle — the till refuses it, even with ``REQUESTS_CA_BUNDLE`` naming it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sync.harness import ROOT, ServerProcess, Till, child_env


def self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key",
                    "-out", f"{name}.pem", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], cwd=folder, check=True, capture_output=True)
    return folder / f"{name}.key", folder / f"{name}.pem"


def pos(folder: Path, *argv: str, **extra: str) -> tuple[int, dict]:
    done = subprocess.run([sys.executable, "-m", "pos_desktop", "--data-dir", str(folder), *argv, "--json"],
                          capture_output=True, text=True, timeout=120, env={**child_env(), **extra}, cwd=ROOT)
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1])


def https_server(workdir: Path, key: Path, cert: Path, port: int = 0) -> ServerProcess:
    server = ServerProcess.sqlite(workdir)
    server.scheme, server.ca_file, server.port = "https", str(cert), port
    server.options = (*server.options, "--ssl-keyfile", str(key), "--ssl-certfile", str(cert))
    return server.start()


def test_a_pinned_self_signed_certificate_and_nothing_else(tmp_path: Path) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    pki = tmp_path / "pki"
    pki.mkdir()
    key, cert = self_signed(pki, "server")
    evil_key, evil_cert = self_signed(pki, "evil")
    server = https_server(tmp_path / "server", key, cert)
    try:
        server.import_catalog()
        store = server.new_store()
        t = Till.create(tmp_path / "till", store, "T01")
        t.close()
        code, doc = pos(t.folder, "enrol", "--server", server.url, "--code", server.enrol_code(store, "T01"),
                        "--ca-file", str(cert))
        assert code == 0, doc
        code, doc = pos(t.folder, "sync", "--once")
        assert code == 0 and doc["ok"], doc
        port = server.port
    finally:
        server.stop()

    impostor = https_server(tmp_path / "server", evil_key, evil_cert, port)   # same address, another key
    try:
        code, doc = pos(t.folder, "sync", "--once", REQUESTS_CA_BUNDLE=str(evil_cert), CURL_CA_BUNDLE=str(evil_cert))
        assert code == 7 and doc["error"] == "tls_error" and doc["ok"] is False, doc
    finally:
        impostor.stop()
    assert os.stat(t.folder / "sync.json").st_mode & 0o077 == 0
