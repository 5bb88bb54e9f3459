"""In-process domain events: services announce what happened; other apps react after commit.

A service calls ``emit("complaint.received", complaint_id=…)`` inside its transaction; each handler
registered with ``@on("complaint.received")`` runs only once the transaction commits (so a rolled
back action never notifies anybody). Handlers typically enqueue a Celery task with ids.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)
_handlers: dict[str, list[Callable[..., None]]] = defaultdict(list)


def on(event: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(fn: Callable[..., None]) -> Callable[..., None]:
        if fn not in _handlers[event]:
            _handlers[event].append(fn)
        return fn

    return register


def emit(event: str, **payload) -> None:
    for handler in list(_handlers.get(event, ())):
        transaction.on_commit(lambda h=handler: _run(h, event, payload))


def _run(handler: Callable[..., None], event: str, payload: dict) -> None:
    try:
        handler(**payload)
    except Exception:  # a failing listener must never undo or block the committed action
        log.exception("hook %s failed for %s", handler.__name__, event)
