"""Transfers of stock between locations of this store and between stores, and the store's locations.

draft (``create_transfer``) → shipped (``ship_transfer``: stock leaves its location and waits in TRANSIT) →
received (``receive_transfer``: what arrived in good order goes to the destination, damaged goods to QUAR, a
shortage leaves TRANSIT as ``transfer_short``, an excess is its own ``transfer_over`` movement).

Between stores the document travels through sync (see docs/backoffice.md, "Transfers between stores"):
- the sender's ``transfer.shipped`` event carries everything the other store needs; the server forwards it
  to the receiving store's tills, where ``receive_remote_shipment(ctx, payload)`` creates the incoming transfer
  (same id and number, status shipped, no movements: the goods are in the sender's TRANSIT);
- the receiver's ``transfer.received`` event is forwarded to the tills of both stores, where
  ``settle_remote_receipt(ctx, payload)`` takes the goods out of the sender's TRANSIT (delivered / short), or
  marks the incoming copy received on the receiving store's other tills. Both functions are idempotent.

Shipping more than is on hand at the source is refused (unlike a sale, nothing has happened yet: count or
correct the stock first). Batch-tracked goods without a named lot are picked first-expiry-first-out from the
batches that have not expired (expired ones first when the destination is quarantine).
Permission: ``stock.transfer`` for every step; ``settings.edit`` to add a location.

The package, one module per step (everything is importable from here, as when it was one module):
- ``model``: ``LineInput``, ``Received``, ``Pick``, ``TransferLineInfo``, ``TransferInfo``;
- ``sending``: ``create_transfer``, ``ship_transfer``, ``cancel_transfer``;
- ``receiving``: ``receive_transfer``;
- ``between_stores``: ``receive_remote_shipment`` / ``apply_remote_shipment``, ``settle_remote_receipt`` /
  ``apply_remote_receipt``;
- ``picking``: first-expiry-first-out (``fefo_pick``);
- ``records``: ``get_transfer``, ``list_transfers``, the stored rows and the shape of the sync events;
- ``locations``: ``list_locations``, ``add_location``.
"""

from __future__ import annotations

from .between_stores import (apply_remote_receipt, apply_remote_shipment, receive_remote_shipment,
                             settle_remote_receipt)
from .locations import LOCATION_KINDS, add_location, list_locations
from .model import LineInput, Pick, Received, TransferInfo, TransferLineInfo
from .picking import fefo_pick
from .receiving import receive_transfer
from .records import LINE_COLUMNS, get_transfer, list_transfers
from .sending import cancel_transfer, create_transfer, ship_transfer

__all__ = [
    "LINE_COLUMNS", "LOCATION_KINDS", "LineInput", "Pick", "Received", "TransferInfo", "TransferLineInfo",
    "add_location", "apply_remote_receipt", "apply_remote_shipment", "cancel_transfer", "create_transfer",
    "fefo_pick", "get_transfer", "list_locations", "list_transfers", "receive_remote_shipment",
    "receive_transfer", "settle_remote_receipt", "ship_transfer",
]
