"""Reading a CSV or Excel file as (row number, {column header: value}) — one row at a time.

Row numbers are the ones a person sees in a spreadsheet: the header is row 1, the first data row
row 2. CSV is read as UTF-8 (with or without BOM) or, when that fails, GB18030 (what Excel on a
Chinese Windows saves as "CSV"). Excel files are read with openpyxl in read-only mode (the first
sheet; empty rows are skipped)."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

import openpyxl
from django.utils.translation import gettext as _

from complaintdesk.core.errors import ValidationFailed

Row = tuple[int, dict[str, object]]


def _file_error(message: str) -> ValidationFailed:
    return ValidationFailed({"file": [message]})


def _encoding(path: Path) -> str:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as f:
        try:
            while block := f.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


def _csv_rows(path: Path) -> Iterator[list]:
    with path.open(encoding=_encoding(path), newline="") as f:
        yield from csv.reader(f)


def _xlsx_rows(path: Path) -> Iterator[list]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises several types for a file that is not a workbook
        raise _file_error(_("无法读取这个 Excel 文件，请确认是 .xlsx 格式。"))
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield list(values)
    finally:
        book.close()


def read_rows(path: str | Path) -> tuple[list[str], Iterator[Row]]:
    """(headers, rows) of a .csv or .xlsx file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        source = _csv_rows(path)
    elif suffix in (".xlsx", ".xlsm"):
        source = _xlsx_rows(path)
    else:
        raise _file_error(_("只支持 CSV 或 Excel (.xlsx) 文件。"))
    try:
        header = next(source)
    except StopIteration:
        raise _file_error(_("文件是空的。"))
    headers = [str(h).strip().lstrip("\ufeff") if h is not None else "" for h in header]
    if not any(headers):
        raise _file_error(_("第一行应是列名。"))

    def rows() -> Iterator[Row]:
        for number, values in enumerate(source, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            yield number, {h: (values[i] if i < len(values) else None) for i, h in enumerate(headers) if h}

    return headers, rows()


def sniff(data: bytes) -> str:
    """``.xlsx`` or ``.csv`` from a file's first bytes (an upload's name may lie)."""
    return ".xlsx" if data[:4] == b"PK\x03\x04" else ".csv"

