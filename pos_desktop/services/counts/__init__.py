"""Stock counts: full and cycle counts, blind counts, several counters, recounts, the variance report, and the
manager's approval that posts the differences to the ledger.

How a count measures (the rule that keeps sales made during a count):
- A line's *expected* quantity is the ledger's on-hand of that product at the count's location **at the moment
  the line was counted** — recorded in the same transaction as each entry (``count_lines.expected_milli``, per
  batch in ``expected_batches``, the moment in ``expected_at``). A line nobody counted is measured at the
  finish. Approval posts ``counted − expected`` as movements (reason ``count``): whatever was sold, received
  or moved after that moment stays in the ledger, untouched.
- Counters: every entry is kept (``count_entries``) with its counter. Each counter has a *tally* per product
  (and lot): an ``add`` entry (a scan, ``--qty N``) adds to it, a ``set`` entry (``replace=True``) replaces it.
  A line's count is the sum of its counters' tallies in the current round.
- A recount (``request_recount``) opens a new round for the lines asked for: their earlier entries are kept for
  the record but no longer count, whoever made them; the recount is the whole line again.
- Scope: a full count covers every product with stock at the location when it starts, plus anything found
  while counting; a category count the category's products; a stale count the products not in an approved
  count of this location for N days. A product in scope that nobody counted is counted as zero.
- One count at a time per location (open or finished, not yet approved or cancelled).

Permissions: ``stock.count`` to start, record and finish; ``stock.count_approve`` (manager) to ask for a
recount, approve or cancel. In a blind count the expected quantity is shown only to people who may approve.

The package: ``results`` (the returned dataclasses and ``CountInput``), ``recording`` (start a count, record
entries, ``resolve_item``), ``closing`` (finish, recount, cancel, approve and post), ``reading`` (get, list,
the variance report, and the pieces the others share).
"""

from .closing import approve_count, cancel_count, finish_count, request_recount
from .reading import get_count, list_counts, variance_report
from .recording import Item, record_count, record_counts, resolve_item, start_count
from .results import CountInfo, CountInput, Posting, Recorded, VarianceLine, VarianceReport

# importable from here too, as before the split (handheld.py uses the three private ones)
from .closing import EVENT_LINES  # noqa: F401
from .reading import LEVELS_BY_PRODUCT, REPORT_SQL, _count_row, _not_open, fold_tallies  # noqa: F401
from .recording import PRODUCT_BY_ID, PRODUCT_BY_SKU, RECENTLY_COUNTED, _record_one  # noqa: F401

__all__ = ["CountInfo", "CountInput", "Item", "Posting", "Recorded", "VarianceLine", "VarianceReport",
           "approve_count", "cancel_count", "finish_count", "get_count", "list_counts", "record_count",
           "record_counts", "request_recount", "resolve_item", "start_count", "variance_report"]
