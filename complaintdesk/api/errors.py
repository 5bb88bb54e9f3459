"""One error format for every API response that is not a success, 404/405/429/500 included:

    {"error": {"code": "validation_failed", "message": "…", "fields": {"phone": ["…"]}}}

Messages are in the request's language (see ``complaintdesk.core.middleware``).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from complaintdesk.core.errors import DomainError

log = logging.getLogger(__name__)

# JSON deeper than this is refused before any serializer walks it.
MAX_JSON_DEPTH = 20


class ErrorBody(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorOutput(serializers.Serializer):
    error = ErrorBody()


def body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"a.b": [messages]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(v, (dict, list)) for v in detail):
            out[prefix or "non_field_errors"] = [str(v) for v in detail]
        else:
            for index, value in enumerate(detail):
                out.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def api_exception_handler(exc, context):
    """DRF's handler: domain errors, DRF errors and anything unexpected, all in one shape."""
    request = context.get("request")
    if getattr(request, "axes_locked_out", False) and getattr(settings, "AXES_LOCKOUT_CALLABLE", None):
        # django-axes flags DRF's request object, which its middleware never sees: answer here.
        return import_string(settings.AXES_LOCKOUT_CALLABLE)(request)
    if isinstance(exc, DomainError):
        return Response(body(exc.code, exc.message, exc.errors), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = "；".join(m for msgs in fields.values() for m in msgs) or _("输入有误。")
        return Response(body("validation_failed", message, fields), status=exc.status_code)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait))
        detail = exc.detail if not isinstance(exc.detail, (list, dict)) else _flatten(exc.detail)
        code = getattr(detail, "code", None) or exc.default_code
        return Response(body(code, str(detail)), status=exc.status_code, headers=headers)
    log.exception("API error", exc_info=exc)
    return Response(body("server_error", _("服务器内部错误，请稍后再试。")), status=500)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Unknown paths under /api/ answer in the same format (not Django's HTML page)."""
    return JsonResponse(body("not_found", exceptions.NotFound.default_detail), status=404)


def _depth(value) -> int:
    """Nesting depth without recursion (a hostile body must not exhaust the stack here either)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


class BoundedJSONParser(JSONParser):
    """JSON with a nesting limit: a deeply nested body is a 400, never a RecursionError (500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("JSON 嵌套过深。"))
        if _depth(data) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(_("JSON 嵌套过深。"))
        return data


__all__ = ["BoundedJSONParser", "ErrorOutput", "api_exception_handler", "body", "not_found"]
