"""Display helpers for the case records of issue 11: visit answers, dimensions, plan decisions."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _l

from complaintdesk.complaints.choices import Dimension

register = template.Library()

# The visit questions (web.forms.VisitForm) by the key the answer is stored under.
VISIT_QUESTIONS = {
    "process": _l("处理过程"),
    "measures": _l("处理措施"),
    "result": _l("处理结果"),
}


@register.filter
def visit_answers(visit) -> list[tuple[str, str]]:
    """The customer's answers in question order, skipping the unanswered ones."""
    answers = visit.answers or {}
    return [(label, answers[key]) for key, label in VISIT_QUESTIONS.items() if answers.get(key)]


@register.filter
def dimension_scores(visit) -> list[tuple[str, int]]:
    scores = visit.dimensions or {}
    return [(Dimension(code).label, scores[code]) for code in Dimension.values if scores.get(code)]
