"""The portal's own session state, apart from staff login (customers are not Django users).

* ``portal_customer``: the customer verified by an SMS code — ``{"id", "phone", "until"}``;
* ``portal_cases``: cases opened without signing in — ``{complaint id: "link" | "track" | "submitted"}``.
  A signed SMS link proves the phone, so it may answer the return visit; number + phone tracking
  and a just-submitted case only show progress.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from complaintdesk.core import clock

CUSTOMER, CASES = "portal_customer", "portal_cases"
READ, ANSWER = "read", "answer"
LEVELS = {"link": ANSWER, "track": READ, "submitted": READ}


def sign_in(request, *, customer_id: int, phone: str) -> None:
    request.session.cycle_key()  # no session fixation across the sign-in
    until = clock.now() + dt.timedelta(hours=settings.PORTAL_SESSION_HOURS)
    request.session[CUSTOMER] = {"id": customer_id, "phone": phone, "until": until.timestamp()}


def sign_out(request) -> None:
    request.session.pop(CUSTOMER, None)
    request.session.pop(CASES, None)


def customer(request) -> dict | None:
    value = request.session.get(CUSTOMER)
    if not value:
        return None
    if value.get("until", 0) <= clock.now().timestamp():
        request.session.pop(CUSTOMER, None)
        return None
    return value


def grant(request, complaint_id: int, how: str) -> None:
    cases = dict(request.session.get(CASES) or {})
    current = cases.get(str(complaint_id))
    if current is None or LEVELS[how] == ANSWER:
        cases[str(complaint_id)] = how
    request.session[CASES] = cases


def access(request, *, complaint_id: int, customer_id: int) -> str | None:
    """``"answer"``, ``"read"`` or ``None`` for this visitor and this complaint."""
    signed = customer(request)
    if signed and signed["id"] == customer_id:
        return ANSWER
    how = (request.session.get(CASES) or {}).get(str(complaint_id))
    return LEVELS.get(how)
