"""Django's form renderer, with the commonest widgets built in Python (issue 12 §6: page time).

Django renders every widget through templates: a ``<select>`` is one template plus one included
template per ``<option>`` and one more for each element's attributes. A queue page's filters (five
selects, ≈ 60 options) and a complaint page's action forms cost 3–6 ms of template rendering that
way. ``WidgetRenderer`` builds the markup of ``input.html`` (and the input types that include it),
``select.html`` with ``select_option.html`` and ``textarea.html`` in Python, and an empty error
list as nothing — byte for byte what those templates make (``core/tests/test_widgets.py`` renders
both) — and leaves every other template, and any widget with its own template, to Django.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"
INPUTS = {f"{WIDGETS}{kind}.html" for kind in (
    "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel",
    "color", "checkbox",
)}
OPTION = f"{WIDGETS}select_option.html"


def _s(value) -> str:
    """``{{ value|stringformat:'s' }}``: the value as text, escaped unless already safe."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def attrs(attributes: dict) -> str:
    """``attrs.html``: ` name="value"`, a bare name for ``True``, nothing for ``False``."""
    out = []
    for name, value in attributes.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_s(value)}"')
    return "".join(out)


def input_html(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{_s(widget["value"])}"'
    return (f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f"{value}{attrs(widget['attrs'])}>")


def select_html(widget: dict) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None  # an option with its own template: Django renders the whole select
            parts.append(f'\n  <option value="{_s(option["value"])}"{attrs(option["attrs"])}>'
                         f'{conditional_escape(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def textarea_html(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{attrs(widget["attrs"])}>\n{value}</textarea>'


BUILDERS = {
    **{name: input_html for name in INPUTS},
    f"{WIDGETS}select.html": select_html,
    f"{WIDGETS}textarea.html": textarea_html,
}


# A field's error list: rendered for every field, and empty for almost all of them.
ERROR_LISTS = {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}


class WidgetRenderer(DjangoTemplates):
    """``FORM_RENDERER``: Python for the common widgets, Django's templates for everything else."""

    def render(self, template_name, context, request=None):
        if template_name in ERROR_LISTS and not context.get("errors"):
            return ""
        build = BUILDERS.get(template_name)
        if build is not None and request is None and "widget" in context:
            html = build(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)
