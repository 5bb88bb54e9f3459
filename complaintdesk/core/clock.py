"""The one source of "now": timezone-aware, and controllable in tests and demos.

Every service and sweep asks ``clock.now()`` instead of ``timezone.now()`` so a test can move time
forward (a deadline passing, a working day starting) without sleeping.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now()


def set_now(value: dt.datetime | None) -> None:
    """Pin the clock to ``value`` (timezone-aware), or release it with ``None``."""
    global _frozen
    if value is not None and timezone.is_naive(value):
        raise ValueError("clock.set_now needs a timezone-aware datetime")
    _frozen = value


@contextlib.contextmanager
def frozen(value: dt.datetime) -> Iterator[None]:
    previous = _frozen
    set_now(value)
    try:
        yield
    finally:
        set_now(previous)


def advance(delta: dt.timedelta) -> dt.datetime:
    """Move a pinned clock forward (tests only)."""
    if _frozen is None:
        raise RuntimeError("clock.advance needs a pinned clock")
    set_now(_frozen + delta)
    return _frozen
