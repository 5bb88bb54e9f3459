"""The command-line contract: one JSON object, code → {numerator, denominator, value}."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from complaintdesk.core import clock
from complaintdesk.reports import indicators as ind
from complaintdesk.reports.tests.test_indicators import AS_OF, EXPECTED, facts  # noqa: F401


def run(*args) -> dict:
    out = io.StringIO()
    with clock.frozen(AS_OF):
        call_command("indicators", *args, stdout=out)
    text = out.getvalue()
    assert text.count("\n") <= 1  # one object, one line
    return json.loads(text)


def test_prints_every_indicator_with_numerator_denominator_value(facts):  # noqa: F811
    result = run("--from", "2026-03-10", "--to", "2026-03-10")
    assert list(result) == [i.code for i in ind.INDICATORS]
    for code, (numerator, denominator, value) in EXPECTED.items():
        assert result[code] == {"numerator": numerator, "denominator": denominator, "value": value}


def test_department_filter(facts, org):  # noqa: F811
    result = run("--from", "2026-03-10", "--to", "2026-03-10", "--department", "engineering")
    assert result["intake"] == {"numerator": 3, "denominator": None, "value": 3}
    assert result["compensation"] == {"numerator": 100.5, "denominator": 1, "value": 100.5}


def test_an_empty_period_gives_zero_counts_and_no_rates(db):
    result = run("--from", "2020-01-01", "--to", "2020-01-31")
    assert result["intake"] == {"numerator": 0, "denominator": None, "value": 0}
    assert result["reply_24h"] == {"numerator": 0, "denominator": 0, "value": None}


@pytest.mark.parametrize("args,message", [
    (("--from", "2026-3-1x", "--to", "2026-03-10"), "YYYY-MM-DD"),
    (("--from", "2026-03-10", "--to", "2026-03-01"), "--to"),
    (("--from", "2026-03-01", "--to", "2026-03-10", "--department", "nope"), "nope"),
])
def test_bad_input_is_a_clear_error(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
