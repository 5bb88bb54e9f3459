import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaintdesk.customers.phones import InvalidPhone, mask_phone, normalize_phone


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("13812345678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("８６１３８１２３４５６７８", "13812345678"),
        ("021-62345678", "02162345678"),
        ("(0755) 8123 4567", "075581234567"),
        ("400-800-1234", "4008001234"),
    ],
)
def test_normalises_chinese_numbers(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "10012345678", "1381234567x", "138123456789", "phone", "+1 415 555 0100"])
def test_rejects_malformed_numbers(raw):
    with pytest.raises(InvalidPhone):
        normalize_phone(raw)


@given(st.sampled_from("3456789"), st.text(alphabet="0123456789", min_size=9, max_size=9), st.sampled_from(["", " ", "-"]))
def test_mobile_formatting_never_changes_the_canonical_form(second, rest, sep):
    canonical = f"1{second}{rest}"
    formatted = f"+86{sep}{canonical[:3]}{sep}{canonical[3:7]}{sep}{canonical[7:]}"
    assert normalize_phone(formatted) == canonical
    assert normalize_phone(canonical) == canonical


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
