"""Reads of the phrase library for people: the quick-reply picker (approved phrases and 预案)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from .models import HandlingTemplate, PhraseKind, PhraseRule
from .phrases_default import SITUATIONS

# The situations an agent reaches for when writing to a customer come first in the picker.
PREFERRED = ("apology", "waiting", "handover", "tactful", "thanks", "farewell")


@dataclass(frozen=True)
class QuickReply:
    kind: str  # "phrase" or "template"
    group: str
    title: str
    text: str


def quick_reply_list(*, query: str = "", limit: int = 30) -> list[QuickReply]:
    """Active approved phrases and 预案 matching ``query`` (title, situation or text); two queries."""
    query = (query or "").strip()
    phrases = PhraseRule.objects.filter(kind=PhraseKind.APPROVED, is_active=True)
    templates = HandlingTemplate.objects.filter(is_active=True)
    if query:
        situations = [code for code, label in SITUATIONS.items() if query in label]
        phrases = phrases.filter(Q(phrase__icontains=query) | Q(situation__in=situations))
        templates = templates.filter(
            Q(title__icontains=query) | Q(situation__icontains=query) | Q(body__icontains=query)
        )
    found = [
        QuickReply("template", t.situation or "预案", t.title, t.body)
        for t in templates.order_by("situation", "title")[:limit]
    ]
    rank = {code: i for i, code in enumerate(PREFERRED)}
    rows = sorted(
        phrases.values_list("situation", "phrase")[: limit * 4],
        key=lambda row: (rank.get(row[0], len(rank)), row[0]),
    )
    found += [QuickReply("phrase", SITUATIONS.get(s, s), p, p) for s, p in rows]
    return found[:limit]
