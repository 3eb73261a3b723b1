"""Store settings, declared once: name, type, default, description and validation.

They are store data (they will come down from head office with the master data), so they live in the
database's ``settings`` table as JSON; device and screen settings live in ``config.toml`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from .errors import InvalidInput
from .i18n import _
from .pricing import CashRounding


@dataclass(frozen=True)
class SettingVar:
    name: str
    default: Any
    description: str
    parse: Callable[[Any], Any]


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("1", "true", "yes", "on"):
        return True
    if str(value).lower() in ("0", "false", "no", "off"):
        return False
    raise InvalidInput(_("{value!r} is not yes or no").format(value=value))


def _decimal(value: Any) -> str:
    if isinstance(value, float):
        raise InvalidInput(_("Write decimals as strings, not floats"))
    try:
        return str(Decimal(str(value)))
    except Exception:
        raise InvalidInput(_("{value!r} is not a number").format(value=value)) from None


def _rounding(value: Any) -> str:
    try:
        return CashRounding(str(value)).value
    except ValueError:
        choices = ", ".join(m.value for m in CashRounding)
        raise InvalidInput(_("Cash rounding must be one of {choices}").format(choices=choices)) from None


def _limits(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise InvalidInput(_("Discount limits are a table of role → percent"))
    return {str(role): _decimal(pct) for role, pct in value.items()}


def _skus(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(_("Quick keys are a list of SKUs"))
    return [v for v in value if v][:24]


def _days(value: Any) -> int:
    if isinstance(value, bool) or not str(value).strip().isdigit() or not 0 <= int(value) <= 3650:
        raise InvalidInput(_("A number of days is a whole number from 0 to 3650, not {value!r}").format(
            value=value), code="bad_days")
    return int(value)


def _days_by_category(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        raise InvalidInput(_("Days per category are a table of category → days"), code="bad_days")
    return {str(name): _days(days) for name, days in value.items()}


def _layouts(value: Any) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict):
        raise InvalidInput(_("In-store barcode layouts are a table of length → prefix → layout"))
    return {str(length): {str(p): str(layout) for p, layout in prefixes.items()}
            for length, prefixes in value.items()}


SETTINGS: dict[str, SettingVar] = {s.name: s for s in [
    SettingVar("tax_inclusive", True, "Prices include tax (as in Chinese retail)", _bool),
    SettingVar("cash_rounding", "none", "抹零: none, drop_fen, round_jiao or drop_jiao", _rounding),
    SettingVar("discount_limits", {}, "Per-role discount limit in percent (overrides the defaults)", _limits),
    SettingVar("points_per_yuan", "1", "Member points earned per whole unit of currency paid", _decimal),
    SettingVar("points_value", "0.01", "What one point is worth when redeemed", _decimal),
    SettingVar("instore_layouts", {}, "GS1 in-store barcode layouts, {length: {prefix: layout}}", _layouts),
    SettingVar("merge_scans", True, "A second scan of an item raises its quantity instead of a new line", _bool),
    SettingVar("receipt_header", "", "Text printed under the store name", str),
    SettingVar("receipt_footer", "谢谢惠顾 Thank you", "Text printed at the end of a receipt", str),
    SettingVar("quick_keys", [], "SKUs on the checkout's quick keys (unbarcoded goods: fruit, bags)", _skus),
    SettingVar("near_expiry_days", 7, "Days before expiry a batch is reported as near expiry", _days),
    SettingVar("near_expiry_by_category", {}, "Near-expiry days per category name (overrides the default)",
               _days_by_category),
    SettingVar("dead_stock_days", 60, "Days without a sale after which stock is reported as dead", _days),
]}


def parse_setting(name: str, value: Any) -> Any:
    try:
        var = SETTINGS[name]
    except KeyError:
        raise InvalidInput(_("Unknown setting {name!r}").format(name=name)) from None
    return var.parse(value)
