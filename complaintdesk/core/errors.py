"""Domain errors raised by services; views and the API turn them into translated messages."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string
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


def api_exception_handler(exc, context):
    """DRF handler: domain errors become JSON with their status; everything else as DRF does."""
    from rest_framework.response import Response
    from rest_framework.views import exception_handler

    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status_code)
    request = context.get("request")
    if getattr(request, "axes_locked_out", False) and getattr(settings, "AXES_LOCKOUT_CALLABLE", None):
        # django-axes flags DRF's request object, which its middleware never sees: answer here.
        return import_string(settings.AXES_LOCKOUT_CALLABLE)(request)
    return exception_handler(exc, context)
