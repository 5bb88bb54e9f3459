"""Streaming table writers: CSV and XLSX produced chunk by chunk, in flat memory.

Both take a header and an iterator of rows (sequences of ``str``, ``int``, ``float``,
``Decimal`` or ``None``) and yield ``bytes``; nothing is held but the current chunk, so the first
byte leaves at once and 100,000 rows cost what one chunk costs.

Why our own XLSX writer instead of openpyxl's or XlsxWriter's write-only/constant-memory modes:
both of those write the whole workbook to a file and can only hand it over once it is complete
(an .xlsx is a zip archive whose directory comes last), so the first byte of a 100,000-row export
would wait for the last row (several seconds). An .xlsx sheet is plain XML, and the standard
library's ``zipfile`` can write a zip to a non-seekable stream (sizes go into data descriptors
after each member), so the sheet is deflated and sent while the rows are still being read. The
package holds the five parts Excel needs; strings are inline (no shared-string table, which would
need every string in memory before the sheet is written).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

Cell = str | int | float | Decimal | None
UTF8_BOM = "\ufeff"
# A cell that starts like a formula is run by spreadsheet programs when a CSV is opened (CSV
# injection); a leading apostrophe makes it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 forbids; they would make Excel refuse the whole file.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FLUSH_BYTES = 64 * 1024


class _Sink:
    """A write-only file object whose content the generator takes out between rows."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.position = 0

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.size += len(data)
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        # zipfile asks for the offset of each member; a non-seekable stream still knows that.
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_text(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def stream_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, batch: int = 500) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark (so Excel reads Chinese), CRLF line ends, one chunk per ``batch`` rows."""
    writer = csv.writer(_Echo())
    yield (UTF8_BOM + writer.writerow(header)).encode("utf-8")
    lines: list[str] = []
    for row in rows:
        lines.append(writer.writerow([_csv_text(value) for value in row]))
        if len(lines) >= batch:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8")


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def _cell(ref: str, value: Cell, style: int = 0) -> str:
    style_attr = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"{style_attr}><v>{value}</v></c>'
    text = escape(XML_ILLEGAL.sub("", str(value)))
    return f'<c r="{ref}" t="inlineStr"{style_attr}><is><t xml:space="preserve">{text}</t></is></c>'


def _row(number: int, values: Sequence[Cell], columns: list[str], style: int = 0) -> str:
    cells = "".join(_cell(f"{columns[i]}{number}", value, style) for i, value in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
# Style 1 = bold (the header row).
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _workbook(sheet_name: str) -> str:
    name = escape(SHEET_NAME_FORBIDDEN.sub(" ", sheet_name)[:31] or "Sheet1", {'"': "&quot;"})
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _sheet_start(widths: Sequence[int]) -> str:
    cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/></sheetView></sheetViews>'
        f"{'<cols>' + cols + '</cols>' if cols else ''}<sheetData>"
    )


def stream_xlsx(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    sheet_name: str = "Sheet1",
    widths: Sequence[int] = (),
) -> Iterator[bytes]:
    """One worksheet, bold frozen header row; yields the zip as it is written (≈64 KB chunks)."""
    sink = _Sink()
    columns = [_column(i) for i in range(len(header))]
    created = dt.datetime.now().timetuple()[:6]

    def member(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=created)
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member("[Content_Types].xml"), CONTENT_TYPES)
        archive.writestr(member("_rels/.rels"), ROOT_RELS)
        archive.writestr(member("xl/workbook.xml"), _workbook(sheet_name))
        archive.writestr(member("xl/_rels/workbook.xml.rels"), WORKBOOK_RELS)
        archive.writestr(member("xl/styles.xml"), STYLES)
        yield sink.take()
        # force_zip64: the sheet's size is unknown while it streams; without it zipfile refuses
        # to go past 2 GiB, and readers (Excel, openpyxl, LibreOffice) all accept Zip64.
        with archive.open(member("xl/worksheets/sheet1.xml"), "w", force_zip64=True) as sheet:
            sheet.write((_sheet_start(widths) + _row(1, header, columns, style=1)).encode("utf-8"))
            for number, values in enumerate(rows, start=2):
                sheet.write(_row(number, values, columns).encode("utf-8"))
                if sink.size >= FLUSH_BYTES:
                    yield sink.take()
            sheet.write(b"</sheetData></worksheet>")
    yield sink.take()
