"""The integration API for the systems a chain already runs: sales for accounting (``sales:read``), stock for
e-commerce (``stock:read``), products and prices from an ERP (``catalog:write``)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query

from . import admin, masterdata, reports
from .app import ServerState, state
from .routes_admin import needs
from .schemas import ERRORS, ImportOut, ProductsIn, SalesOut, StockOut

router = APIRouter(prefix="/api/v1/integration", tags=["integration"], responses=ERRORS)
STORE = Query(min_length=1, max_length=10, description="A store code, e.g. S01")


@router.get("/sales", response_model=SalesOut, dependencies=[Depends(needs("sales:read"))],
            summary="Sales of a store by business date (scope sales:read)")
def sales(store: str = STORE, date_from: date | None = Query(None, alias="from", description="First date"),
          date_to: date | None = Query(None, alias="to", description="Last date (inclusive)"),
          after: str | None = Query(None, max_length=60, description="`next` of the previous page"),
          limit: int = Query(200, ge=1, le=1000), pos: ServerState = Depends(state)) -> dict:
    """Each sale with its lines and payments as the till recorded them (voided ones marked `voided`)."""
    with pos.db.read() as session:
        found = masterdata.store_by_code(session, store)
        rows, next_cursor = reports.sales(session, found, date_from=date_from.isoformat() if date_from else None,
                                          date_to=date_to.isoformat() if date_to else None, after=after,
                                          limit=limit)
    return {"store": found.code, "sales": rows, "next": next_cursor, "server_time": pos.now_text()}


@router.get("/stock", response_model=StockOut, dependencies=[Depends(needs("stock:read"))],
            summary="On-hand stock of a store (scope stock:read)")
def stock(store: str = STORE, sku: str | None = Query(None, max_length=50),
          location: str | None = Query(None, max_length=10), pos: ServerState = Depends(state)) -> dict:
    """Per product, location and lot; what every till of the store has pushed (rows at zero left out)."""
    return {"store": store.strip().upper(), "stock": admin.stock(pos.db, store, sku=sku, location=location),
            "server_time": pos.now_text()}


@router.put("/products", response_model=ImportOut, dependencies=[Depends(needs("catalog:write"))],
            summary="Create or replace products and their prices (scope catalog:write)")
def put_products(body: ProductsIn, pos: ServerState = Depends(state)) -> dict:
    """Checked like a catalog import; a bad product is rejected with its reason, the others are written.
    A changed price becomes a new price version; tills get the products through their change feed."""
    return {**admin.put_products(pos.db, pos.now(), [p.model_dump() for p in body.products]),
            "server_time": pos.now_text()}
