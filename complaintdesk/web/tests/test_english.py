"""Every msgid the workspace shows has an English translation: template tags, action labels,
queue names, form labels and choices. (The browser walk in test_browser_workspace checks the
rendered pages; this catches a new string the moment it is added without a translation.)"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from django import forms as django_forms
from django.template import engines
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.utils import translation

from complaintdesk.complaints.selectors import QUEUES
from complaintdesk.web import forms
from complaintdesk.web.templatetags.desk import DEADLINE_LABELS
from complaintdesk.web.views.complaints import ACTION_FORMS
from complaintdesk.web.views.intake import FIVE_STEPS

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE_DIRS = [ROOT / "complaintdesk" / "web" / "templates", ROOT / "templates"]
CJK = re.compile(r"[\u3400-\u9fff]")


def _nodes(nodelist):
    for node in nodelist:
        yield node
        for attr in getattr(node, "child_nodelists", ()):
            yield from _nodes(getattr(node, attr, None) or [])


def _template_msgids() -> set[tuple[str, str | None]]:
    engine = engines["django"].engine
    found = set()
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            template = engine.from_string(path.read_text(encoding="utf-8"))
            for node in _nodes(template.nodelist):
                literal = getattr(getattr(node, "filter_expression", None), "var", None)
                literal = getattr(literal, "literal", None)
                if isinstance(node, TranslateNode) and isinstance(literal, str):
                    found.add((literal, None))
                elif isinstance(node, BlockTranslateNode):
                    singular, _vars = node.render_token_list(node.singular)
                    plural = node.render_token_list(node.plural)[0] if node.plural else None
                    found.add((singular, plural))
    return found


def _untranslated(msgid: str, plural: str | None = None) -> bool:
    with translation.override("en"):
        english = translation.ngettext(msgid, plural, 2) if plural else translation.gettext(msgid)
    return bool(CJK.search(english))


def test_templates_have_no_untranslated_msgid():
    msgids = _template_msgids()
    assert len(msgids) > 200  # the walk found the templates
    missing = sorted(m for m, p in msgids if CJK.search(m) and _untranslated(m, p))
    assert not missing, missing


def _form_texts():
    for _name, cls in inspect.getmembers(forms, inspect.isclass):
        if not issubclass(cls, django_forms.BaseForm) or cls.__module__ != forms.__name__:
            continue
        for field in cls.base_fields.values():
            yield field.label
            if field.help_text:
                yield field.help_text
            if isinstance(field, django_forms.ModelChoiceField):
                continue  # rows from the database, not messages
            for _value, label in getattr(field, "choices", None) or []:
                if isinstance(label, (list, tuple)):
                    continue
                yield label


@pytest.mark.parametrize(
    "texts",
    [
        pytest.param(lambda: [a.label for a in ACTION_FORMS], id="action labels"),
        pytest.param(lambda: [q.label for q in QUEUES], id="queues"),
        pytest.param(lambda: [t for step in FIVE_STEPS for t in step], id="five steps"),
        pytest.param(lambda: list(DEADLINE_LABELS.values()), id="deadline labels"),
        pytest.param(lambda: list(_form_texts()), id="form labels and choices"),
    ],
)
def test_python_strings_shown_in_the_workspace_are_translated(texts):
    with translation.override("en"):
        rendered = [str(t) for t in texts() if t]
    missing = [t for t in rendered if CJK.search(t)]
    assert not missing, missing
