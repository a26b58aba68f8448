"""Domain errors: each carries a message a person can read and act on.

Views and the API turn them into form errors or JSON bodies (400, 403, 404, 409);
none of them ever becomes a 500.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class; `status` is the HTTP status the API answers with."""

    status = 400

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class InvalidInput(DomainError):
    """The request's values are missing, malformed or out of order."""


class GuardRefused(DomainError):
    """The transition exists but the case does not yet meet its conditions."""


class TransitionNotAvailable(DomainError):
    """The transition does not start from the case's current stage."""


class NotPermitted(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


CASE_CHANGED = (
    "Someone else changed this case while you were working on it. Reload the case to see "
    "what changed, then try again."
)


class Conflict(DomainError):
    """Someone else changed the case between reading it and acting on it. Without a
    message it says so in the one wording every page and the API use."""

    status = 409

    def __init__(
        self, message: str = CASE_CHANGED, *, field_errors: dict[str, list[str]] | None = None
    ):
        super().__init__(message, field_errors=field_errors)
