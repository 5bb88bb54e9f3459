"""What a locked-out sign-in gets (django-axes ``AXES_LOCKOUT_CALLABLE``): the API's JSON error
format under ``/api/``, the translated sign-in page elsewhere; 429 either way."""

from __future__ import annotations

import math

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_message() -> str:
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return _("登录失败次数过多，该账号已暂时锁定。请 %(minutes)d 分钟后再试，或联系管理员解锁。") % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    message = lockout_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out", "errors": {}}, status=429)
    return render(request, "registration/login.html", {"locked_message": message, "form": None}, status=429)
