"""Observers that must see a change of complaints *inside* its transaction.

``hooks`` run after commit, which is right for side effects and wrong for figures that must
commit or roll back with the change (the reports' running tallies). A writer wraps its change::

    with changes.complaints_changing([pk]):
        ...  # update the rows, write the timeline

and each registered observer is called with the ids before the change (``new=True`` for rows
just inserted); what it returns is called
after it, still in the transaction. An upper app registers its observer in ``AppConfig.ready``
(``reports.apps``), so the lower layers that write complaints never import it.

New complaints: ``complaints_added(ids)`` once they are written (there is no "before").
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction

Observer = Callable[..., Callable[[], None]]  # observer(ids, new=False) -> after()
_observers: list[Observer] = []


def observe(fn: Observer) -> Observer:
    if fn not in _observers:
        _observers.append(fn)
    return fn


def forget(fn: Observer) -> None:
    if fn in _observers:
        _observers.remove(fn)


_watching = threading.local()


def _active() -> set[int]:
    if not hasattr(_watching, "ids"):
        _watching.ids = set()
    return _watching.ids


@contextmanager
def complaints_changing(ids: Iterable[int]) -> Iterator[None]:
    """Wrap a change of the complaints ``ids`` (which must be locked by the caller). Nested inside
    another change of the same complaints (a text logged by an action's ``apply``), it adds
    nothing: the outer change already counts what happens inside it."""
    active = _active()
    ids = [i for i in dict.fromkeys(int(i) for i in ids) if i not in active]
    if not ids or not _observers:
        yield
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("complaints_changing() must run inside the change's transaction")
    finish = [observer(ids) for observer in list(_observers)]
    active.update(ids)
    try:
        yield
    finally:
        active.difference_update(ids)
    for done in finish:
        done()


def complaints_added(ids: Iterable[int]) -> None:
    """Complaints just inserted, in the caller's transaction: nothing of them existed before."""
    ids = [int(i) for i in ids]
    if not ids or not _observers:
        return
    for observer in list(_observers):
        observer(ids, new=True)()
