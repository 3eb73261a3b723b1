"""Head office's routes (``/api/v1/admin/…``), for an API key with scope ``admin``; the same operations as
``pos server admin …`` (``admin.py``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends, Header, Path, Query
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ..core.errors import NotFound
from . import access, admin, chain_reports, chain_schemas
from .app import ServerState, state
from .schemas import (
    ERRORS,
    ActiveIn,
    ApiKeyIn,
    ApiKeyOut,
    EnrolCodeOut,
    EventErrorsOut,
    ImportOut,
    LocationIn,
    MemberIn,
    OkOut,
    ProductsIn,
    PromotionIn,
    PromotionOut,
    ReplayIn,
    ReplayOut,
    RevokedOut,
    SettingIn,
    StockOut,
    StoreIn,
    StoreOut,
    StoresOut,
    StoreSummaryOut,
    SupplierIn,
    TillIn,
    UserIn,
)

key_bearer = HTTPBearer(auto_error=False, scheme_name="apiKey",
                        description="An API key `pk_<id>.<secret>` from `pos server admin api-key`")


def needs(scope: str) -> Callable[..., None]:
    """A dependency: the request's API key must hold ``scope`` (``admin`` holds all)."""
    def check(cred: HTTPAuthorizationCredentials | None = Depends(key_bearer),
              pos: ServerState = Depends(state)) -> None:
        with pos.db.read() as session:
            access.authenticate_key(session, f"Bearer {cred.credentials}" if cred else None, scope)
    return check


def head_office_otp(otp: str | None = Header(None, alias="X-POS-OTP", max_length=20, description=(
                        "Head office's one-time code, when its TOTP is switched on (pos server admin totp)")),
                    pos: ServerState = Depends(state)) -> None:
    """A dependency of head office's routes: the TOTP code, when switched on (docs/security.md)."""
    with pos.db.read() as session:
        access.check_admin_otp(session, otp, pos.now())


ADMIN = [Depends(needs("admin")), Depends(head_office_otp)]
router = APIRouter(prefix="/api/v1/admin", tags=["admin"], responses=ERRORS, dependencies=ADMIN)
CODE = Path(min_length=1, max_length=10, description="A store code")


def _now(pos: ServerState) -> dict[str, str]:
    return {"server_time": pos.now_text()}


@router.post("/stores", response_model=StoreOut, summary="Create a store (with locations FLOOR and BACK)")
def create_store(body: StoreIn, pos: ServerState = Depends(state)) -> dict:
    return {**admin.create_store(pos.db, pos.now(), body.code, body.name, body.currency), **_now(pos)}


@router.get("/stores", response_model=StoresOut, summary="List the stores")
def stores(pos: ServerState = Depends(state)) -> dict:
    return {"stores": admin.list_stores(pos.db), **_now(pos)}


@router.post("/enrol-codes", response_model=EnrolCodeOut, summary="A one-time enrolment code for a till")
def enrol_code(body: TillIn, pos: ServerState = Depends(state)) -> dict:
    return {**admin.enrol_code(pos.db, pos.now(), body.store, body.till), **_now(pos)}


@router.post("/revoke-till", response_model=RevokedOut, summary="Revoke every enrolment of a till")
def revoke_till(body: TillIn, pos: ServerState = Depends(state)) -> dict:
    return {**admin.revoke_till(pos.db, pos.now(), body.store, body.till), **_now(pos)}


@router.put("/products", response_model=ImportOut, summary="Create or replace products")
def put_products(body: ProductsIn, pos: ServerState = Depends(state)) -> dict:
    """The catalog import's checks and report; each product is one row (row 1 is the first)."""
    return {**admin.put_products(pos.db, pos.now(), [p.model_dump() for p in body.products]), **_now(pos)}


@router.put("/products/{sku}/active", response_model=OkOut, summary="Switch a product on or off")
def product_active(body: ActiveIn, sku: str = Path(max_length=50), pos: ServerState = Depends(state)) -> dict:
    if not admin.set_product_active(pos.db, pos.now(), sku, body.active):
        raise NotFound(f"Unknown SKU {sku}", code="unknown_product")
    return _now(pos)


@router.post("/promotions", response_model=PromotionOut, summary="Create a promotion")
def add_promotion(body: PromotionIn, pos: ServerState = Depends(state)) -> dict:
    return {**admin.put_promotion(pos.db, pos.now(), body.model_dump()), **_now(pos)}


@router.put("/promotions/{promotion_id}", response_model=PromotionOut, summary="Create or replace a promotion")
def put_promotion(body: PromotionIn, promotion_id: str = Path(min_length=1, max_length=36),
                  pos: ServerState = Depends(state)) -> dict:
    return {**admin.put_promotion(pos.db, pos.now(), body.model_dump(), promotion_id), **_now(pos)}


