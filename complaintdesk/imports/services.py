"""Importing historical complaints from a file: column mapping, the check (dry run), the per-row
report, and the import itself.

**All or nothing per file.** The whole file is checked first (pass 1, which is also the dry run);
if any row has an error nothing is written and the report says which rows to fix. Only a clean
file is written (pass 2), in one transaction: a failure half-way (a crash, a constraint) leaves the
database as it was. Resuming is still cheap and safe, because rows whose ``external_id`` is already
stored are skipped (reported as ``skipped``), so a fixed file is simply imported again. We chose
this over per-chunk commits because a half-imported history is worse than none: figures for a
period would be silently short.

Pass 1 reads the file row by row and spools the checked rows; pass 2 reads them back chunk by chunk;
memory does not grow with the file.
"""

from __future__ import annotations

import contextlib
import json
import pickle
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from complaintdesk.complaints.services.importing import (
    FIELDS,
    IMPORT_ROLES,
    REQUIRED,
    NumberBlocks,
    already_imported,
    complaint_import_history,
    historical_complaint_check,
    import_lookups,
)
from complaintdesk.core import clock, tabular
from complaintdesk.core.errors import NotPermitted, ValidationFailed
from complaintdesk.customers.phones import InvalidPhone, normalize_phone
from complaintdesk.customers.services import known_phones
from complaintdesk.imports.models import BatchStatus, ImportBatch
from complaintdesk.imports.reading import read_rows

CHUNK = 2000
# Column headers recognised without a mapping file (the field code itself always works).
DEFAULT_MAPPING: dict[str, list[str]] = {
    "external_id": ["原编号", "外部编号", "工单号", "编号", "id"],
    "received_at": ["受理时间", "投诉时间", "来电时间", "时间"],
    "phone": ["联系电话", "电话", "手机", "手机号"],
    "customer_name": ["客户", "客户姓名", "姓名", "投诉人"],
    "salutation": ["称呼"],
    "address": ["地址/房号", "地址", "房号"],
    "channel": ["渠道", "来源", "受理渠道"],
    "subject": ["投诉事项", "标题", "主题"],
    "description": ["投诉内容", "投诉内容(客户原话)", "内容", "问题描述", "review"],
    "demand": ["客户诉求", "诉求"],
    "category": ["投诉类别", "类别", "分类"],
    "department": ["责任部门", "部门"],
    "status": ["状态"],
    "closed_at": ["结案时间", "办结时间", "关闭时间"],
    "archived_at": ["归档时间"],
    "satisfaction": ["满意度", "满意度(1-5)"],
    "closure_reason": ["结案原因"],
    "compensation_amount": ["补偿金额", "补偿金额(元)"],
}
HEADER = ["row", "external_id", "result", "field", "column", "message"]


@dataclass
class Report:
    """What a check or an import found. ``problems`` rows: [row, external id, result, field,
    column, message] with result ``error`` (blocks the file) or ``skipped`` (already imported)."""

    total: int = 0
    valid: int = 0
    errors: int = 0
    duplicates: int = 0
    imported: int = 0
    dry_run: bool = True
    problems: list[list] = field(default_factory=list)
    # Rows to import per day of receipt (for reserving complaint numbers in blocks).
    per_day: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def summary(self) -> dict:
        return {"total": self.total, "valid": self.valid, "errors": self.errors, "skipped": self.duplicates,
                "imported": self.imported, "dry_run": self.dry_run}


def load_mapping(text: str | bytes | None) -> dict[str, str]:
    """A mapping file: a JSON object, target field → source column header."""
    if not text:
        return {}
    try:
        mapping = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed({"mapping": [_("列映射不是有效的 JSON。")]})
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise ValidationFailed({"mapping": [_("列映射应是 JSON 对象：{\"目标字段\": \"文件中的列名\"}。")]})
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise ValidationFailed({"mapping": [_("列映射中有未知的目标字段：%(names)s（可用：%(fields)s）")
                                            % {"names": "、".join(unknown), "fields": ", ".join(FIELDS)}]})
    return mapping


