"""Staff notices store a message key and its parameters; the sentence is rendered when it is read,
in the reader's language.

``compose(gettext_noop("投诉 %(number)s …"), number=…, deadline=SomeChoice.X.label)`` keeps the
untranslated format string (the msgid) and the parameters: numbers, codes and times as values,
translatable labels (lazy strings) as their own msgids. :func:`render` translates both at display
time, so a notice written while an English-UI colleague acted reads in Chinese for a Chinese reader.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext


def _msgid(text: Promise) -> str:
    with translation.override(None):  # no active language: gettext returns the msgid itself
        return str(text)


def _param(value):
    if isinstance(value, Promise):
        return {"t": _msgid(value)}
    if isinstance(value, dt.datetime):
        return {"at": value.isoformat()}
    return value


def label_param(label: Promise) -> dict:
    """A translatable label as a parameter, computed once for many notices."""
    return {"t": _msgid(label)}


def compose(msgid: str, **params) -> dict:
    """A notice's machine form: ``{"msg": msgid, "args": {...}}``."""
    return {"msg": str(msgid), "args": {name: _param(value) for name, value in params.items()}}


def _value(value) -> str:
    if isinstance(value, dict) and "t" in value:
        return gettext(value["t"])
    if isinstance(value, dict) and "at" in value:
        parsed = parse_datetime(value["at"])
        return timezone.localtime(parsed).strftime("%m-%d %H:%M") if parsed else value["at"]
    return "" if value is None else str(value)


def render(message: dict | None, fallback: str = "") -> str:
    """The notice in the active language; ``fallback`` (the stored text) for rows without a key."""
    if not message or "msg" not in message:
        return fallback
    args = {name: _value(value) for name, value in (message.get("args") or {}).items()}
    try:
        return gettext(message["msg"]) % args
    except (KeyError, TypeError, ValueError):
        return fallback or message["msg"]
