"""Enrolment of tills and the credentials of every request.

A till enrols once with a one-time code (random, shown once, stored hashed, 24 hours, for one store and till
code) and gets an enrolment id and a secret (stored hashed). Every till request then carries
``Bearer <enrolment_id>.<secret>``; head office and integrations carry an API key with scopes. Nothing here
is cached in the process: several server processes share one database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..core.clock import utc_text
from ..core.errors import InvalidInput
from ..core.ids import check_code, new_id
from . import security
from .errors import Forbidden, Unauthorized
from .masterdata import store_by_code
from .models import AdminTotp, ApiKey, EnrolCode, Enrolment, Store

CODE_VALID = timedelta(hours=24)
SCOPES = ("admin", "sales:read", "stock:read", "catalog:write")


@dataclass(frozen=True)
class TillIdentity:
    enrolment: Enrolment
    store: Store


def issue_enrol_code(session: Session, store_code: str, till_code: str, now: datetime) -> tuple[str, str]:
    """A new one-time code for ``till_code`` of ``store_code``: (the code, when it expires)."""
    store = store_by_code(session, store_code)
    till_code = check_code(till_code, "The till code")
    code = security.new_enrol_code()
    expires = utc_text(now + CODE_VALID)
    session.add(EnrolCode(id=new_id(), code_hash=security.digest(security.normal_code(code)), store_id=store.id,
                          till_code=till_code, created_at=utc_text(now), expires_at=expires))
    return code, expires


def enrol(session: Session, *, code: str, till_uuid: str, store_code: str, till_code: str, next_seq: int,
          now: datetime) -> tuple[Enrolment, str, Store]:
    """Spend ``code`` and make a new enrolment; Forbidden (403) for an unknown, spent or expired code or one
    for another store or till. Returns (enrolment, its secret — the only time it is seen, store)."""
    found = session.scalar(select(EnrolCode).where(
        EnrolCode.code_hash == security.digest(security.normal_code(code))))
    if found is None:
        raise Forbidden("This enrolment code is not known; ask head office for a new one", code="bad_code")
    store = session.get(Store, found.store_id)
    assert store is not None
    if found.used_at is not None:
        raise Forbidden("This enrolment code was used already; ask head office for a new one", code="code_used")
    if found.expires_at <= utc_text(now):
        raise Forbidden("This enrolment code has expired; ask head office for a new one", code="code_expired")
    if store_code.strip().upper() != store.code or till_code.strip().upper() != found.till_code:
        raise Forbidden(f"This enrolment code is for till {found.till_code} of store {store.code}",
                        code="wrong_till")
    secret = security.new_secret()
    enrolment = Enrolment(id=new_id(), store_id=store.id, till_code=found.till_code, till_uuid=till_uuid,
                          secret_hash=security.digest(secret), start_seq=next_seq, next_seq=next_seq,
                          created_at=utc_text(now))
    session.add(enrolment)
    session.flush()
    spent = session.execute(update(EnrolCode).where(EnrolCode.id == found.id, EnrolCode.used_at.is_(None))
                            .values(used_at=utc_text(now), enrolment_id=enrolment.id))
    if spent.rowcount != 1:   # another request spent it between our read and this update
        raise Forbidden("This enrolment code was used already; ask head office for a new one", code="code_used")
    return enrolment, secret, store


def authenticate_till(session: Session, authorization: str | None, *, lock: bool = False) -> TillIdentity:
    """The enrolment behind ``Authorization: Bearer <id>.<secret>``; Unauthorized (401) otherwise.
    ``lock`` takes the enrolment's row lock for the rest of the transaction (a push)."""
    credential = security.split_credential(authorization)
    if credential is None:
        raise Unauthorized("This request needs Authorization: Bearer <enrolment_id>.<secret>")
    query = select(Enrolment).where(Enrolment.id == credential[0][:36])
    if lock:
        query = query.with_for_update()
    enrolment = session.scalar(query)
    if enrolment is None or not security.matches(credential[1], enrolment.secret_hash):
        raise Unauthorized("Unknown till or wrong secret; enrol this till again")
    if enrolment.revoked_at is not None:
        raise Unauthorized("This till's enrolment was revoked; enrol it again", code="revoked")
    store = session.get(Store, enrolment.store_id)
    assert store is not None
    return TillIdentity(enrolment, store)


