"""The server's errors: core's typed errors (so the CLI gets its exit codes) with the HTTP status they mean.

Every error body is ``{"error": code, "message": text, "server_time": …}`` plus the error's details.
"""

from __future__ import annotations

from ..core.errors import AuthError, InvalidInput, NotFound, PermissionDenied, PosError, ServerError


class Unauthorized(AuthError):
    """401: no, a wrong, an unknown or a revoked credential (``code`` says ``unauthorized`` or ``revoked``)."""

    code = "unauthorized"
    status = 401


class Forbidden(PermissionDenied):
    """403: a spent, expired or wrong enrolment code; an API key without the scope."""

    code = "forbidden"
    status = 403


class SequenceConflict(PosError):
    """409: this till's sequence numbers or event ids clash with what it pushed before (cloned or restored)."""

    exit_code = 7
    code = "sequence_conflict"
    status = 409


class RateLimited(PosError):
    exit_code = 7
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def http_status(error: PosError) -> int:
    """The HTTP status of a domain error."""
    status = getattr(error, "status", None)
    if status:
        return int(status)
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, InvalidInput):
        return 400
    if isinstance(error, PermissionDenied):
        return 403
    if isinstance(error, AuthError):
        return 401
    if isinstance(error, ServerError):
        return 503
    return 400
