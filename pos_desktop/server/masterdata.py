"""Head office's master data besides products: stores and their locations, suppliers, users, members,
settings and promotions. Each write runs in the caller's transaction and appends the change the tills pull
(``location``, ``user``, ``member``, ``setting``, ``promotion``; suppliers travel inside products by code)."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.clock import parse_utc_text, utc_text
from ..core.errors import InvalidInput, NotFound
from ..core.ids import check_code, new_id
from ..core.money import format_money, from_minor, to_minor
from ..core.permissions import parse_role
from ..core.promotions import PromoKind
from . import changes
from .catalog_write import PLACES
from .models import CHAIN, Category, Location, Member, Product, Promotion, Setting, Store, Supplier, User

STANDARD_LOCATIONS = {"FLOOR": ("卖场 Sales floor", "floor"), "BACK": ("仓库 Back room", "storage")}
USERNAME_RE = re.compile(r"^[\w.\-]{1,50}$")
PIN_RE = re.compile(r"^\d{4,12}$")
# The till's parameters (services/auth.py): a hash made here verifies there.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def _text(value: Any, what: str, limit: int, *, required: bool = True) -> str | None:
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise InvalidInput(f"{what} is missing", code="missing_field")
        return None
    if len(text) > limit or not text.isprintable():
        raise InvalidInput(f"{what} must be at most {limit} printable characters", code="bad_field")
    return text


def store_by_code(session: Session, code: str) -> Store:
    store = session.scalar(select(Store).where(Store.code == str(code).strip().upper()))
    if store is None:
        raise NotFound(f"There is no store {code}", code="unknown_store")
    return store


# --- stores and locations -----------------------------------------------------------------------------------


def create_store(session: Session, code: str, name: str, at: str, currency: str = "CNY") -> Store:
    """A store with the locations FLOOR and BACK; InvalidInput if the code is taken."""
    code = check_code(code, "The store code")
    name = _text(name, "The store name", 200) or ""
    if session.scalar(select(Store.id).where(Store.code == code)) is not None:
        raise InvalidInput(f"Store {code} exists already", code="store_exists")
    store = Store(id=new_id(), code=code, name=name, currency=currency.upper()[:3], created_at=at)
    session.add(store)
    session.flush()
    for loc_code, (loc_name, kind) in STANDARD_LOCATIONS.items():
        put_location(session, store, loc_code, loc_name, kind, at)
    return store


def put_location(session: Session, store: Store, code: str, name: str | None, kind: str | None, at: str) -> Location:
    code = check_code(code, "The location code")
    name = _text(name, "The location name", 100, required=False) or code
    kind = _text(kind, "The location kind", 20, required=False) or "storage"
    location = session.scalar(select(Location).where(Location.store_id == store.id, Location.code == code))
    if location is None:
        location = Location(id=new_id(), store_id=store.id, code=code, name=name, kind=kind)
        session.add(location)
    else:
        location.name, location.kind = name, kind
    session.flush()
    changes.append(session, [{"kind": "location", "store_id": store.id,
                              "data": {"code": code, "name": name, "kind": kind}}], at)
    return location


# --- suppliers, users, members, settings ----------------------------------------------------------------------


def put_supplier(session: Session, code: str, name: str, at: str, *, contact: str | None = None,
                 phone: str | None = None, lead_time_days: int | None = None) -> Supplier:
    code = _text(code, "The supplier code", 30) or ""
    name = _text(name, "The supplier name", 200) or ""
    if lead_time_days is not None and not 0 <= int(lead_time_days) <= 365:
        raise InvalidInput("The lead time is 0 to 365 days", code="bad_field")
    supplier = session.scalar(select(Supplier).where(Supplier.code == code))
    if supplier is None:
        supplier = Supplier(id=new_id(), code=code, name=name, lead_time_days=3, updated_at=at)
        session.add(supplier)
    supplier.name = name
    supplier.contact = _text(contact, "The contact", 100, required=False)
    supplier.phone = _text(phone, "The phone number", 40, required=False)
    if lead_time_days is not None:
        supplier.lead_time_days = int(lead_time_days)
    supplier.updated_at = at
    session.flush()
    return supplier


def hash_pin(pin: str) -> str:
    if not PIN_RE.match(str(pin or "")):
        raise InvalidInput("A PIN is 4 to 12 digits", code="bad_pin")
    return _hasher.hash(str(pin))


def put_user(session: Session, username: str, at: str, *, role: str | None = None, pin: str | None = None,
             pin_hash: str | None = None, display_name: str | None = None, active: bool | None = None,
             store: Store | None = None, origin: str | None = None) -> User:
    """Create or change a till user. A new user needs a role and a PIN (or the till's hash of one)."""
    if not USERNAME_RE.match(str(username or "")):
        raise InvalidInput("A user name is 1 to 50 letters, digits, '.', '-' or '_'", code="bad_username")
    user = session.scalar(select(User).where(User.username == username))
    if pin is not None:
        pin_hash = hash_pin(pin)
    elif pin_hash is not None:
        pin_hash = _text(pin_hash, "The PIN hash", 200)
    if user is None:
        if role is None or pin_hash is None:
            raise InvalidInput(f"A new user needs a role and a PIN: {username}", code="missing_field")
        user = User(id=new_id(), username=username, display_name=username, role="cashier", pin_hash=pin_hash,
                    store_id=store.id if store else None, active=True, updated_at=at)
        session.add(user)
    if role is not None:
        user.role = parse_role(role).value
    if pin_hash is not None:
        user.pin_hash = pin_hash
    if display_name is not None:
        user.display_name = _text(display_name, "The display name", 100) or username
    if active is not None:
        user.active = bool(active)
    if store is not None:
        user.store_id = store.id
    user.updated_at = at
    session.flush()
    changes.append(session, [{"kind": "user", "store_id": user.store_id, "data": {
        "username": user.username, "display_name": user.display_name, "role": user.role,
        "pin_hash": user.pin_hash, "active": user.active}}], at)
    return user


def put_member(session: Session, code: str, name: str, at: str, *, phone: str | None = None,
               member_id: str | None = None, store: Store | None = None) -> Member:
    code = _text(code, "The member code", 30) or ""
    name = _text(name, "The member name", 100) or ""
    phone = _text(phone, "The phone number", 30, required=False)
    member = session.scalar(select(Member).where(Member.code == code))
    if member is None:
        member = Member(id=_text(member_id, "The member id", 36, required=False) or new_id(), code=code,
                        name=name, store_id=store.id if store else None, created_at=at, updated_at=at)
        session.add(member)
    member.name, member.phone, member.updated_at = name, phone, at
    session.flush()
    changes.append(session, [{"kind": "member", "data": {"id": member.id, "code": code, "name": name,
                                                          "phone": phone}}], at)
    return member


def put_setting(session: Session, key: str, value: Any, at: str, *, store: Store | None = None) -> Setting:
    key = _text(key, "The setting", 100) or ""
    scope = store.id if store else CHAIN
    setting = session.scalar(select(Setting).where(Setting.scope == scope, Setting.key == key))
    if setting is None:
        setting = Setting(id=new_id(), scope=scope, key=key, value=value, updated_at=at)
        session.add(setting)
    setting.value, setting.updated_at = value, at
    session.flush()
    changes.append(session, [{"kind": "setting", "store_id": store.id if store else None,
                              "data": {"key": key, "value": value}}], at)
    return setting


# --- promotions ---------------------------------------------------------------------------------------------


def _decimal(value: Any, what: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(f"{what} is not a number: {value}", code="bad_field") from None
    if not number.is_finite() or abs(number) >= 10 ** 12:
        raise InvalidInput(f"{what} is not a usable number: {value}", code="bad_field")
    return number


def _count(value: Any, what: str) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not str(value).strip().isdigit() or len(str(value).strip()) > 6:
        raise InvalidInput(f"{what} must be a whole number, not {value!r}", code="bad_field")
    return int(str(value).strip())


def _instant(value: Any, what: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str) and value.endswith("Z") and len(value) == 20:
            return utc_text(parse_utc_text(value))
        at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"{what} must be a time like 2026-12-01T00:00:00+08:00", code="bad_field") from None
    if at.tzinfo is None:
        raise InvalidInput(f"{what} needs its UTC offset, like 2026-12-01T00:00:00+08:00", code="bad_field")
    return utc_text(at)


def put_promotion(session: Session, data: dict[str, Any], at: str, promotion_id: str | None = None) -> Promotion:
    """Create or replace a promotion (``{"name", "kind", "sku" | "category", "percent", "amount", "buy_n",
    "get_m", "starts", "ends", "members_only", "active"}``) with the till's rules for its terms."""
    try:
        kind = PromoKind(str(data.get("kind")))
    except ValueError:
        raise InvalidInput(f"Unknown promotion kind {data.get('kind')!r}; one of "
                           + ", ".join(k.value for k in PromoKind), code="bad_field") from None
    name = _text(data.get("name"), "The promotion name", 200) or ""
    sku, category = data.get("sku") or None, data.get("category") or None
    if (sku is None) == (category is None):
        raise InvalidInput("A promotion is for one product (sku) or one category", code="bad_field")
    product_id = category_id = None
    if sku is not None:
        product_id = session.scalar(select(Product.id).where(Product.sku == str(sku)))
        if product_id is None:
            raise NotFound(f"Unknown SKU {sku}", code="unknown_product")
    else:
        category = _text(category, "The category", 100)
        category_id = session.scalar(select(Category.id).where(Category.name == category))
        if category_id is None:
            category_id = new_id()
            session.add(Category(id=category_id, name=category))
    percent, amount = _decimal(data.get("percent"), "The percent"), _decimal(data.get("amount"), "The amount")
    buy_n, get_m = _count(data.get("buy_n"), "buy_n"), _count(data.get("get_m"), "get_m")
    starts, ends = _instant(data.get("starts"), "The start"), _instant(data.get("ends"), "The end")
    if kind is PromoKind.PERCENT_OFF and (percent is None or not 0 < percent <= 100):
        raise InvalidInput("A percent-off promotion needs a percent between 0 and 100", code="bad_field")
    if kind is PromoKind.AMOUNT_OFF and (amount is None or amount <= 0):
        raise InvalidInput("An amount-off promotion needs an amount above 0", code="bad_field")
    if kind is PromoKind.BUY_N_GET_M and not (1 <= buy_n <= 1000 and 1 <= get_m <= 1000):
        raise InvalidInput("Buy N get M needs N and M from 1 to 1000", code="bad_field")
    if starts and ends and ends <= starts:
        raise InvalidInput("A promotion must end after it starts", code="bad_field")
    try:
        percent_bp = to_minor(percent, 2) if percent is not None else None
        amount_minor = to_minor(amount, PLACES) if amount is not None else None
    except ValueError as exc:
        raise InvalidInput(str(exc), code="bad_field") from None
    promotion_id = _text(promotion_id or data.get("id"), "The promotion id", 36, required=False) or new_id()
    promotion = session.get(Promotion, promotion_id)
    if promotion is None:
        promotion = Promotion(id=promotion_id, updated_at=at)
        session.add(promotion)
    values = {"name": name, "kind": kind.value, "product_id": product_id, "category_id": category_id,
              "percent_bp": percent_bp, "amount_minor": amount_minor, "buy_n": buy_n, "get_m": get_m,
              "starts_utc": starts, "ends_utc": ends, "members_only": bool(data.get("members_only")),
              "active": data.get("active", True) is not False, "updated_at": at}
    for key, value in values.items():
        setattr(promotion, key, value)
    session.flush()
    changes.append(session, [{"kind": "promotion", "data": promotion_doc(promotion, sku, category)}], at)
    return promotion


def promotion_doc(p: Promotion, sku: str | None, category: str | None) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "kind": p.kind, "sku": sku, "category": category,
            "percent": format_money(from_minor(p.percent_bp, 2), 2) if p.percent_bp is not None else None,
            "amount": format_money(from_minor(p.amount_minor, PLACES), PLACES) if p.amount_minor is not None else None,
            "buy_n": p.buy_n, "get_m": p.get_m, "starts": p.starts_utc, "ends": p.ends_utc,
            "members_only": p.members_only, "active": p.active}
