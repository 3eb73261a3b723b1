"""HTTPS: the handheld pages on uvicorn's own TLS (a store's own CA), the session cookie marked Secure."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.handheld.harness import CODES, make_store, start


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def test_over_https_the_cookie_is_secure_and_the_store_ca_is_trusted(template_dir: Path, tmp_path: Path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    pki = tmp_path / "pki"
    pki.mkdir()
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=Store CA", cwd=pki)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=127.0.0.1", cwd=pki)
    (pki / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "san.ext", cwd=pki)
    make_store(template_dir, tmp_path / "store")
    server = start(tmp_path / "store", tmp_path / "server",
                   extra=("--ssl-keyfile", str(pki / "server.key"), "--ssl-certfile", str(pki / "server.pem")))
    try:
        assert server.url.startswith("https://127.0.0.1:")
        with pytest.raises(httpx.ConnectError):           # not trusted without the store's CA
            httpx.get(f"{server.url}/handheld/", timeout=10)
        trusted = ssl.create_default_context(cafile=str(pki / "ca.pem"))
        with httpx.Client(base_url=server.url, verify=trusted, timeout=30) as client:
            signed = client.post("/handheld/api/login", json={"user": "ken", "pin": "4444"})
            assert signed.status_code == 200
            cookie = signed.headers["set-cookie"]
            assert "pos_hh=" in cookie and "Secure" in cookie and "HttpOnly" in cookie
            assert "samesite=strict" in cookie.lower() and "Path=/handheld" in cookie
            found = client.get("/handheld/api/lookup", params={"code": CODES["COLA"]})
            assert found.json()["product"]["sku"] == "COLA"
    finally:
        server.stop()
