"""Domain errors raised by services; views and the API turn them into translated messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A rule of the business refused the request; nothing was changed."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, errors: dict[str, list[str]] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code or self.default_code
        self.errors = errors or {}

    def as_dict(self) -> dict:
        return {"detail": self.message, "code": self.code, "errors": self.errors}


class ValidationFailed(DomainError):
    """Input was missing or malformed; ``errors`` maps field names to messages."""

    default_code = "validation_failed"

    def __init__(self, errors: dict[str, list[str] | str], message: str | None = None):
        normalised = {k: ([v] if isinstance(v, str) else [str(m) for m in v]) for k, v in errors.items()}
        summary = message or "；".join(f"{m}" for msgs in normalised.values() for m in msgs)
        super().__init__(summary or _("输入有误。"), errors=normalised)


class InvalidTransition(DomainError):
    status_code = 409
    default_code = "invalid_transition"


class NotPermitted(DomainError, PermissionDenied):
    """Also a ``PermissionDenied``, so a view that does not catch it answers a clean 403."""

    status_code = 403
    default_code = "not_permitted"


class Conflict(DomainError):
    status_code = 409
    default_code = "conflict"
