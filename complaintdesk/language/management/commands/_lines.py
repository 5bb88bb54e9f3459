"""Shared stdin/stdout handling for the line-oriented commands."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator


def input_lines(stdin) -> Iterator[str]:
    """Lines of UTF-8 stdin without their line ending (blank lines are kept as empty texts)."""
    stream = (
        stdin if stdin is not None else io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    )
    for line in stream:
        yield line.rstrip("\r\n")


def emit(stdout, obj: dict) -> None:
    stdout.write(json.dumps(obj, ensure_ascii=False))
