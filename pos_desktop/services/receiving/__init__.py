"""Receiving goods: against a purchase order or without one, by SKU, barcode or GS1-128 label.

``receive_goods`` takes one delivery in, in one transaction (``stock.receive``: stock clerk, manager):

- each line names its product by exactly one of ``sku``, ``barcode`` or ``gs1``. A GS1 element string
  (``(01)…(17)YYMMDD(10)LOT`` or the raw scanner form) gives the GTIN, the lot (AI 10) and the expiry (AI 17,
  else the best-before date AI 15); a lot or expiry also written on the line must agree with it. A pack barcode
  (a case GTIN) counts packs: ``qty``, ``rejected_qty`` and ``unit_cost`` are then per pack;
- ``qty`` is what was delivered, ``rejected_qty`` the part refused at the quality check (a reason is needed).
  The accepted rest goes to the receipt's location, the rejected part to quarantine (``QUAR``), both as ledger
  movements with the batch (lot + expiry; the batch is created when new). Batch-tracked products need a lot,
  expiry-tracked ones an expiry; an expired batch can only be rejected;
- the product's cost becomes the moving average of the stock on hand (every location but quarantine) and
  the accepted quantity at the line's unit cost, half-up to the minor unit. Without a ``unit_cost`` the order's
  price is used, else the supplier's contract price of the day, else the cost does not change. With no stock
  (or negative stock) on hand the new cost is the unit cost;
- against a purchase order (sent or partly received) each line is matched to the order's line of the same
  product: the answer says, per line, what was ordered, received before and now, and whether the delivery is
  ``exact``, ``over``, ``under`` or ``not_ordered``; order lines that did not come are listed under ``short``.
  The order becomes ``received`` when every line has all its quantity (accepted), else ``partly_received``;
- the receipt (``GR-STORE-TILL-000001``), a journal entry ``goods_received`` and an outbox event
  ``stock.received`` (with the movements described for the wire: sku, location, lot, expiry) are written with
  the movements. Any bad line refuses the whole delivery (nothing is written) with the line's number.

``goods_received_note`` gives the stored receipt as a note to print (``note_text``) or to save as PDF
(``documents_pdf.write_grn_pdf``). ``identify`` tells a screen what a scan means before anything is written.

The package: ``inputs`` (the input dataclasses, ``identify``), ``state`` (one delivery's working state),
``lines`` (one line: lot and expiry, quantities, batch, movements, unit and average cost), ``receive``
(``receive_goods``, the order moved on, the answer), ``note`` (the goods-received note and its text).
"""

from .inputs import PRODUCT_COLS, Identified, ReceiptInput, ReceiptLineInput, identify
from .lines import ON_HAND_SQL
from .note import GoodsReceivedNote, NoteLine, goods_received_note, note_text
from .receive import receive_goods

__all__ = ["ON_HAND_SQL", "PRODUCT_COLS", "GoodsReceivedNote", "Identified", "NoteLine", "ReceiptInput",
           "ReceiptLineInput", "goods_received_note", "identify", "note_text", "receive_goods"]