def resolve_mapping(headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """target field → the file's column, from the explicit mapping, else the defaults."""
    present = {h.lower(): h for h in headers}
    resolved, missing_columns = {}, []
    for target in FIELDS:
        if target in mapping:
            if mapping[target].lower() not in present:
                missing_columns.append(mapping[target])
            else:
                resolved[target] = present[mapping[target].lower()]
            continue
        for candidate in [target, *DEFAULT_MAPPING.get(target, [])]:
            if candidate.lower() in present:
                resolved[target] = present[candidate.lower()]
                break
    if missing_columns:
        raise ValidationFailed({"mapping": [_("文件中没有这些列：%(names)s") % {"names": "、".join(missing_columns)}]})
    unmapped = [t for t in REQUIRED if t not in resolved]
    if unmapped:
        raise ValidationFailed({"mapping": [_("找不到必需的列：%(names)s；请在列映射中指定。") % {"names": "、".join(unmapped)}]})
    return resolved


def _chunks(rows, size: int) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _phone_or_blank(value) -> str:
    try:
        return normalize_phone(str(value)) if value not in (None, "") else ""
    except InvalidPhone:
        return ""


def _checked(path: Path, mapping: dict[str, str], report: Report) -> Iterator[list]:
    """Yield chunks of rows ready to import; every problem goes into ``report``."""
    headers, rows = read_rows(path)
    columns = resolve_mapping(headers, mapping)
    lookups = import_lookups()
    seen: set[str] = set()
    named_phones: set[str] = set()
    per_day = report.per_day
    for chunk in _chunks(rows, CHUNK):
        raws = [(number, {target: values.get(column) for target, column in columns.items()}) for number, values in chunk]
        phones = {_phone_or_blank(raw.get("phone")) for _n, raw in raws} - {""}
        known = known_phones(sorted(phones)) | named_phones
        stored = already_imported({str(raw.get("external_id") or "").strip() for _n, raw in raws} - {""})
        good = []
        for number, raw in raws:
            checked, errors = historical_complaint_check(raw, lookups=lookups, known_phones=known)
            external_id = str(raw.get("external_id") or "").strip()
            if checked and checked.external_id in seen:
                errors = {"external_id": [_("与文件中前面的行重复：%(id)s") % {"id": checked.external_id}]}
            if errors:
                report.errors += 1
                report.problems.extend([number, external_id, "error", name, columns.get(name, ""), message]
                                       for name, messages in errors.items() for message in messages)
                continue
            seen.add(checked.external_id)
            if checked.customer_name:
                named_phones.add(checked.phone)
            if checked.external_id in stored:
                report.duplicates += 1
                report.problems.append([number, external_id, "skipped", "external_id", columns["external_id"],
                                        _("已导入过（投诉编号 %(number)s），本行跳过。") % {"number": stored[external_id]}])
                continue
            good.append(checked)
            per_day[NumberBlocks.day_of(checked.received_at)] += 1
        report.total += len(raws)
        report.valid += len(good)
        yield good


def run(*, path: str | Path, mapping: dict[str, str] | None = None, actor, dry_run: bool, source: str = "") -> Report:
    """Check the file and, unless ``dry_run`` or any row has an error, import it (all or nothing)."""
    if actor.role not in IMPORT_ROLES:
        raise NotPermitted(_("只有管理员或经理可以导入历史投诉。"))
    path, mapping = Path(path), mapping or {}
    report = Report(dry_run=dry_run)
    # Pass 1 keeps the checked rows in a private spool file (pickled chunks): pass 2 writes them
    # without reading and checking the file a second time, and memory stays flat.
    with tempfile.TemporaryFile() as spool:
        for chunk in _checked(path, mapping, report):
            if chunk and not dry_run:
                pickle.dump(chunk, spool, protocol=pickle.HIGHEST_PROTOCOL)
        if dry_run or not report.ok or not report.valid:
            return report
        spool.seek(0)
        with transaction.atomic():
            numbers = NumberBlocks(report.per_day)
            while chunk := _next_chunk(spool):
                report.imported += len(complaint_import_history(rows=chunk, actor=actor, source=source or path.name,
                                                                numbers=numbers))
    return report


def _next_chunk(spool) -> list:
    try:
        return pickle.load(spool)  # our own rows, written a moment ago by this process
    except EOFError:
        return []


def report_csv(problems: list[list]) -> Iterator[bytes]:
    """The per-row report as a CSV download (UTF-8 with BOM for Excel)."""
    header = [_("行号"), _("原编号"), _("结果"), _("字段"), _("文件列名"), _("说明")]
    results = {"error": _("错误"), "skipped": _("跳过")}
    return tabular.stream_csv(header, ([r[0], r[1], results.get(r[2], r[2]), *r[3:]] for r in problems))


def batch_check(*, upload, filename: str, mapping_text: str | bytes | None, actor) -> ImportBatch:
    """Store an uploaded file and dry-run it; the page shows the report and offers to confirm."""
    if actor.role not in IMPORT_ROLES:
        raise NotPermitted(_("只有管理员或经理可以导入历史投诉。"))
    mapping = load_mapping(mapping_text)
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise ValidationFailed({"file": [_("只支持 CSV 或 Excel (.xlsx) 文件。")]})
    batch = ImportBatch(created_at=clock.now(), created_by=actor, original_name=filename[:200], mapping=mapping)
    batch.file.save(f"upload{suffix}", File(upload), save=False)
    with _local_copy(batch) as path:
        report = run(path=path, mapping=mapping, actor=actor, dry_run=True, source=filename)
    _store(batch, report, BatchStatus.CHECKED if report.ok else BatchStatus.REJECTED)
    return batch


def batch_confirm(*, batch: ImportBatch, actor) -> ImportBatch:
    """Import a checked batch (checked again on the way: the database may have changed since)."""
    if batch.status != BatchStatus.CHECKED:
        raise ValidationFailed({"batch": [_("这个批次不能再导入（状态：%(status)s）。") % {"status": batch.get_status_display()}]})
    with _local_copy(batch) as path:
        report = run(path=path, mapping=batch.mapping, actor=actor, dry_run=False, source=batch.original_name)
    _store(batch, report, BatchStatus.IMPORTED if report.ok else BatchStatus.REJECTED)
    if report.ok:
        batch.imported_at = clock.now()
        batch.save(update_fields=["imported_at"])
    return batch


@contextlib.contextmanager
def _local_copy(batch: ImportBatch) -> Iterator[Path]:
    """The stored upload as a local file (the storage may be remote or in memory)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"batch{Path(batch.file.name).suffix}"
        with batch.file.open("rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target)
        yield path


def _store(batch: ImportBatch, report: Report, status: str) -> None:
    batch.status = status
    batch.total_rows, batch.valid_rows, batch.error_rows = report.total, report.valid, report.errors
    batch.duplicate_rows, batch.imported_rows, batch.problems = report.duplicates, report.imported, report.problems
    batch.save()

