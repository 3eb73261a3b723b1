"""Head office's operations, each one transaction, shared by ``pos server admin …`` and ``/api/v1/admin/…``
(and the integration API): they take the database and the time and return what is printed or sent as JSON."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..core.clock import utc_text
from . import access, catalog_write, masterdata, reports
from .db import Database
from .models import Location, Store


def create_store(db: Database, now: datetime, code: str, name: str, currency: str = "CNY") -> dict[str, Any]:
    with db.write() as session:
        store = masterdata.create_store(session, code, name, utc_text(now), currency)
        return _store(session, store)


def _store(session: Any, store: Store) -> dict[str, Any]:
    locations = session.scalars(select(Location.code).where(Location.store_id == store.id)
                                .order_by(Location.code)).all()
    return {"code": store.code, "name": store.name, "currency": store.currency, "locations": list(locations)}


def list_stores(db: Database) -> list[dict[str, str]]:
    with db.read() as session:
        return [{"code": s.code, "name": s.name, "currency": s.currency}
                for s in session.scalars(select(Store).order_by(Store.code))]


def enrol_code(db: Database, now: datetime, store: str, till: str) -> dict[str, Any]:
    with db.write() as session:
        code, expires = access.issue_enrol_code(session, store, till, now)
        return {"code": code, "store": store.strip().upper(), "till": till.strip().upper(), "expires_at": expires}


def revoke_till(db: Database, now: datetime, store: str, till: str) -> dict[str, Any]:
    with db.write() as session:
        return {"revoked": access.revoke_till(session, store, till, now)}


def import_catalog(db: Database, now: datetime, path: Path, *, dry_run: bool = False) -> dict[str, Any]:
    with db.write() as session:
        return catalog_write.import_file(session, path, utc_text(now), dry_run=dry_run).to_json()


def put_products(db: Database, now: datetime, products: list[dict[str, Any]]) -> dict[str, Any]:
    with db.write() as session:
        return catalog_write.import_products(session, products, utc_text(now)).to_json()


def set_product_active(db: Database, now: datetime, sku: str, active: bool) -> bool:
    with db.write() as session:
        return catalog_write.set_active(session, sku, active, utc_text(now))


def put_promotion(db: Database, now: datetime, data: dict[str, Any], promotion_id: str | None = None) -> dict:
    with db.write() as session:
        return {"id": masterdata.put_promotion(session, data, utc_text(now), promotion_id).id}


def put_user(db: Database, now: datetime, username: str, **values: Any) -> dict[str, Any]:
    with db.write() as session:
        store_code = values.pop("store", None)
        store = masterdata.store_by_code(session, store_code) if store_code else None
        user = masterdata.put_user(session, username, utc_text(now), store=store, **values)
        return {"username": user.username, "display_name": user.display_name, "role": user.role,
                "active": user.active, "store": store.code if store else None}


def put_supplier(db: Database, now: datetime, code: str, name: str, **values: Any) -> dict[str, Any]:
    with db.write() as session:
        supplier = masterdata.put_supplier(session, code, name, utc_text(now), **values)
        return {"code": supplier.code, "name": supplier.name, "contact": supplier.contact,
                "phone": supplier.phone, "lead_time_days": supplier.lead_time_days}


def put_location(db: Database, now: datetime, store: str, code: str, name: str | None,
                 kind: str | None) -> dict[str, Any]:
    with db.write() as session:
        location = masterdata.put_location(session, masterdata.store_by_code(session, store), code, name, kind,
                                           utc_text(now))
        return {"store": store.strip().upper(), "code": location.code, "name": location.name, "kind": location.kind}


def put_member(db: Database, now: datetime, code: str, name: str, phone: str | None) -> dict[str, Any]:
    with db.write() as session:
        member = masterdata.put_member(session, code, name, utc_text(now), phone=phone)
        return {"code": member.code, "name": member.name, "phone": member.phone}


def put_setting(db: Database, now: datetime, key: str, value: Any, store: str | None = None) -> dict[str, Any]:
    with db.write() as session:
        scope = masterdata.store_by_code(session, store) if store else None
        setting = masterdata.put_setting(session, key, value, utc_text(now), store=scope)
        return {"key": setting.key, "value": setting.value, "store": scope.code if scope else None}


def create_api_key(db: Database, now: datetime, name: str, scopes: str | list[str]) -> dict[str, Any]:
    with db.write() as session:
        key, row = access.create_api_key(session, name, access.parse_scopes(scopes), now)
        return {"key": key, "id": row.id, "name": row.name, "scopes": row.scopes.split()}


def summary(db: Database, store: str) -> dict[str, Any]:
    """The store's figures by till, and the tamper alerts of its tills' journals (``journal_alerts``)."""
    from .journal_check import alerts
    with db.read() as session:
        found = masterdata.store_by_code(session, store)
        return {**reports.store_summary(session, found), "journal_alerts": alerts(session, found)}


def stock(db: Database, store: str, *, sku: str | None = None, location: str | None = None) -> list[dict]:
    with db.read() as session:
        return reports.stock(session, masterdata.store_by_code(session, store), sku=sku, location=location)


def replay_errors(db: Database, now: datetime, store: str | None = None) -> dict[str, Any]:
    from .replay import replay_errors as replay
    return replay(db, now, store)


def event_errors(db: Database, store: str | None, limit: int = 100) -> list[dict[str, Any]]:
    with db.read() as session:
        scope = masterdata.store_by_code(session, store) if store else None
        return reports.event_errors(session, scope, limit)


def require_otp(db: Database, code: str | None, now: datetime) -> None:
    """Head office's TOTP, when switched on (``access.check_admin_otp``): every ``pos server admin`` command."""
    with db.read() as session:
        access.check_admin_otp(session, code, now)


def totp(db: Database, now: datetime, action: str) -> dict[str, Any]:
    """``enable``: a new secret (shown once) and its ``otpauth://`` URI; ``disable``: switched off."""
    from . import security
    with db.write() as session:
        if action == "enable":
            secret = access.enable_admin_totp(session, now)
            return {"totp": True, "secret": secret, "uri": security.totp_uri(secret)}
        return {"totp": False, "was_on": access.disable_admin_totp(session)}
