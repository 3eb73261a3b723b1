"""What the handheld web pages (``server/handheld``) do on a store's data folder: look-up, counting, receiving
and shelf labels, through the same services as the store PC, so every counted or received line becomes the
same ledger rows and outbox events.

- ``StoreFloor`` is the one object the server's handheld routes hold (passed in by the ``pos server`` entry
  point, which may import this layer; the server package itself never imports services).
- Counted lines carry a client id (a UUID made in the browser). The id is kept in ``counters`` (name
  ``hh:<id>``, value the entry's sequence number in its count) in the same transaction as the entry, so a
  line sent again after a lost answer is recognised and never counted twice, whenever it comes back.
- A delivery received from a handheld carries a client id too; it is written into the goods receipt's note
  (``[hh:<id>]``) in the receipt's own transaction, and looked for under a lock before receiving again.
- Shelf labels: the label's text lines go to ``print_lines`` (the device glue's printer, wired by the entry
  point), or are refused with a clear error when no printer was given.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..core.barcodes import parse_scan
from ..core.clock import utc_text
from ..core.errors import DeviceError, InvalidInput, NotFound
from ..core.i18n import _
from ..core.money import format_money, format_qty, milli_to_qty
from ..core.permissions import Action, allowed
from ..store import sql
from . import counts, labels, purchasing, receiving, search, till
from .auth import Operator, login, require
from .catalog import layouts, lookup_scan, to_product
from .context import Context
from .unit import write

LINE_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
MAX_LINES = 200          # lines per upload
RECEIVABLE = ("sent", "partly_received")
WHOLE_COUNT_ERRORS = ("unknown_count", "count_not_open", "already_approved", "count_cancelled")
ABILITIES = {"lookup": Action.STOCK_VIEW, "count": Action.STOCK_COUNT, "receive": Action.STOCK_RECEIVE,
             "label": Action.STOCK_VIEW}


@dataclass
class StoreFloor:
    """The store's back-office data, opened once by the server process for its handheld pages."""

    ctx: Context
    print_lines: Callable[[list[str]], None] | None = None

    def __post_init__(self) -> None:
        self._receiving = threading.Lock()

    @classmethod
    def open(cls, data_dir: Path, print_lines: Callable[[list[str]], None] | None = None) -> StoreFloor:
        return cls(till.open_till(Path(data_dir)), print_lines)

    def close(self) -> None:
        self.ctx.close()

    # --- who ------------------------------------------------------------------------------------------

    def login(self, username: str, pin: str, otp: str | None = None) -> tuple[Operator, dict[str, Any]]:
        """Check the PIN (five wrong ones lock the user, as at the till) and, for a user with TOTP on, the
        one-time code (without one: ``otp_required``); the operator and what they may do."""
        operator = login(self.ctx, (username or "").strip(), str(pin or ""), otp=(otp or "").strip() or None)
        return operator, self.profile(operator)

    def profile(self, operator: Operator) -> dict[str, Any]:
        return {"user": operator.username, "name": operator.display_name, "role": operator.role.value,
                "store": self.ctx.till.store_code, "store_name": self.ctx.till.store_name,
                "currency": self.ctx.till.currency,
                "can": {name: allowed(operator.role, action) for name, action in ABILITIES.items()}}

    # --- look-up --------------------------------------------------------------------------------------

    def lookup(self, operator: Operator, *, code: str | None = None, query: str | None = None,
               sku: str | None = None) -> dict[str, Any]:
        """A scanned code (check digit verified, else BarcodeError) or a SKU → the product with its stock per
        location and batch; a text → up to 20 products (``stock.view``). Reads only."""
        require(operator, Action.STOCK_VIEW)
        if sku:
            return {"product": self.product_by_sku(sku.strip())}
        if code:
            scan = lookup_scan(self.ctx, code.strip())
            return {"product": self._product(scan.product.id, scan.barcode)}
        text = (query or "").strip()
        if not text:
            raise InvalidInput(_("Scan a barcode or type a name or SKU"), code="empty_lookup")
        hits = search.search_products(self.ctx, text, limit=20)
        if len(hits) == 1:
            return {"product": self.product_by_sku(hits[0].sku)}
        return {"hits": [{"sku": h.sku, "name": h.name,
                          "price": format_money(h.price, self.ctx.places) if h.price is not None else None}
                         for h in hits]}

    def product_by_sku(self, sku: str) -> dict[str, Any]:
        found = self.ctx.products.query("SELECT id FROM products WHERE sku = ?", sku)
        if not found:
            raise NotFound(_("Unknown SKU {sku}").format(sku=sku), code="unknown_product")
        return self._product(found[0][0], None)

    def _product(self, product_id: str, scanned: str | None) -> dict[str, Any]:
        ctx, places = self.ctx, self.ctx.places
        row = ctx.products.by_id(product_id, utc_text(ctx.clock.now()))
        info = to_product(row, places)
        stock = ctx.products.query(STOCK_OF_PRODUCT, product_id)
        per_location: dict[str, Decimal] = {}
        batches = []
        for loc, name, lot, expiry, milli in stock:
            qty = milli_to_qty(milli)
            per_location[loc] = per_location.get(loc, Decimal(0)) + qty
            if lot is not None or expiry is not None:
                batches.append({"location": loc, "lot": lot, "expiry": expiry, "qty": format_qty(qty)})
        names = {loc: name for loc, name, *_rest in stock}
        codes = [c for (c,) in ctx.products.query("SELECT code FROM barcodes WHERE product_id = ? ORDER BY code "
                                                  "LIMIT 10", product_id)]
        return {"sku": info.sku, "name": info.name, "unit": info.unit, "scanned": scanned, "barcodes": codes,
                "price": format_money(info.unit_price, places),
                "member_price": format_money(info.member_price, places) if info.member_price is not None else None,
                "on_hand": format_qty(sum(per_location.values(), Decimal(0))),
                "locations": [{"location": loc, "name": names[loc], "qty": format_qty(qty)}
                              for loc, qty in sorted(per_location.items())],
                "batches": sorted(batches, key=lambda b: (b["expiry"] or "9999", b["lot"] or ""))}

    # --- counting -------------------------------------------------------------------------------------

    def open_counts(self, operator: Operator) -> list[dict[str, Any]]:
        require(operator, Action.STOCK_COUNT)
        return [c.to_json() for c in counts.list_counts(self.ctx, "open")]

    def count_lines(self, operator: Operator, count_id: str, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Record each line (its own transaction) once per client id. Each answer is ``recorded``, ``duplicate``
        (already recorded: the phone may forget it) or ``rejected`` with the reason (a bad or unknown code:
        the clerk is shown it; sending it again would not help)."""
        require(operator, Action.STOCK_COUNT)
        if len(lines) > MAX_LINES:
            raise InvalidInput(_("Send at most {n} lines at once").format(n=MAX_LINES), code="too_many_lines")
        return [self._count_line(operator, count_id, line) for line in lines]

    def _count_line(self, operator: Operator, count_id: str, line: dict[str, Any]) -> dict[str, Any]:
        line_id = str(line.get("id") or "")
        if not LINE_ID.match(line_id):
            raise InvalidInput(_("Each line needs its id (a UUID made by the handheld)"), code="bad_line_id")
        try:
            barcode, sku = self._code_kind(str(line.get("code") or "").strip()) if line.get("code") else (
                line.get("barcode") or None, line.get("sku") or None)
            entry = counts.CountInput(barcode=barcode, sku=sku, qty=_quantity(line.get("qty", "1")))
            found = _record_once(self.ctx, operator, count_id, line_id.lower(), entry)
        except InvalidInput as exc:
            if exc.code in WHOLE_COUNT_ERRORS:
                raise
            return {"id": line_id, "status": "rejected", "error": exc.code, "message": exc.message}
        return {"id": line_id, **found}

    def _code_kind(self, code: str) -> tuple[str | None, str | None]:
        """A typed or scanned code as (barcode, sku): digits and GS1 strings are barcodes; other text is a SKU
        when one has that name, else an internal barcode."""
        if code.isdigit() or code[:1] in "(]":
            return code, None
        if self.ctx.products.query("SELECT 1 FROM products WHERE sku = ?", code):
            return None, code
        return code, None

    # --- receiving ------------------------------------------------------------------------------------

    def open_orders(self, operator: Operator) -> list[dict[str, Any]]:
        require(operator, Action.STOCK_RECEIVE)
        return [po for status in RECEIVABLE for po in purchasing.list_pos(self.ctx, status=status)]

    def order(self, operator: Operator, po_no: str) -> dict[str, Any]:
        require(operator, Action.STOCK_RECEIVE)
        doc = purchasing.po_details(self.ctx, po_no)
        with self.ctx.db.raw() as conn:
            for line in doc["lines"]:
                line["barcodes"] = [c for (c,) in sql.rows(conn, "SELECT b.code FROM barcodes b JOIN products p "
                                                                 "ON p.id = b.product_id WHERE p.sku = ? "
                                                                 "ORDER BY b.code", line["sku"])]
        return doc

    def receive(self, operator: Operator, po_no: str, receipt_id: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
        """Receive a delivery against ``po_no`` once per client ``receipt_id`` (``stock.receive``). A repeat
        answers ``{"duplicate": true, "receipt_no": …}`` and writes nothing."""
        if not LINE_ID.match(receipt_id or ""):
            raise InvalidInput(_("The delivery needs its id (a UUID made by the handheld)"), code="bad_line_id")
        marker = f"[hh:{receipt_id.lower()}]"
        inputs = tuple(receiving.ReceiptLineInput(sku=ln.get("sku") or None, barcode=ln.get("barcode") or None,
                                                  qty=_quantity(ln.get("qty")),
                                                  rejected_qty=_quantity(ln.get("rejected_qty") or "0"),
                                                  reject_reason=ln.get("reject_reason") or None,
                                                  lot=ln.get("lot") or None,
                                                  expiry=_date(ln.get("expiry")))
                       for ln in lines)
        with self._receiving:
            with self.ctx.db.raw() as conn:
                done = sql.scalar(conn, "SELECT receipt_no FROM goods_receipts WHERE note LIKE ? ESCAPE '\\'",
                                  "%" + marker.replace("_", "\\_") + "%")
            if done:
                return {"duplicate": True, "receipt_no": done, "po": po_no,
                        "po_status": purchasing.po_details(self.ctx, po_no)["status"]}
            note = _("Received on a handheld {marker}").format(marker=marker)
            doc = receiving.receive_goods(self.ctx, operator, receiving.ReceiptInput(inputs, po=po_no, note=note))
        return {"duplicate": False, **doc}

    # --- labels ---------------------------------------------------------------------------------------

    def print_label(self, operator: Operator, sku: str) -> dict[str, Any]:
        """Print one shelf label (today's price) on the store's receipt printer (``stock.view``)."""
        require(operator, Action.STOCK_VIEW)
        items = labels.label_items(self.ctx, skus=[sku])
        if not items:
            raise InvalidInput(_("{sku} has no price yet: nothing to put on a shelf").format(sku=sku),
                               code="no_price")
        if self.print_lines is None:
            raise DeviceError(_("No printer is set up for the handheld pages"), code="no_printer")
        lines = shelf_label_lines(items[0], self.ctx.till.currency, self.ctx.places)
        self.print_lines(lines)
        return {"printed": True, "sku": sku, "lines": lines}


STOCK_OF_PRODUCT = """SELECT l.code, l.name, b.lot, b.expiry, s.qty_milli FROM stock_levels s
    JOIN locations l ON l.id = s.location_id LEFT JOIN batches b ON b.id = s.batch_key
    WHERE s.product_id = ? AND s.qty_milli != 0 ORDER BY l.code, b.expiry, b.lot"""


def _record_once(ctx: Context, operator: Operator, count_id: str, line_id: str,
                 entry: counts.CountInput) -> dict[str, Any]:
    """``counts.record_counts`` for one entry, with its client id kept in the same transaction."""
    key = "hh:" + line_id
    if entry.barcode:
        parse_scan(entry.barcode, layouts(ctx))   # a bad check digit is refused before anything else
    with write(ctx) as unit:
        count = counts._count_row(unit.conn, count_id)
        seq = sql.scalar(unit.conn, "SELECT value FROM counters WHERE name = ?", key)
        if seq is not None:
            row = sql.one(unit.conn, "SELECT p.sku, p.name, e.qty_milli FROM count_entries e JOIN products p "
                                     "ON p.id = e.product_id WHERE e.count_id = ? AND e.seq = ?", count["id"], seq)
            sku, name, milli = row if row else (None, None, 0)
            return {"status": "duplicate", "sku": sku, "name": name, "qty": format_qty(milli_to_qty(milli))}
        if count["status"] != "open":
            raise counts._not_open(count)
        seq = sql.scalar(unit.conn, "SELECT coalesce(max(seq), 0) FROM count_entries WHERE count_id = ?",
                         count["id"]) + 1
        done = counts._record_one(unit, operator, count, entry, seq)
        unit.insert("counters", {"name": key, "value": seq})
    return {"status": "recorded", **done.to_json()}


def shelf_label_lines(item: labels.LabelItem, currency: str, places: int) -> list[str]:
    sign = labels.CURRENCY_SIGNS.get(currency, currency + " ")
    lines = [item.name, f"{sign}{format_money(item.price, places)} / {item.unit}"]
    if item.member_price is not None:
        lines.append(_("Member price {price}").format(price=f"{sign}{format_money(item.member_price, places)}"))
    lines += [item.sku + (f"  {item.barcode}" if item.barcode else ""),
              _("Valid from {date}").format(date=item.valid_from)]
    return lines


def _quantity(text: Any) -> Decimal:
    try:
        qty = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("{qty} is not a quantity").format(qty=text), code="bad_qty") from None
    if not qty.is_finite() or qty < 0 or qty > 1_000_000:
        raise InvalidInput(_("{qty} is not a quantity").format(qty=text), code="bad_qty")
    return qty


def _date(text: Any):  # type: ignore[no-untyped-def]
    from datetime import date
    if not text:
        return None
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise InvalidInput(_("{date} is not a date (YYYY-MM-DD)").format(date=text), code="bad_date") from None

