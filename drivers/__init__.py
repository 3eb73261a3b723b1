"""Hardware drivers of the till: printer, cash drawer, scanners, customer display, scale.

A driver reads or writes bytes on a port and reports events (callbacks such as ``on_scan(code, symbology)``)
and faults (the typed errors of ``drivers.errors``). It knows nothing of sales and never imports
``pos_desktop`` or Qt. Every I/O call is bounded by a short, configurable timeout.

Modules: ``transports`` (serial, TCP, USB, file), ``printing`` (receipt documents, text layout, encoders),
``printer`` (status and jobs), ``drawer``, ``scanners``, ``pole_display``, ``scale``, ``factory`` (a
transport from a config.toml section); ``sim`` holds a simulator of each device for tests and the demo mode.
"""

from drivers.errors import (
    CjkFontMissing,
    ConnectionLost,
    CoverOpen,
    DeviceError,
    DeviceOffline,
    DeviceTimeout,
    NotConnected,
    PaperOut,
    PrinterFault,
    ScaleNotReady,
)

__all__ = [
    "CjkFontMissing",
    "ConnectionLost",
    "CoverOpen",
    "DeviceError",
    "DeviceOffline",
    "DeviceTimeout",
    "NotConnected",
    "PaperOut",
    "PrinterFault",
    "ScaleNotReady",
]
