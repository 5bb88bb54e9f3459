"""What every workspace view shares: htmx detection and turning domain errors into form errors."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from complaintdesk.core.errors import DomainError, InvalidTransition, NotPermitted, ValidationFailed

# Names the services use for nested values, mapped to the form field that shows them.
_NESTED_PREFIXES = {"plan_options": "option_1", "dimensions": None}


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def attach_errors(form: forms.Form, error: DomainError) -> None:
    """Put a service's errors on the form: per field when the form has it, else on the form."""
    if not isinstance(error, ValidationFailed) or not error.errors:
        form.add_error(None, error.message)
        return
    for name, messages in error.errors.items():
        field = _field_for(form, name)
        for message in messages:
            form.add_error(field, message)


def _field_for(form: forms.Form, name: str) -> str | None:
    if name in form.fields:
        return name
    head, _sep, tail = name.partition(".")
    if head == "dimensions" and f"dim_{tail}" in form.fields:
        return f"dim_{tail}"
    if head == "plan_options" and tail.isdigit() and f"option_{int(tail) + 1}" in form.fields:
        return f"option_{int(tail) + 1}"
    fallback = _NESTED_PREFIXES.get(head)
    return fallback if fallback in form.fields else None


def status_for(error: DomainError) -> int:
    if isinstance(error, NotPermitted):
        return 403
    if isinstance(error, InvalidTransition):
        return 409
    return 422


def render_form_error(request, template: str, context: dict, error: DomainError) -> HttpResponse:
    attach_errors(context["form"], error)
    return render(request, template, context, status=status_for(error))


def invalid_form_status(request: HttpRequest) -> int:
    """htmx swaps 4xx bodies (see static/web/app.js); a plain form post re-renders with 200."""
    return 422 if is_htmx(request) else 200


def trigger(response: HttpResponse, *events: str) -> HttpResponse:
    response["HX-Trigger"] = ", ".join(events)
    return response
