"""``pos transfer …``, ``location list|add`` and ``stock pick``: moving stock between locations and stores,
and which lots to take first (issue 6; docs/backoffice.md). The commands are registered by
``backoffice_cmds.register``; the work is ``services.transfers``' (imported when a command runs)."""

from __future__ import annotations

from typing import Any

from ..core.errors import InvalidInput
from ..core.i18n import _
from ..core.money import parse_qty
from .backoffice_files import _list_of
from .common import approver, login, open_ctx
from .output import emit
from .sale_file import read_json, read_json_any

# ---------------------------------------------------------------------------------------------- transfers


def _transfer_text(doc: dict[str, Any]) -> list[str]:
    out = [f'{doc["number"]}  {doc["from"]} → {doc["to"]}  {doc["status"]}']
    out += [f'  {ln["line_no"]:>3} {ln["sku"]:<16} {ln["lot"] or "":<12} {ln["qty"]:>10} {ln["received"] or "":>10}'
            for ln in doc["lines"]]
    return out


def cmd_transfer_create(args: Any) -> int:
    from ..services import transfers

    lines = []
    for text in args.line:
        parts = text.split(":")
        if len(parts) not in (2, 3) or not parts[0]:
            raise InvalidInput(_("--line takes SKU:QTY or SKU:QTY:LOT, not {text!r}").format(text=text),
                               code="bad_field")
        lines.append(transfers.LineInput(parse_qty(parts[1]), sku=parts[0], lot=parts[2] if len(parts) == 3 else None))
    note = args.note
    if args.file:
        doc = read_json_any(args.file)
        for n, item in enumerate(_list_of(doc, "lines", args.file), start=1):
            if ("sku" in item) == ("barcode" in item) or "qty" not in item:
                raise InvalidInput(_("Line {n}: give sku or barcode, and qty").format(n=n), code="missing_field",
                                   line=n)
            lines.append(transfers.LineInput(parse_qty(item["qty"]), sku=item.get("sku"), barcode=item.get("barcode"),
                                             lot=item.get("lot")))
        if isinstance(doc, dict):
            note = note or doc.get("note")
    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        doc = transfers.create_transfer(ctx, operator, from_location=args.source, to=args.to, lines=lines,
                                        note=note).to_json()
    emit(args, doc, _transfer_text(doc))
    return 0


def _transfer_step(args: Any, step: Any, *extra: Any) -> int:
    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        doc = step(ctx, operator, args.id, *extra).to_json()
    emit(args, doc, _transfer_text(doc))
    return 0


def cmd_transfer_ship(args: Any) -> int:
    from ..services import transfers

    return _transfer_step(args, transfers.ship_transfer)


def cmd_transfer_cancel(args: Any) -> int:
    from ..services import transfers

    return _transfer_step(args, transfers.cancel_transfer)


def cmd_transfer_receive(args: Any) -> int:
    from ..services import transfers

    received = []
    if args.file:
        for n, item in enumerate(_list_of(read_json_any(args.file), "lines", args.file), start=1):
            if "line_no" not in item and "sku" not in item:
                raise InvalidInput(_("Line {n}: give line_no or sku").format(n=n), code="missing_field", line=n)
            if "received" not in item:
                raise InvalidInput(_("Line {n}: give received (what arrived in good order)").format(n=n),
                                   code="missing_field", line=n)
            received.append(transfers.Received(
                parse_qty(item["received"]), parse_qty(item.get("damaged", 0)), item.get("line_no"),
                item.get("sku"), item.get("lot"), item.get("reason")))
    return _transfer_step(args, transfers.receive_transfer, received)


def cmd_transfer_show(args: Any) -> int:
    from ..services import transfers

    with open_ctx(args) as ctx:
        doc = transfers.get_transfer(ctx, args.id).to_json()
    emit(args, doc, _transfer_text(doc))
    return 0


def cmd_transfer_list(args: Any) -> int:
    from ..services import transfers

    with open_ctx(args) as ctx:
        found = [t.to_json() for t in transfers.list_transfers(ctx, args.status)]
    emit(args, found, [f'{t["number"]:<18} {t["from"]:<12} {t["to"]:<12} {t["status"]}' for t in found])
    return 0


def _event_payload(path: str) -> dict[str, Any]:
    """An outbox event as pushed (``{"kind", "payload"}``) or its payload alone."""
    doc = read_json(path)
    payload = doc.get("payload", doc)
    if not isinstance(payload, dict) or "transfer_id" not in payload or "lines" not in payload:
        raise InvalidInput(_("{path} holds no transfer event").format(path=path), code="bad_json")
    return payload


def cmd_transfer_incoming(args: Any) -> int:
    from ..services import transfers

    payload = _event_payload(args.file)
    with open_ctx(args) as ctx:
        doc = transfers.receive_remote_shipment(ctx, payload).to_json()
    emit(args, doc, _transfer_text(doc))
    return 0


def cmd_transfer_settle(args: Any) -> int:
    from ..services import transfers

    payload = _event_payload(args.file)
    with open_ctx(args) as ctx:
        found = transfers.settle_remote_receipt(ctx, payload)
    doc = found.to_json() if found else {"transfer_id": payload["transfer_id"], "status": "unknown_here"}
    emit(args, doc, _transfer_text(doc) if found else _("This till never had transfer {number}").format(
        number=payload.get("number")))
    return 0


def cmd_location_list(args: Any) -> int:
    from ..services import transfers

    with open_ctx(args) as ctx:
        found = transfers.list_locations(ctx)
    emit(args, found, [f'{loc["code"]:<10} {loc["kind"]:<11} {loc["name"]}' for loc in found])
    return 0


def cmd_location_add(args: Any) -> int:
    from ..services import transfers

    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        doc = transfers.add_location(ctx, operator, code=args.code, name=args.name, kind=args.kind,
                                     approver=approver(ctx, args))
    emit(args, doc, f'{doc["code"]} {doc["name"]}')
    return 0


def cmd_stock_pick(args: Any) -> int:
    from ..services import transfers

    qty = parse_qty(args.qty)
    with open_ctx(args) as ctx:
        picks, short = transfers.fefo_pick(ctx, sku=args.sku, location=args.location, qty=qty)
    from ..core.money import format_qty

    doc = {"sku": args.sku, "location": args.location.upper(), "qty": format_qty(qty), "short": format_qty(short),
           "pick": [{"lot": p.lot, "expiry": p.expiry, "qty": format_qty(p.qty)} for p in picks if not p.expired],
           "expired": [{"lot": p.lot, "expiry": p.expiry, "qty": format_qty(p.qty)} for p in picks if p.expired]}
    emit(args, doc, [f'{p["lot"] or "-":<14} {p["expiry"] or "":<10} {p["qty"]:>10}' for p in doc["pick"]])
    return 0
