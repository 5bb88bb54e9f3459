"""The dashboard over HTTP: who may see it, every figure with numerator and denominator, drill-down
links whose lists hold exactly the counted complaints, exports, and a constant number of queries."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from complaintdesk.core import clock
from complaintdesk.reports import dashboard
from complaintdesk.reports import indicators as ind
from complaintdesk.reports.tests.fixtures import complaint, local
from complaintdesk.reports.tests.test_indicators import AS_OF, EXPECTED, facts  # noqa: F401

pytestmark = pytest.mark.django_db
PERIOD = {"date_from": "2026-03-10", "date_to": "2026-03-10"}


@pytest.fixture(autouse=True)
def pinned():
    with clock.frozen(AS_OF):
        yield


def _get(client, user, url, data=None):
    client.force_login(user)
    return client.get(url, data or {})


def test_agents_and_handlers_may_not_see_it(client, org):
    for user in (org.agent, org.handler):
        assert _get(client, user, reverse("web:dashboard")).status_code == 403
        assert _get(client, user, reverse("web:dashboard_export", args=["indicators", "csv"])).status_code == 403


def test_manager_sees_every_figure_with_numerator_and_denominator(client, org, facts):  # noqa: F811
    page = _get(client, org.manager, reverse("web:dashboard"), PERIOD).content.decode()
    for code, (numerator, denominator, _value) in EXPECTED.items():
        tile = re.search(rf'data-indicator="{code}">(.*?)</article>', page, re.S)
        assert tile, code
        shown = f"¥{numerator:,.2f}" if ind.BY_CODE[code].unit == ind.AMOUNT else f"{numerator:,}"
        assert f'data-part="num">{shown}</a>' in tile.group(1), code
        if denominator is not None:
            assert f">{denominator}</a>" in tile.group(1), code
    assert "33.3%" in page  # reply_24h
    assert "数据看板" in page  # in the navigation


def _count_on(client, url) -> int:
    text = client.get(url).content.decode()
    return int(re.search(r"共 (\d+) 件", text).group(1))


def test_every_drill_down_link_lists_as_many_complaints_as_its_figure(client, org, facts):  # noqa: F811
    page = _get(client, org.manager, reverse("web:dashboard"), PERIOD).content.decode()
    checked = 0
    for code, (numerator, denominator, _value) in EXPECTED.items():
        tile = re.search(rf'data-indicator="{code}">(.*?)</article>', page, re.S).group(1)
        links = {part: url.replace("&amp;", "&") for url, part in re.findall(
            r'<a href="([^"]+)" data-part="(num|den)"', tile)}
        unit = ind.BY_CODE[code].unit
        if unit in (ind.RATE, ind.COUNT):
            assert _count_on(client, links["num"]) == numerator, code
            checked += 1
        if "den" in links and unit == ind.RATE:
            assert _count_on(client, links["den"]) == denominator, code
    assert checked >= 20


def test_table_rows_drill_down_with_the_dashboard_filters(client, org, facts):  # noqa: F811
    data = {**PERIOD, "department": str(org.engineering.pk)}
    page = _get(client, org.manager, reverse("web:dashboard"), data).content.decode()
    section = re.search(r'id="table-intake-channel">(.*?)</section>', page, re.S).group(1)
    rows = re.findall(r'<td>([^<]+)</td>\s*<td><a href="([^"]+)">(\d+)</a>', section)
    assert {label: int(n) for label, _url, n in rows} == {"来电": 2, "来访": 1}  # A, E · F
    for _label, url, n in rows:
        url = url.replace("&amp;", "&")
        assert f"department={org.engineering.pk}" in url
        assert _count_on(client, url) == int(n)


def test_bad_drill_parameters_are_a_404_not_a_crash(client, org):
    response = _get(client, org.manager, reverse("web:queue", args=["all"]), {"ind": "nope", "from": "x"})
    assert response.status_code == 404


def test_bad_period_is_shown_not_computed(client, org):
    page = _get(client, org.manager, reverse("web:dashboard"),
                {"date_from": "2026-03-10", "date_to": "2026-03-01"}).content.decode()
    assert "结束日期不能早于开始日期" in page


def test_exports_csv_and_excel(client, org, facts):  # noqa: F811
    client.force_login(org.manager)
    response = client.get(reverse("web:dashboard_export", args=["indicators", "csv"]), PERIOD)
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["编码", "指标", "分子", "分母", "值"]
    by_code = {r[0]: r[2:] for r in rows[1:]}
    assert by_code["reply_24h"] == ["1", "3", "0.3333"]
    assert len(by_code) == len(EXPECTED)
    response = client.get(reverse("web:dashboard_export", args=["intake-channel", "xlsx"]), PERIOD)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = list(book.active.values)
    assert values[0] == ("项目", "分子", "分母", "值")
    assert sorted(values[1:]) == sorted([("来电", 2, None, 2), ("在线/自助", 1, None, 1), ("来访", 1, None, 1)])
    assert client.get(reverse("web:dashboard_export", args=["nope", "csv"]), PERIOD).status_code == 404


def test_every_table_can_be_exported(client, org, facts):  # noqa: F811
    client.force_login(org.manager)
    for code in dashboard.table_codes():
        response = client.get(reverse("web:dashboard_export", args=[code, "csv"]), PERIOD)
        assert response.status_code == 200, code


def _queries(client, org) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("web:dashboard"), PERIOD).status_code == 200
    return len(ctx.captured_queries)


def test_constant_number_of_queries(client, org, facts):  # noqa: F811
    client.force_login(org.manager)
    client.get(reverse("web:dashboard"), PERIOD)  # warm the calendar cache
    before = _queries(client, org)
    for i in range(30):
        complaint(org, received_at=local(2026, 3, 10, i % 24, 0), channel=["phone", "visit", "online"][i % 3],
                  address=f"小区{i}栋 10{i}", department=[org.engineering, org.aftersales][i % 2])
    assert _queries(client, org) == before
    assert before <= 38, before  # the figures (tallies plus the live parts) and the page around them


def test_in_english(client, org, facts):  # noqa: F811
    client.force_login(org.manager)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("web:dashboard"), PERIOD).content.decode()
    assert "Answered within 24 h" in page and "Ageing of open cases (working days)" in page
    assert "Numerator" in page and "24小时答复及时率" not in page
