"""The JSON of the API (pydantic), which is also its OpenAPI schema: the sync protocol of
``docs/sync-protocol.md`` for tills, head-office administration, and the integration API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SEQ_MAX = 2 ** 53
TIME = "ISO 8601 with UTC offset"


class Out(BaseModel):
    server_time: str = Field(description=f"The server's clock ({TIME}); tills compare their own with it")


class ErrorOut(Out):
    error: str = Field(description="Machine code: unauthorized, revoked, forbidden, sequence_conflict, "
                                   "rate_limited, too_large, invalid_request, not_found, …")
    message: str = Field(description="Text for people")
    model_config = ConfigDict(extra="allow")


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text} for code, text in (
        (400, "Invalid input"), (401, "No, a wrong or a revoked credential"),
        (403, "Not allowed (a spent code, another store, a missing scope)"), (404, "Not found"),
        (409, "Sequence conflict: the till is cloned or restored and must re-enrol"),
        (413, "Request body over 10 MB"), (422, "The request does not match the schema"),
        (429, "Too many requests: wait Retry-After seconds"), (503, "The database is unreachable"))}


# --- tills ---------------------------------------------------------------------------------------------------


class EnrolIn(BaseModel):
    code: str = Field(min_length=1, max_length=100, description="The one-time code from `pos server admin "
                                                                "enrol-code` (case, spaces and dashes ignored)")
    till_uuid: str = Field(min_length=1, max_length=64, description="The till's local till id")
    store_code: str = Field(min_length=1, max_length=10)
    till_code: str = Field(min_length=1, max_length=10)
    next_seq: int = Field(ge=1, le=SEQ_MAX, description="`till_seq` of the till's oldest unsent outbox event "
                                                        "(or max + 1 when none is unsent)")


class EnrolOut(Out):
    enrolment_id: str
    secret: str = Field(description="Shown once; send `Authorization: Bearer <enrolment_id>.<secret>`")
    store_code: str
    till_code: str


class EventIn(BaseModel):
    till_seq: int = Field(ge=1, le=SEQ_MAX, description="The till's gapless outbox sequence")
    event_id: str = Field(min_length=1, max_length=64, description="The event's uuid, unique for ever")
    kind: str = Field(min_length=1, max_length=50, description="sale.completed, sale.returned, sale.voided, "
                                                               "stock.adjusted, catalog.upserted, …")
    payload: dict[str, Any] = Field(description="As the till wrote it to its outbox")
    journal_hash: str | None = Field(default=None, max_length=128)
    created_at: str | None = Field(default=None, max_length=40, description=TIME)


class PushIn(BaseModel):
    events: list[EventIn] = Field(max_length=500, description="Oldest unsent events in till_seq order")


class PushOut(Out):
    acked_through: int = Field(description="Every till_seq from the enrolment's start up to this one is stored: "
                                           "mark them sent")
    accepted: int = Field(description="Events stored by this request")
    duplicates: int = Field(description="Events stored before, acknowledged again")


class Change(BaseModel):
    cursor: str
    kind: str = Field(description="product, promotion, user, setting, location, member or movement")
    data: Any


class ChangesOut(Out):
    changes: list[Change]
    next: str = Field(description="Pass as `after` for the next page (store it with the applied page)")
    more: bool = Field(description="More changes can be read now")


class StatusOut(Out):
    enrolment_id: str
    store_code: str
    till_code: str
    acked_through: int
    conflict: bool = Field(description="This enrolment saw a sequence conflict: re-enrol the till")


class SummaryOut(Out):
    date: str
    sales_count: int = Field(description="Sales of the date that are not voided")
    returns_count: int
    voids_count: int = Field(description="Sales of the date that were voided")
    net_sales_minor: int = Field(description="Σ total of the sales not voided − Σ total of the returns, minor units")


# --- head office ---------------------------------------------------------------------------------------------


class StoreIn(BaseModel):
    code: str = Field(min_length=1, max_length=10, description="1–10 capital letters or digits")
    name: str = Field(min_length=1, max_length=200)
    currency: str = Field(default="CNY", min_length=3, max_length=3)


class StoreOut(Out):
    code: str
    name: str
    currency: str
    locations: list[str]


class StoresOut(Out):
    stores: list[dict[str, str]]


class TillIn(BaseModel):
    store: str = Field(min_length=1, max_length=10)
    till: str = Field(min_length=1, max_length=10)


class EnrolCodeOut(Out):
    code: str = Field(description="One-time, valid 24 hours, shown once")
    store: str
    till: str
    expires_at: str


class RevokedOut(Out):
    revoked: int = Field(description="Enrolments of the till that were active and are now revoked")


class BarcodeIn(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    pack_qty: str | None = Field(default=None, max_length=20, description="Units one scan sells (default 1)")


class ProductIn(BaseModel):
    """A product as the catalog import reads it; amounts and quantities are decimal strings."""

    sku: str = Field(max_length=50)
    name: str = Field(max_length=200)
    price: str = Field(max_length=20, examples=["3.50"])
    barcodes: list[BarcodeIn] = Field(default_factory=list, max_length=50)
    cost: str | None = Field(default=None, max_length=20)
    member_price: str | None = Field(default=None, max_length=20)
    tax_rate: str | None = Field(default=None, max_length=10, description="A fraction (0.13) or 13%")
    unit: str | None = Field(default=None, max_length=10)
    category: str | None = Field(default=None, max_length=100)
    supplier: str | None = Field(default=None, max_length=30, description="A supplier code")
    reorder_point: str | None = Field(default=None, max_length=20)
    reorder_qty: str | None = Field(default=None, max_length=20)
    track_batches: bool = False
    track_expiry: bool = False
    variant_of: str | None = Field(default=None, max_length=50)
    attributes: dict[str, str] | None = None


class ProductsIn(BaseModel):
    products: list[ProductIn] = Field(max_length=5000, description="Each product replaces the one with its SKU "
                                                                   "(PUT): a field left out takes its default")


class Rejection(BaseModel):
    row: int = Field(description="1 for the first product (or the file's row number)")
    field: str
    reason: str


class ImportOut(Out):
    created: int
    updated: int
    rejected: list[Rejection]
    warnings: list[str] = Field(default_factory=list)


class ActiveIn(BaseModel):
    active: bool


class OkOut(Out):
    ok: bool = True


class PromotionIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(description="percent_off, amount_off or buy_n_get_m", max_length=20)
    sku: str | None = Field(default=None, max_length=50)
    category: str | None = Field(default=None, max_length=100)
    percent: str | None = Field(default=None, max_length=10)
    amount: str | None = Field(default=None, max_length=20)
    buy_n: int = Field(default=0, ge=0, le=1000)
    get_m: int = Field(default=0, ge=0, le=1000)
    starts: str | None = Field(default=None, max_length=40, description=TIME)
    ends: str | None = Field(default=None, max_length=40, description=TIME)
    members_only: bool = False
    active: bool = True


class PromotionOut(Out):
    id: str


class UserIn(BaseModel):
    role: str | None = Field(default=None, max_length=20,
                             description="cashier, supervisor, stock_clerk, manager or admin")
    pin: str | None = Field(default=None, max_length=12, description="4–12 digits; hashed (Argon2id) here")
    display_name: str | None = Field(default=None, max_length=100)
    active: bool | None = None
    store: str | None = Field(default=None, max_length=10, description="Only this store's tills (default: all)")


class SupplierIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    contact: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=40)
    lead_time_days: int | None = Field(default=None, ge=0, le=365)


class LocationIn(BaseModel):
    name: str | None = Field(default=None, max_length=100)
    kind: str | None = Field(default=None, max_length=20)


class MemberIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    phone: str | None = Field(default=None, max_length=30)


class SettingIn(BaseModel):
    value: Any
    store: str | None = Field(default=None, max_length=10, description="Only this store (default: the chain)")


class ApiKeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[str] = Field(min_length=1, max_length=4,
                              description="admin, sales:read, stock:read, catalog:write")


class ApiKeyOut(Out):
    key: str = Field(description="Shown once; send `Authorization: Bearer <key>`")
    id: str
    name: str
    scopes: list[str]


class TillFigures(BaseModel):
    sales_count: int
    returns_count: int
    voids_count: int
    net_sales: str
    acked_through_seq: int


class StoreSummaryOut(Out):
    store: str
    sales_count: int
    returns_count: int
    voids_count: int
    net_sales: str = Field(description="Voided sales excluded, returns subtracted")
    by_till: dict[str, TillFigures]
    journal_alerts: list[dict[str, Any]] = Field(default=[], description=(
        "Tills whose journal did not verify: till, enrolment_id, first_bad_entry, reason, detected_at"))


class StockRow(BaseModel):
    sku: str
    location: str
    batch: str | None
    expiry: str | None
    qty: str = Field(examples=["12.000"])


class StockOut(Out):
    store: str
    stock: list[StockRow]


class EventErrorRow(BaseModel):
    event_id: str
    kind: str
    message: str
    at: str
    resolved_at: str | None = Field(description="When a replay projected the event; null while it fails")


class ReplayIn(BaseModel):
    store: str | None = Field(default=None, max_length=10, description="Only this store's events")


class StillFailing(BaseModel):
    event_id: str
    message: str


class ReplayOut(Out):
    replayed: int
    resolved: int
    still_failing: list[StillFailing]


class EventErrorsOut(Out):
    errors: list[EventErrorRow]


# --- integrations -------------------------------------------------------------------------------------------


class SaleLineOut(BaseModel):
    line_no: int
    sku: str
    name: str
    qty: str
    unit_price: str
    discount: str
    net: str = Field(description="What the customer paid for the line, tax included where prices include it")
    tax: str


class PaymentOut(BaseModel):
    method: str
    amount: str
    status: str


class SaleOut(BaseModel):
    sale_id: str
    receipt_no: str
    till: str
    created_at: str = Field(description="The till's wall time with its offset")
    business_date: str
    status: str = Field(description="completed or voided")
    void_reason: str | None
    total: str
    tax: str
    discount: str
    customer: str | None
    lines: list[SaleLineOut]
    payments: list[PaymentOut]


class SalesOut(Out):
    store: str
    sales: list[SaleOut]
    next: str | None = Field(description="Pass as `after` for the next page; null on the last page")
