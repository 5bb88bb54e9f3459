"""The app's English catalog is compiled and current: every entry of django.po reads in English."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext, ngettext

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace('\\"', '"')


def entries():
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid "(.+)"$', block, re.M)
        if not msgid:
            continue
        plural = re.search(r'^msgid_plural "(.+)"$', block, re.M)
        if plural:
            yield _unescape(msgid.group(1)), _unescape(plural.group(1)), re.search(r'^msgstr\[1\] "(.+)"$', block, re.M).group(1)
        else:
            yield _unescape(msgid.group(1)), None, _unescape(re.search(r'^msgstr "(.+)"$', block, re.M).group(1))


def test_every_entry_is_translated_by_the_compiled_catalog():
    found = list(entries())
    assert len(found) > 100
    with translation.override("en"):
        for msgid, plural, _msgstr in found:
            got = ngettext(msgid, plural, 2) if plural else gettext(msgid)
            # The project catalog may word a shared msgid differently ("Subject" for 标题); it must
            # still be English.
            assert got and got != msgid, msgid
            assert not re.search(r"[\u4e00-\u9fff]", got), msgid