@router.put("/users/{username}", response_model=OkOut, summary="Create or change a till user")
def put_user(body: UserIn, username: str = Path(max_length=50), pos: ServerState = Depends(state)) -> dict:
    """A new user needs a role and a PIN; the PIN is hashed (Argon2id, as the till does) and sent to tills."""
    admin.put_user(pos.db, pos.now(), username, **body.model_dump())
    return _now(pos)


@router.put("/suppliers/{code}", response_model=OkOut, summary="Create or change a supplier")
def put_supplier(body: SupplierIn, code: str = Path(min_length=1, max_length=30),
                 pos: ServerState = Depends(state)) -> dict:
    admin.put_supplier(pos.db, pos.now(), code, **body.model_dump())
    return _now(pos)


@router.put("/stores/{store}/locations/{code}", response_model=OkOut, summary="Create or change a location")
def put_location(body: LocationIn, store: str = CODE, code: str = Path(min_length=1, max_length=10),
                 pos: ServerState = Depends(state)) -> dict:
    admin.put_location(pos.db, pos.now(), store, code, body.name, body.kind)
    return _now(pos)


@router.put("/members/{code}", response_model=OkOut, summary="Create or change a member")
def put_member(body: MemberIn, code: str = Path(min_length=1, max_length=30), pos: ServerState = Depends(state)) -> dict:
    admin.put_member(pos.db, pos.now(), code, body.name, body.phone)
    return _now(pos)


@router.put("/settings/{key}", response_model=OkOut, summary="Set a till setting for the chain or one store")
def put_setting(body: SettingIn, key: str = Path(min_length=1, max_length=100),
                pos: ServerState = Depends(state)) -> dict:
    admin.put_setting(pos.db, pos.now(), key, body.value, body.store)
    return _now(pos)


@router.post("/api-keys", response_model=ApiKeyOut, summary="Create an API key (shown once)")
def api_key(body: ApiKeyIn, pos: ServerState = Depends(state)) -> dict:
    return {**admin.create_api_key(pos.db, pos.now(), body.name, body.scopes), **_now(pos)}


@router.get("/stores/{store}/summary", response_model=StoreSummaryOut, summary="A store's sales, by till")
def summary(store: str = CODE, pos: ServerState = Depends(state)) -> dict:
    return {**admin.summary(pos.db, store), **_now(pos)}


@router.get("/stores/{store}/stock", response_model=StockOut, summary="A store's stock per location and lot")
def stock(store: str = CODE, sku: str | None = Query(None, max_length=50),
          location: str | None = Query(None, max_length=10), pos: ServerState = Depends(state)) -> dict:
    return {"store": store.upper(), "stock": admin.stock(pos.db, store, sku=sku, location=location), **_now(pos)}


@router.get("/stores/{store}/event-errors", response_model=EventErrorsOut,
            summary="Events whose projection failed (newest first)")
def event_errors(store: str = CODE, limit: int = Query(100, ge=1, le=1000), pos: ServerState = Depends(state)) -> dict:
    return {"errors": admin.event_errors(pos.db, store, limit), **_now(pos)}


@router.post("/replay-errors", response_model=ReplayOut, summary="Project failed events again")
def replay_errors(body: ReplayIn, pos: ServerState = Depends(state)) -> dict:
    """After the cause is fixed (the missing product created, …): each event whose projection failed is
    projected again, in the order received; those that now go in have their errors marked resolved."""
    return {**admin.replay_errors(pos.db, pos.now(), body.store), **_now(pos)}


# --- chain-wide reports (chain_reports.py) ---------------------------------------------------------------------

FROM = Query(alias="from", description="First business date, YYYY-MM-DD")
TO = Query(alias="to", description="Last business date (inclusive)")


@router.get("/reports/ranking", response_model=chain_schemas.RankingOut,
            summary="Stores ranked by net sales, beside the previous period")
def store_ranking(date_from: date = FROM, date_to: date = TO, pos: ServerState = Depends(state)) -> dict:
    """Every store with its sales, returns, average basket and margin where the cost is known; the previous
    period is the same number of days just before."""
    with pos.db.read() as session:
        return {**chain_reports.store_ranking(session, date_from, date_to), **_now(pos)}


@router.get("/reports/trend", response_model=chain_schemas.TrendOut,
            summary="The chain's sales by day, week or month, beside the previous period")
def sales_trend(date_from: date = FROM, date_to: date = TO,
                by: Literal["day", "week", "month"] = Query("day", description="Bucket size"),
                pos: ServerState = Depends(state)) -> dict:
    """All stores added up per bucket (and each store's share in `by_store`)."""
    with pos.db.read() as session:
        return {**chain_reports.sales_trend(session, date_from, date_to, by), **_now(pos)}
