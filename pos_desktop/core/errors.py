"""Typed errors that carry a message for people and a machine code.

Every layer raises these; the CLI turns them into exit codes and JSON, the UI into one dialog. The message is
already translated where it is built (``_()`` with named fields), so nothing above has to know the details.
"""

from __future__ import annotations


class PosError(Exception):
    """Base of every error a user can be told about."""

    exit_code = 1
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, **details: object) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details

    def to_json(self) -> dict[str, object]:
        doc: dict[str, object] = {"error": self.code, "message": self.message}
        doc.update(self.details)
        return doc


class UsageError(PosError):
    exit_code = 2
    code = "usage"


class InvalidInput(PosError):
    """Bad barcode, unknown product, bad file row, over-refund, …: exit 3."""

    exit_code = 3
    code = "invalid_input"


class BarcodeError(InvalidInput):
    code = "bad_barcode"


class NotFound(InvalidInput):
    code = "not_found"


class AuthError(PosError):
    exit_code = 4
    code = "auth_failed"


class AccountLocked(AuthError):
    code = "locked"


class PermissionDenied(AuthError):
    code = "permission_denied"


class IntegrityFailure(PosError):
    exit_code = 5
    code = "integrity"


class DeviceError(PosError):
    exit_code = 6
    code = "device_error"


class ServerError(PosError):
    exit_code = 7
    code = "server_error"
