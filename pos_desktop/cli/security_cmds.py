"""``pos user totp enable|disable NAME``: the optional second factor of a till user (docs/security.md)."""

from __future__ import annotations

from typing import Any

from ..core.i18n import _
from ..services import totp
from .common import login, open_ctx
from .output import emit


def register_user(user: Any, command: Any) -> None:
    """Under ``pos user``: ``totp enable NAME`` and ``totp disable NAME`` (the user themselves, or an admin)."""
    sub = user.add_parser("totp", help="one-time codes (TOTP) at login").add_subparsers(
        dest="totp_sub", required=True, parser_class=user._parser_class)
    enable = command("enable", cmd_totp_enable, "switch on one-time codes for a user (shows the secret once)", sub)
    enable.add_argument("name")
    disable = command("disable", cmd_totp_disable, "switch off one-time codes for a user", sub)
    disable.add_argument("name")


def cmd_totp_enable(args: Any) -> int:
    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        doc = totp.enable(ctx, operator, args.name)
    emit(args, doc, [_("One-time codes are on for {name}. Add this secret to an authenticator app now; it is "
                       "not shown again:").format(name=doc["user"]), doc["secret"], doc["uri"]])
    return 0


def cmd_totp_disable(args: Any) -> int:
    with open_ctx(args) as ctx:
        operator = login(ctx, args)
        doc = totp.disable(ctx, operator, args.name)
    emit(args, doc, _("One-time codes are off for {name}").format(name=doc["user"]))
    return 0
