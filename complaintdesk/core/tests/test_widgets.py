"""The widgets built in Python (``core/widgets.py``) are byte for byte what Django's templates make."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given, settings
from hypothesis import strategies as st

from complaintdesk.core.widgets import BUILDERS, WidgetRenderer

TEMPLATES = DjangoTemplates()
FAST = WidgetRenderer()
text = st.lists(st.sampled_from(list("ab<>&\"' 漏水\n\té") + ["{{", "%s"]), max_size=8).map("".join)
values = st.one_of(st.none(), text, st.integers(-5, 10**6), st.booleans(), st.dates(min_value=dt.date(2000, 1, 1)))
attr_values = st.one_of(st.just(True), st.just(False), text, st.integers(0, 99))
attributes = st.dictionaries(st.sampled_from(["id", "class", "placeholder", "hx-get", "data-x", "required",
                                              "disabled", "maxlength"]), attr_values, max_size=4)


def both(widget: forms.Widget, name, value, attrs=None) -> tuple[str, str]:
    return (widget.render(name, value, attrs, renderer=TEMPLATES), widget.render(name, value, attrs, renderer=FAST))


INPUT_WIDGETS = [forms.TextInput, forms.NumberInput, forms.EmailInput, forms.URLInput, forms.HiddenInput,
                 forms.DateInput, forms.DateTimeInput, forms.TimeInput, forms.CheckboxInput,
                 lambda **kw: forms.PasswordInput(render_value=True, **kw),
                 lambda **kw: forms.TextInput(attrs={"type": "search", **kw.get("attrs", {})})]


@pytest.mark.parametrize("make", INPUT_WIDGETS)
@settings(max_examples=40, deadline=None)
@given(name=text, value=values, attrs=attributes)
def test_inputs(make, name, value, attrs):
    expected, built = both(make(attrs=attrs), name, value)
    assert built == expected


@settings(max_examples=80, deadline=None)
@given(name=text, attrs=attributes, value=st.one_of(st.none(), text, st.lists(text, max_size=3)),
       choices=st.lists(st.tuples(st.one_of(text, st.integers(0, 20)), st.one_of(text, st.integers(0, 9))),
                        max_size=6),
       group=st.one_of(st.none(), text), multiple=st.booleans())
def test_selects(name, attrs, value, choices, group, multiple):
    if group is not None:
        choices = [("x", "plain"), (group, choices)] if choices else choices
    widget = (forms.SelectMultiple if multiple else forms.Select)(attrs=attrs, choices=choices)
    expected, built = both(widget, name, value)
    assert built == expected


def test_selects_with_lazy_and_safe_labels():
    widget = forms.Select(choices=[("", gettext_lazy("全部状态")), ("a", mark_safe("<b>粗</b>")), (1, "<i>")])
    expected, built = both(widget, "status", "a", {"id": "id_status"})
    assert built == expected and "<b>粗</b>" in built and "&lt;i&gt;" in built


@settings(max_examples=60, deadline=None)
@given(name=text, value=st.one_of(st.none(), text), attrs=attributes)
def test_textareas(name, value, attrs):
    expected, built = both(forms.Textarea(attrs=attrs), name, value)
    assert built == expected


def test_other_widgets_are_left_to_the_templates():
    """Radio buttons, checkbox lists, files and an option with its own template go through Django."""
    class Odd(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    for widget in (forms.RadioSelect(choices=[("a", "甲")]), forms.CheckboxSelectMultiple(choices=[("a", "甲")]),
                   forms.ClearableFileInput(), Odd(choices=[("a", "甲")]), forms.SelectDateWidget()):
        expected, built = both(widget, "f", None)
        assert built == expected
    assert "django/forms/widgets/radio.html" not in BUILDERS


@pytest.mark.parametrize("errors", [[], ["请填写原因。"], ["<b>", mark_safe("<i>ok</i>")]])
def test_error_lists(errors):
    from django.forms.utils import ErrorList

    rendered = [str(ErrorList(errors, renderer=renderer, field_id="id_x")) for renderer in (TEMPLATES, FAST)]
    assert rendered[0] == rendered[1] and bool(rendered[1]) == bool(errors)
