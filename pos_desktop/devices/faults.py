"""Driver faults as the application's ``DeviceError`` (exit code 6), in words a cashier can act on.

The drivers raise their own typed errors (``drivers.errors``) with an English detail for the log; here each
one becomes a ``pos_desktop.core.errors.DeviceError`` whose ``code`` is the driver's machine name and whose
``message`` says what is wrong and what to do, translated through ``_()``.
"""

from __future__ import annotations

import logging

from drivers import errors as hw

from ..core.errors import DeviceError
from ..core.i18n import _

log = logging.getLogger(__name__)

def device_label(device: str) -> str:
    """The name a person reads for a config.toml section (``"printer"`` → "The printer")."""
    labels = {"printer": _("The printer"), "drawer": _("The cash drawer"), "scanner": _("The scanner"),
              "display": _("The customer display"), "scale": _("The scale")}
    return labels.get(device, device)


def _message(device: str, exc: hw.DeviceError) -> str:
    who = device_label(device)
    if isinstance(exc, hw.PaperOut):
        return _("The printer is out of paper: put in a new roll")
    if isinstance(exc, hw.CoverOpen):
        return _("The printer cover is open: close it")
    if isinstance(exc, hw.PrinterFault):
        return _("The printer reports an error (paper jam or overheating?): check it, then switch it off and on")
    if isinstance(exc, hw.ScaleNotReady):
        reasons = {"unstable": _("the weight is not steady; wait a moment"),
                   "overload": _("it is overloaded"), "underload": _("it reads below zero; zero it"),
                   "negative": _("it reads below zero; zero it"), "not_ready": _("it is not ready")}
        return _("The scale cannot be read: {reason}").format(reason=reasons.get(exc.reason, exc.reason))
    if isinstance(exc, hw.CjkFontMissing):
        return _("Chinese text cannot be printed: no Chinese font is installed on this computer")
    if isinstance(exc, hw.DeviceOffline):
        return _("{device} is off or not connected: check its power and cable").format(device=who)
    if isinstance(exc, hw.DeviceTimeout):
        return _("{device} did not answer in time: check that it is on and not jammed").format(device=who)
    if isinstance(exc, hw.ConnectionLost):
        if device == "printer":
            return _("The connection to the printer was lost while printing; the receipt may be incomplete")
        return _("{device} was disconnected: check its cable").format(device=who)
    return _("{device} reports a fault: {detail}").format(device=who, detail=exc.message)


def device_error(device: str, exc: hw.DeviceError) -> DeviceError:
    """The application error for a driver fault on ``device`` (a config.toml section name)."""
    log.warning("%s fault (%s): %s", device, exc.code, exc)
    return DeviceError(_message(device, exc), code=exc.code, device=device)


def not_configured(device: str) -> DeviceError:
    return DeviceError(_("{device} is not set up: see the [{section}] section of config.toml").format(
        device=device_label(device), section=device), code="device_not_configured", device=device)


def setup_error(device: str, detail: str) -> DeviceError:
    """A setting the driver refused (an unknown encoding, a bad pin): the device cannot be used as set up."""
    log.warning("%s cannot be set up: %s", device, detail)
    return DeviceError(_("{device} cannot be used as set up in config.toml: {detail}").format(
        device=device_label(device), detail=detail), code="device_setup", device=device)