def revoke_till(session: Session, store_code: str, till_code: str, now: datetime) -> int:
    """Revoke every enrolment of a till; how many were still active."""
    store = store_by_code(session, store_code)
    till_code = check_code(till_code, "The till code")
    result = session.execute(update(Enrolment).where(
        Enrolment.store_id == store.id, Enrolment.till_code == till_code, Enrolment.revoked_at.is_(None))
        .values(revoked_at=utc_text(now)))
    return int(result.rowcount or 0)


def flag_conflict(session: Session, enrolment_id: str, till_seq: int, now: datetime) -> None:
    session.execute(update(Enrolment).where(Enrolment.id == enrolment_id, Enrolment.conflict_at.is_(None))
                    .values(conflict_at=utc_text(now), conflict_seq=till_seq))


def parse_scopes(text: str | list[str]) -> list[str]:
    items = text.split(",") if isinstance(text, str) else list(text)
    scopes = sorted({item.strip() for item in items if item.strip()})
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise InvalidInput(f"Scopes are some of {', '.join(SCOPES)}; not {', '.join(unknown) or 'none'}",
                           code="bad_scope")
    return scopes


def create_api_key(session: Session, name: str, scopes: list[str], now: datetime) -> tuple[str, ApiKey]:
    """A new API key: (the key — shown once —, its row)."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput("An API key needs a name of at most 100 characters", code="bad_field")
    secret = security.new_secret()
    key = ApiKey(id=new_id(), name=name, key_hash=security.digest(secret), scopes=" ".join(parse_scopes(scopes)),
                 created_at=utc_text(now))
    session.add(key)
    session.flush()
    return f"{security.KEY_PREFIX}{key.id}.{secret}", key


def authenticate_key(session: Session, authorization: str | None, scope: str) -> ApiKey:
    """The API key behind ``Authorization: Bearer pk_<id>.<secret>``: 401 if it is no valid key, 403 if it
    lacks ``scope`` (``admin`` holds every scope)."""
    credential = security.split_credential(authorization)
    if credential is None or not credential[0].startswith(security.KEY_PREFIX):
        raise Unauthorized("This request needs Authorization: Bearer <API key>")
    key = session.get(ApiKey, credential[0][len(security.KEY_PREFIX):][:36])
    if key is None or not security.matches(credential[1], key.key_hash):
        raise Unauthorized("Unknown or wrong API key")
    if key.revoked_at is not None:
        raise Unauthorized("This API key was revoked", code="revoked")
    held = key.scopes.split()
    if scope not in held and "admin" not in held:
        raise Forbidden(f"This API key lacks the scope {scope}", code="missing_scope")
    return key


# -- head office's second factor ------------------------------------------------------------------------------------

HEAD_OFFICE = "head-office"


def check_admin_otp(session: Session, code: str | None, now: datetime) -> None:
    """With head office's TOTP switched on, ``code`` must be a current one-time code: 401 ``otp_required``
    without one, 401 ``wrong_otp`` for a wrong one. Nothing to check while it is off."""
    row = session.get(AdminTotp, HEAD_OFFICE)
    if row is None:
        return
    if not code:
        raise Unauthorized("Head office's one-time code is needed (X-POS-OTP, or --otp / POS_OTP)",
                           code="otp_required")
    if not security.totp_ok(row.secret, code, now):
        raise Unauthorized("Wrong or stale one-time code", code="wrong_otp")


def enable_admin_totp(session: Session, now: datetime) -> str:
    """A new head-office TOTP secret (replacing any): returned once, to be put in an authenticator app."""
    secret = security.new_totp_secret()
    row = session.get(AdminTotp, HEAD_OFFICE)
    if row is None:
        session.add(AdminTotp(id=HEAD_OFFICE, secret=secret, created_at=utc_text(now)))
    else:
        row.secret, row.created_at = secret, utc_text(now)
    return secret


def disable_admin_totp(session: Session) -> bool:
    row = session.get(AdminTotp, HEAD_OFFICE)
    if row is not None:
        session.delete(row)
    return row is not None
