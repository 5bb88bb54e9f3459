"""The management figures over the API: the same numbers as the dashboard and the command."""

import pytest

from complaintdesk.api.tests.helpers import error, token_client
from complaintdesk.core import clock
from complaintdesk.reports.tests.test_indicators import AS_OF, DAY, EXPECTED, facts  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v1/indicators/"


def test_every_indicator_with_numerator_and_denominator_as_hand_counted(org, facts):  # noqa: F811
    with clock.frozen(AS_OF):
        response = token_client(org.manager).get(URL, {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["date_from"] == body["date_to"] == DAY.isoformat()
    got = {code: (f["numerator"], f["denominator"], f["value"]) for code, f in body["indicators"].items()}
    assert got == EXPECTED
    assert body["indicators"]["reply_24h"]["unit"] == "rate"
    assert body["indicators"]["phrase_blocked"]["label"] == "服务禁语拦截(每千条客户文本)"


def test_scope_by_department_code_and_channel(org, facts):  # noqa: F811
    day = {"date_from": DAY.isoformat(), "date_to": DAY.isoformat()}
    with clock.frozen(AS_OF):
        engineering = token_client(org.manager).get(URL, {**day, "department": org.engineering.code}).json()
        phone = token_client(org.manager).get(URL, {**day, "channel": "phone"}).json()
    assert engineering["indicators"]["intake"]["numerator"] == 3  # A, E, F (test_indicators: test_scope_filters)
    assert phone["indicators"]["intake"]["numerator"] == 2


def test_only_supervisors_and_above_read_figures(org):
    response = token_client(org.agent).get(URL)
    assert response.status_code == 403 and error(response)["code"] == "not_permitted"
    assert token_client(org.supervisor).get(URL).status_code == 200


@pytest.mark.parametrize("params, field", [
    ({"date_from": "2026-03-10", "date_to": "2026-03-09"}, "date_to"),
    ({"date_from": "2020-01-01", "date_to": "2026-03-09"}, "date_to"),  # more than two years
    ({"date_from": "0001-01-01"}, "date_from"),
    ({"department": "nowhere"}, "department"),
    ({"channel": "fax"}, "channel"),
])
def test_bad_periods_and_unknown_scopes_are_a_clear_400(org, params, field):
    response = token_client(org.manager).get(URL, params)
    assert response.status_code == 400
    assert field in error(response)["fields"]
