"""Phone-number normalisation for mainland China (pure Python).

Customers are de-duplicated by phone, so every number is reduced to one canonical form:
mobiles to 11 digits (``13812345678``), landlines to area code + number (``02112345678``),
and 400/800 service numbers to their 10 digits.
"""

from __future__ import annotations

import re

_STRIP = re.compile(r"[\s\-－—()（）.·]")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0[1-9]\d{1,2}\d{7,8}")
_SERVICE = re.compile(r"[48]00\d{7}")


class InvalidPhone(ValueError):
    pass


def normalize_phone(raw: str) -> str:
    """Return the canonical form of ``raw`` or raise :class:`InvalidPhone`."""
    if raw is None:
        raise InvalidPhone("empty")
    text = raw.strip().translate(str.maketrans("０１２３４５６７８９＋", "0123456789+"))
    text = _STRIP.sub("", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    if not text.isdigit():
        raise InvalidPhone(raw)
    if _MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text) or _SERVICE.fullmatch(text):
        return text
    raise InvalidPhone(raw)


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678`` for lists and printouts."""
    if len(phone) >= 7:
        return phone[:3] + "****" + phone[-4:]
    return phone
