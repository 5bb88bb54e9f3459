"""The repository stands on its own: nothing in it reads or links a file outside it."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SKIP_DIRS = {
    ".git",
    ".venv",
    "var",
    "node_modules",
    "__pycache__",
    "staticfiles",
    ".pytest_cache",
    ".ruff_cache",
}
TEXT_SUFFIXES = {
    ".py",
    ".md",
    ".html",
    ".txt",
    ".toml",
    ".cfg",
    ".ini",
    ".json",
    ".yml",
    ".yaml",
    ".sh",
    ".po",
}
# Built from parts so that this file does not match itself.
OUTSIDE = ("../" + "shared", "shared/" + "datasets", "shared/" + "SPEC", "shared/" + "seeds")


def _project_files():
    for path in ROOT.rglob("*"):
        if any(part in SKIP_DIRS for part in path.relative_to(ROOT).parts):
            continue
        if path.is_file() and (path.suffix in TEXT_SUFFIXES or path.name in {"Makefile", "run"}):
            yield path


def test_no_file_reads_or_links_outside_the_repository():
    offenders = []
    for path in _project_files():
        text = path.read_text(encoding="utf-8", errors="ignore")
        offenders += [f"{path.relative_to(ROOT)}: {needle}" for needle in OUTSIDE if needle in text]
    assert offenders == []


def test_the_scan_sees_the_project():
    names = {p.relative_to(ROOT).as_posix() for p in _project_files()}
    assert {"README.md", "Makefile", ".ci/run", "docs/rules.md"} <= names
