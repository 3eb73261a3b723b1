"""Creating a till's data folder, and opening it for work (schema upgrade, integrity check, identity)."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DatabaseError as SADatabaseError

from .. import config, paths
from ..core.clock import Clock, SystemClock
from ..core.errors import IntegrityFailure, InvalidInput
from ..core.i18n import _
from ..core.ids import check_code, new_id
from ..core.money import exponent_of
from ..core.permissions import Role
from ..store import migrate
from ..store.backup import rotate
from ..store.db import Database
from ..store.models import Location, Setting, Store, Till, User
from .auth import hash_pin
from .context import Context, TillIdentity, load_settings
from .unit import write

log = logging.getLogger(__name__)
QUICK_CHECK_MAX_BYTES = 64 << 20
DEFAULT_LOCATIONS = (("FLOOR", "卖场 Sales floor", "floor"), ("BACK", "仓库 Back room", "storage"))


def exists(data_dir: Path) -> bool:
    return paths.db_path(data_dir).exists()


def init_till(data_dir: Path, *, store_code: str, store_name: str, till_code: str, admin_user: str,
              admin_pin: str, currency: str = "CNY", tax_inclusive: bool = True, force: bool = False,
              clock: Clock | None = None) -> Context:
    """Create the data folder and database with the store, this till, FLOOR and BACK, and the admin.

    Refuses a folder that already has a database unless ``force``; then the old one is backed up first.
    """
    clock = clock or SystemClock()
    store_code, till_code = check_code(store_code, _("Store code")), check_code(till_code, _("Till code"))
    exponent_of(currency)
    pin_hash = hash_pin(admin_pin)
    if not store_name.strip():
        raise InvalidInput(_("The store needs a name"))
    db_file = paths.db_path(data_dir)
    if db_file.exists():
        if not force:
            raise InvalidInput(_("{path} already holds a till database; use --force to replace it").format(
                path=db_file), code="already_initialized")
        _set_aside(data_dir, clock)
    paths.make_private_dir(data_dir)
    paths.make_private_dir(paths.logs_dir(data_dir))
    paths.make_private_dir(paths.backups_dir(data_dir))
    if not paths.config_path(data_dir).exists():
        config.save(paths.config_path(data_dir), config.defaults())
    db = Database(db_file)
    migrate.upgrade(db, None, clock.now())
    ids = {"store": new_id(), "till": new_id(), "floor": new_id()}
    identity = TillIdentity(ids["store"], store_code, store_name.strip(), currency.upper(), ids["till"],
                            till_code, ids["floor"])
    ctx = Context(data_dir, db, identity, clock)
    with write(ctx) as unit:
        s, at = unit.session, unit.at
        s.add(Store(id=ids["store"], code=store_code, name=identity.store_name, currency=identity.currency,
                    created_at=at))
        s.flush()
        s.add(Till(id=ids["till"], store_id=ids["store"], code=till_code, created_at=at))
        for code, name, kind in DEFAULT_LOCATIONS:
            loc_id = ids["floor"] if code == "FLOOR" else new_id()
            s.add(Location(id=loc_id, store_id=ids["store"], code=code, name=name, kind=kind))
        s.add(User(id=new_id(), username=admin_user, display_name=admin_user, role=Role.ADMIN.value,
                   pin_hash=pin_hash, created_at=at))
        for key, value in {"store_id": ids["store"], "till_id": ids["till"],
                           "tax_inclusive": tax_inclusive}.items():
            s.add(Setting(key=key, value=json.dumps(value)))
        s.flush()
        unit.journal("till_initialized", ids["till"], {"store": store_code, "till": till_code,
                                                       "currency": identity.currency}, user=admin_user)
    ctx.settings = {"tax_inclusive": tax_inclusive}
    return ctx


def _set_aside(data_dir: Path, clock: Clock) -> None:
    db_file = paths.db_path(data_dir)
    rotate(paths.backups_dir(data_dir), db_file, "replaced", clock.now())
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)


def open_till(data_dir: Path, clock: Clock | None = None, *, check: bool | None = None,
              synchronous: str = "FULL") -> Context:
    """Open an existing till: check it, upgrade the schema (after a backup), load its identity.

    ``check`` runs SQLite's quick_check first. It reads the whole file (about a second per GB when cached,
    much more when not), so by default it runs only for databases up to 64 MB; the window checks bigger ones
    in the background. A file SQLite cannot read is an ``IntegrityFailure`` either way (exit 5).
    ``synchronous`` is FULL for every real use; only the demo's history replay turns it off.
    """
    clock = clock or SystemClock()
    db_file = paths.db_path(data_dir)
    if not db_file.exists() and any(paths.backups_dir(data_dir).glob("pos-*.db")):
        raise IntegrityFailure(_("The till database {path} is missing; selling is stopped: restore the newest "
                                 "good backup (pos restore --latest)").format(path=db_file), code="database_missing")
    if not db_file.exists():
        raise InvalidInput(_("No till database in {path}; run `pos init` or `pos demo` first").format(
            path=data_dir), code="not_initialized")
    if check is None:
        check = db_file.stat().st_size <= QUICK_CHECK_MAX_BYTES
    db = Database(db_file, synchronous)
    try:
        if check:
            result = db.quick_check()
            if result != "ok":
                raise damaged(result)
        migrate.upgrade(db, paths.backups_dir(data_dir), clock.now())
        with db.read() as session:
            settings = load_settings(session)
            identity = _identity(session, settings)
    except (sqlite3.DatabaseError, SADatabaseError) as exc:
        db.close()
        if is_corruption(exc):
            raise damaged(str(exc)) from None
        raise
    except Exception:
        db.close()
        raise
    return Context(data_dir, db, identity, clock, settings)


def is_corruption(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(sign in text for sign in ("malformed", "not a database", "corrupt", "no such table"))


def damaged(detail: str) -> IntegrityFailure:
    return IntegrityFailure(_("The till database is damaged ({detail}); selling is stopped: restore the newest "
                              "good backup (pos restore --latest)").format(detail=detail.strip()[:200]),
                            code="database_corrupt")


def _identity(session, settings: dict) -> TillIdentity:  # type: ignore[no-untyped-def]
    store = session.get(Store, settings["store_id"])
    till = session.get(Till, settings["till_id"])
    floor = session.scalar(select(Location.id).where(Location.store_id == store.id, Location.code == "FLOOR"))
    return TillIdentity(store.id, store.code, store.name, store.currency, till.id, till.code, floor)


def copy_database(source: Path, target: Path) -> None:
    """For tests and templates: copy a closed database file (and nothing of its WAL)."""
    shutil.copyfile(source, target)
