"""Clustering one small candidate set of complaints into recurring problems (pure Python).

The database has already narrowed the candidates to one category and one address prefix within
the period (see ``selectors.recurring_problem_list``); here texts are compared with the language
module's repeat similarity. Leader clustering: each text joins the first cluster whose leader it
resembles, else leads a new one — at most ``len(items) × clusters`` comparisons on a bounded set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from complaintdesk.language.repeat import REPEAT_SIMILARITY_THRESHOLD, repeat_similarity

T = TypeVar("T")


@dataclass
class Cluster(Generic[T]):
    leader_text: str
    members: list[T]


def cluster(
    items: Sequence[T],
    *,
    text: Callable[[T], str],
    threshold: float = REPEAT_SIMILARITY_THRESHOLD,
    max_clusters: int = 50,
) -> list[Cluster[T]]:
    """Group ``items`` (in the order given) by text similarity to each cluster's leader."""
    clusters: list[Cluster[T]] = []
    seen: dict[tuple[str, str], float] = {}  # re-reported identical texts are scored once
    for item in items:
        body = text(item)
        for candidate in clusters:
            pair = (body, candidate.leader_text)
            if pair not in seen:
                seen[pair] = repeat_similarity(*pair)
            if seen[pair] >= threshold:
                candidate.members.append(item)
                break
        else:
            if len(clusters) < max_clusters:
                clusters.append(Cluster(leader_text=body, members=[item]))
    return clusters


def matches(body: str, leader_text: str, threshold: float = REPEAT_SIMILARITY_THRESHOLD) -> bool:
    return repeat_similarity(body, leader_text) >= threshold
