"""The JSON of head office's chain-wide reports (``chain_reports``), which is also their OpenAPI schema.
Money is a string with fixed decimals, percentages a string with two decimals (null when there is nothing
to compare with)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .schemas import Out

MONEY = Field(examples=["1234.50"])
PCT = Field(default=None, examples=["12.50"])


class Figures(BaseModel):
    sales_count: int = Field(description="Completed sales (voided ones left out)")
    returns_count: int
    voids_count: int
    gross_sales: str = MONEY
    discounts: str = MONEY
    returns: str = Field(description="Amounts refunded by the returns taken in the period")
    net_sales: str = Field(description="gross_sales − discounts − returns")
    tax: str = MONEY
    avg_basket: str | None = Field(description="(gross_sales − discounts) ÷ sales_count")


class RankedStore(Figures):
    rank: int = Field(description="1 = the largest net sales of the period")
    store: str
    name: str
    currency: str
    costed_sales: str = Field(description="Net sales of the lines whose cost is known")
    cost: str = MONEY
    margin: str | None = Field(description="costed_sales − cost; null when no line's cost is known")
    margin_pct: str | None = PCT
    uncosted_sales: str = MONEY
    share_pct: str | None = PCT
    prev_rank: int
    prev_sales_count: int
    prev_net_sales: str = MONEY
    prev_avg_basket: str | None
    prev_margin: str | None
    change_pct: str | None = Field(description="net_sales against prev_net_sales, in %")


class RankingTotals(Figures):
    stores: int
    costed_sales: str
    cost: str
    margin: str | None
    margin_pct: str | None
    uncosted_sales: str
    prev_sales_count: int
    prev_net_sales: str
    change_pct: str | None


class RankingOut(Out):
    from_: str = Field(alias="from")
    to: str
    previous_from: str
    previous_to: str
    stores: list[RankedStore]
    totals: RankingTotals


class StoreBucket(BaseModel):
    sales_count: int
    net_sales: str


class TrendBucket(Figures):
    period: str = Field(examples=["2026-11-27", "2026-W48", "2026-11"])
    start: str
    end: str
    stores_selling: int = Field(description="Stores with at least one sale in the bucket")
    prev_period: str | None
    prev_sales_count: int | None
    prev_net_sales: str | None
    change_pct: str | None
    by_store: dict[str, StoreBucket]


class TrendTotals(Figures):
    prev_sales_count: int
    prev_net_sales: str
    change_pct: str | None


class TrendOut(Out):
    from_: str = Field(alias="from")
    to: str
    by: str
    previous_from: str
    previous_to: str
    buckets: list[TrendBucket]
    totals: TrendTotals
