"""One form field with its label, help, errors and the phrase tools, built in Python (issue 12 §6).

The markup that ``web/layout/_field.html`` made (``{% form_field %}`` replaced it): a complaint page
builds its action forms' fields this way in a tenth of the time the included template took
(≈ 100 fields per page for a supervisor). ``web/tests/test_fields.py`` renders every field of every
action form both ways and compares them.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

CHOICE_LISTS = {"checkboxselectmultiple", "radioselect"}


def _help_and_errors(field) -> str:
    help_text = f'<small class="helptext">{esc(field.help_text)}</small>' if field.help_text else ""
    return f"{help_text}{field.errors}"


def _phrase_tools(field) -> str:
    """The 回单/answer text's live hints and the quick-reply search that inserts a standard phrase."""
    return (
        '<div class="text-hints" aria-live="polite"></div>\n'
        f'<div class="quick-replies no-print"><label>{esc(_("插入规范用语/预案"))}\n'
        f'<input type="search" name="q" placeholder="{esc(_("搜索：致歉、等待、漏水…"))}" form="" autocomplete="off"\n'
        f'  hx-get="{esc(reverse("web:quick_replies"))}" hx-vals=\'{{"target": "{esc(field.id_for_label)}"}}\' '
        'hx-trigger="input changed delay:300ms, focus once" hx-target="next .qr-list" hx-swap="innerHTML" '
        'hx-include="this"></label>\n'
        '<div class="qr-list"></div></div>'
    )


def field_html(field) -> SafeString:
    if field.is_hidden:
        return mark_safe(f"{field}\n")  # noqa: S308 - rendered by the widget
    kind = field.widget_type
    if kind == "checkbox":
        html = f"\n<label>{field} {esc(field.label)}</label>{_help_and_errors(field)}\n"
    elif kind in CHOICE_LISTS:
        choices = "".join(f"<label>{choice.tag()} {esc(choice.choice_label)}</label>" for choice in field)
        html = f'\n<fieldset class="checks"><legend>{esc(field.label)}</legend>{choices}</fieldset>{field.errors}\n'
    else:
        required = ' <span aria-hidden="true">*</span>' if field.field.required else ""
        tools = _phrase_tools(field) if getattr(field.field, "checks_language", False) else ""
        html = (f'\n<label for="{esc(field.id_for_label)}">{esc(field.label)}{required}</label>\n'
                f"{field}\n{_help_and_errors(field)}\n{tools}\n")
    return mark_safe(html + "\n")  # noqa: S308 - every value above is escaped or rendered by Django
