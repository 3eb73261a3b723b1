"""``pos init``, ``user add``, ``demo``, ``backup``, ``restore``, ``journal verify``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import logging

from .. import config, logs, paths
from ..core.errors import IntegrityFailure
from ..core.i18n import _
from ..services import auth, backups, demo, journal, till
from .common import credentials, data_dir, login, one_time_code, open_ctx
from .output import emit

log = logging.getLogger(__name__)


def cmd_init(args: Any) -> int:
    folder = data_dir(args)
    ctx = till.init_till(folder, store_code=args.store_code, store_name=args.store_name, till_code=args.till_code,
                         admin_user=args.admin_user, admin_pin=args.admin_pin, currency=args.currency,
                         tax_inclusive=args.tax_inclusive, force=args.force)
    doc = {"data_dir": str(folder), "store": ctx.till.store_code, "till": ctx.till.till_code,
           "currency": ctx.till.currency, "tax_inclusive": args.tax_inclusive, "locations": ["FLOOR", "BACK"],
           "admin": args.admin_user}
    ctx.close()
    emit(args, doc, _("Till {store}-{till} created in {path}").format(
        store=doc["store"], till=doc["till"], path=folder))
    return 0


def cmd_user_add(args: Any) -> int:
    with open_ctx(args) as ctx:
        admin = login(ctx, args)
        user = auth.add_user(ctx, admin, args.name, args.role, args.set_pin, args.display_name)
    emit(args, {"user": user.username, "role": user.role.value, "id": user.id},
         _("User {name} ({role}) added").format(name=user.username, role=user.role.value))
    return 0


def cmd_demo(args: Any) -> int:
    folder = data_dir(args)
    report = demo.build_demo(folder, products=args.products, days=args.days, seed=args.seed, force=args.force)
    # demo mode runs without hardware: the simulated printer (and the drawer on its port), files in sim/
    config.use_simulators(paths.config_path(folder))
    report = {**report, "printer": "sim", "sim_dir": str(folder / "sim")}
    emit(args, report, demo.describe(report) + [
        _("Simulated receipt printer: receipts go to {path}").format(path=folder / "sim" / "printer.txt")])
    return 0


def cmd_gui(args: Any) -> int:
    from ..ui.app import run  # Qt only for who opens the window
    argv = ["--data-dir", str(data_dir(args))] if getattr(args, "data_dir", None) else []
    return run(argv + (["--demo"] if args.demo else []))


def cmd_backup(args: Any) -> int:
    with open_ctx(args) as ctx:
        admin = login(ctx, args)
        target = backups.backup(ctx, admin, Path(args.to))
    emit(args, {"backup": str(target), "ok": True}, _("Backed up to {path}").format(path=target))
    return 0


def cmd_restore(args: Any) -> int:
    """``--from FILE`` or ``--latest`` (the newest good backup of the data folder), or ``--list``. When the
    live database cannot be opened (corrupt, missing) the admin is checked against the backup instead."""
    folder = data_dir(args)
    if getattr(args, "list_backups", False):
        found = backups.list_backups(folder)
        emit(args, [b.to_json() for b in found],
             [f"{b.path.name}  {_('good') if b.good else b.problem}" for b in found] or [_("No backups")])
        return 0
    source = backups.newest_good(folder) if getattr(args, "latest", False) else Path(getattr(args, "from"))
    try:
        ctx = till.open_till(folder)
    except IntegrityFailure as damaged:
        if damaged.code not in ("database_corrupt", "database_missing"):
            raise
        logs.setup(folder)
        user, pin = credentials(args)
        backups.restore_when_damaged(folder, source, user, pin, otp=one_time_code(args, "otp", "POS_OTP"))
        admin_name, clock = user, None
        log.warning("restored %s over a damaged database (%s)", source, damaged.code)
    else:
        try:
            logs.setup(folder)
            admin = login(ctx, args)
            admin_name, clock = admin.username, ctx.clock
        except BaseException:
            ctx.close()
            raise
        backups.restore(ctx, admin, source)   # closes the till
    reopened = till.open_till(folder)
    try:
        backups.mark_restored(reopened, admin_name, source, (clock or reopened.clock).now())
    finally:
        reopened.close()
    emit(args, {"restored": str(source), "ok": True},
         _("Restored from {path}; the till must re-enrol before it syncs").format(path=source))
    return 0


def cmd_journal_verify(args: Any) -> int:
    with open_ctx(args) as ctx:
        report = journal.verify(ctx)
    doc: dict[str, Any] = {"ok": report.ok, "entries": report.entries}
    if not report.ok:
        doc.update({"first_bad_entry": report.first_bad_entry, "reason": report.reason,
                    "error": "journal_broken",
                    "message": _("The journal is broken at entry {n}: {reason}").format(
                        n=report.first_bad_entry, reason=report.reason)})
        emit(args, doc, doc["message"])
        return IntegrityFailure.exit_code
    emit(args, doc, _("Journal OK: {n} entries").format(n=report.entries))
    return 0
