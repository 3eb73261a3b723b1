"""Bring the reports cache up to date ahead of time (a nightly day task).

The cache (``sale_buckets``, ``line_buckets``) folds in only what is new, so a report usually pays for the
sales since the last one; but the first report after the cache appears — a new install over years of data, an
upgrade, a deleted cache — folds every sale and line (~9 s over a million lines on a 2-core till). Folding at
night, when the X report is done, means the manager's first report in the morning is as quick as the others.
"""

from __future__ import annotations

from datetime import date

from ..context import Context
from .line_buckets import line_totals
from .reading import snapshot
from .sale_buckets import sale_totals

NO_DAY = date(1, 1, 1)   # an empty span: only the fold is wanted, not figures


def warm_cache(ctx: Context) -> bool:
    """Fold every sale and sale line so far into the cache; returns whether the cache could be used (a
    read-only folder makes reports read the tables directly, and this does nothing)."""
    with snapshot(ctx) as conn:
        cached = sale_totals(ctx, conn, NO_DAY, NO_DAY).from_cache
        line_totals(ctx, conn, NO_DAY, NO_DAY)
    return cached
