"""``pos receive`` and ``pos grn``: taking a delivery in from ``RECEIPT.json`` and showing its goods-received
note as text and PDF (issue 6; docs/purchasing.md). Registered by ``purchasing_cmds.register``; the file is
read here into the service's typed input, everything else is ``services.receiving``'."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput, PosError
from ..core.i18n import _
from ..core.money import parse_money, parse_qty
from ..services import receiving
from .common import approver, data_dir, login, open_ctx, parse_date
from .output import emit, warn
from .sale_file import credentials, read_json

RECEIPT_KEYS = {"user", "pin", "approver", "supplier", "po", "location", "note", "lines"}
RECEIPT_LINE_KEYS = {"sku", "barcode", "gs1", "qty", "lot", "expiry", "rejected_qty", "reject_reason", "unit_cost"}


# ---------------------------------------------------------------------------------------------- receiving


def cmd_receive(args: Any) -> int:
    doc = read_json(args.file)
    receipt = receipt_input(doc)
    with open_ctx(args) as ctx:
        operator = login(ctx, args, credentials(doc))
        approved = approver(ctx, args, credentials(doc.get("approver"), _("approver: ")))
        result = receiving.receive_goods(ctx, operator, receipt, approved)
        note = receiving.goods_received_note(ctx, result["receipt_id"])
    result["note_text"] = receiving.note_text(note, args.width)
    result.update(_save_pdf(args, note))   # the receipt is committed: a PDF that fails is only a warning
    emit(args, result, result["note_text"] + [_("PDF: {path}").format(path=result.get("pdf") or "-")])
    return 0


def cmd_grn(args: Any) -> int:
    with open_ctx(args) as ctx:
        note = receiving.goods_received_note(ctx, args.receipt_no)
    doc: dict[str, Any] = {"receipt_no": note.receipt_no, "receipt_id": note.receipt_id,
                           "note_text": receiving.note_text(note, args.width)}
    if args.pdf:
        doc.update(_save_pdf(args, note))
    emit(args, doc, doc["note_text"])
    return 0


def _save_pdf(args: Any, note: receiving.GoodsReceivedNote) -> dict[str, Any]:
    from ..services import documents_pdf  # reportlab is only loaded when a note is written

    target = Path(args.pdf) if getattr(args, "pdf", None) else \
        data_dir(args) / "documents" / "goods-received" / f"{note.receipt_no}.pdf"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        documents_pdf.write_grn_pdf(note, target)
    except OSError as exc:
        message = _("The goods-received note could not be saved to {path}: {error}").format(
            path=target, error=exc.strerror or exc)
        warn(message)
        return {"pdf": None, "pdf_error": message}
    return {"pdf": str(target)}


def receipt_input(doc: dict[str, Any]) -> receiving.ReceiptInput:
    """``RECEIPT.json`` (the shape of issue 6) as the service's input; a bad field names its line."""
    unknown = set(doc) - RECEIPT_KEYS
    if unknown:
        raise InvalidInput(_("Unknown field(s) {fields} in the delivery").format(fields=", ".join(sorted(unknown))),
                           code="unknown_field")
    lines = doc.get("lines")
    if not isinstance(lines, list) or not lines:
        raise InvalidInput(_("The delivery needs a list of lines"), code="no_lines")
    parsed = []
    for n, line in enumerate(lines, start=1):
        try:
            parsed.append(_receipt_line(line))
        except PosError as exc:
            raise type(exc)(_("Line {n}: {message}").format(n=n, message=exc.message), code=exc.code,
                            line=n) from None
    return receiving.ReceiptInput(tuple(parsed), location=_text(doc, "location"), supplier=_text(doc, "supplier"),
                                  po=_text(doc, "po"), note=_text(doc, "note"))


def _receipt_line(line: Any) -> receiving.ReceiptLineInput:
    if not isinstance(line, dict):
        raise InvalidInput(_("must be an object"), code="bad_field")
    unknown = set(line) - RECEIPT_LINE_KEYS
    if unknown:
        raise InvalidInput(_("unknown field(s) {fields}").format(fields=", ".join(sorted(unknown))),
                           code="unknown_field")
    if "qty" not in line:
        raise InvalidInput(_("missing field {name!r}").format(name="qty"), code="missing_field")
    unit_cost = line.get("unit_cost")
    return receiving.ReceiptLineInput(
        sku=_text(line, "sku"), barcode=_text(line, "barcode"), gs1=_text(line, "gs1"),
        qty=parse_qty(line["qty"], _("Quantity")), lot=_text(line, "lot"),
        expiry=parse_date(_text(line, "expiry"), "expiry"),
        rejected_qty=parse_qty(line.get("rejected_qty") or "0", _("Rejected quantity")),
        reject_reason=_text(line, "reject_reason"),
        unit_cost=parse_money(unit_cost, 4, _("Unit cost")) if unit_cost is not None else None)


def _text(doc: dict[str, Any], key: str) -> str | None:
    value = doc.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidInput(_("{name} must be text").format(name=key), code="bad_field")
    return str(value).strip() or None
