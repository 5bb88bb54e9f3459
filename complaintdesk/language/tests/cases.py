"""Loader for the labelled sentence sets in ``testdata/`` (shared by tests and the benchmark)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"


@dataclass(frozen=True)
class Case:
    label: bool
    rule: str
    text: str


def load_cases(name: str) -> list[Case]:
    cases = []
    for line in (TESTDATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, rule, text = line.split("\t")
        cases.append(Case(label=label == "1", rule=rule, text=text))
    return cases
