"""Secrets: made with ``secrets``, shown once, stored only as SHA-256 hashes, compared in constant time.

A till's credential is ``<enrolment_id>.<secret>`` (256-bit secret, URL-safe base64); an API key is
``pk_<key_id>.<secret>``; an enrolment code is 160 random bits in base32, grouped for typing
(``ABCD-EFGH-…``; case, spaces and dashes are ignored when it is entered). Head office's optional second
factor is TOTP (RFC 6238, pyotp): a code of the current 30-second step, or one either side.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp

KEY_PREFIX = "pk_"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def matches(secret: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_digest)


def new_enrol_code() -> str:
    text = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def normal_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def split_credential(value: str | None) -> tuple[str, str] | None:
    """``(id, secret)`` from ``Bearer <id>.<secret>`` (or the bare credential); None if it is not one."""
    if not value:
        return None
    scheme, _sp, token = value.strip().partition(" ")
    if token and scheme.lower() != "bearer":
        return None
    token = (token or scheme).strip()
    ident, dot, secret = token.partition(".")
    if not dot or not ident or not secret or len(token) > 300:
        return None
    return ident, secret


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, name: str = "head-office") -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name="POS server")


def totp_ok(secret: str, code: str | None, at: datetime) -> bool:
    code = (code or "").replace(" ", "")
    return bool(re.fullmatch(r"\d{6}", code)) and pyotp.TOTP(secret).verify(code, for_time=at, valid_window=1)
