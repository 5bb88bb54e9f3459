"""What an attachment may be: extension, size and *content* are checked before anything is stored.

The extension only names a claim; the bytes must back it: magic numbers for images, PDF and audio
and video; a real OOXML package (a zip with ``[Content_Types].xml`` and the main part, no macros,
no encryption, no zip bomb) for .docx/.xlsx; valid UTF-8 or GB18030 without NUL bytes for text.
"""

from __future__ import annotations

import os
import zipfile

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from complaintdesk.core.errors import ValidationFailed

_MAGIC = {
    "image/jpeg": [b"\xff\xd8\xff"],
    "image/png": [b"\x89PNG\r\n\x1a\n"],
    "image/gif": [b"GIF87a", b"GIF89a"],
    "application/pdf": [b"%PDF-"],
    "audio/mpeg": [b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2", b"\xff\xe3"],
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The part a real document of each kind must contain (ECMA-376 default names).
_OOXML_MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}
_OOXML_MAX_ENTRIES = 2000
_OOXML_MAX_RATIO = 100  # uncompressed / compressed: more looks like a zip bomb
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif"})


def _mismatch() -> ValidationFailed:
    return ValidationFailed({"file": [_("文件内容与扩展名不符。")]})


def _read_all(upload: UploadedFile) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _check_magic(upload: UploadedFile, content_type: str) -> None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if content_type in _MAGIC:
        ok = any(head.startswith(sig) for sig in _MAGIC[content_type])
    elif content_type == "audio/wav":
        ok = head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    elif content_type in {"audio/mp4", "video/mp4"}:
        ok = head[4:8] == b"ftyp"
    else:
        return
    if not ok:
        raise _mismatch()


def _check_ooxml(upload: UploadedFile, content_type: str) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            entries = package.infolist()
            names = {info.filename for info in entries}
            if len(entries) > _OOXML_MAX_ENTRIES:
                raise _mismatch()
            if "[Content_Types].xml" not in names or _OOXML_MAIN_PART[content_type] not in names:
                raise _mismatch()
            if any(info.flag_bits & 0x1 for info in entries):
                raise ValidationFailed({"file": [_("不接受加密的文档。")]})
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise ValidationFailed({"file": [_("不接受含宏的文档。")]})
            unpacked = sum(info.file_size for info in entries)
            packed = max(1, sum(info.compress_size for info in entries))
            if unpacked > _OOXML_MAX_RATIO * packed or unpacked > 20 * settings.ATTACHMENT_MAX_BYTES:
                raise _mismatch()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _mismatch()
    finally:
        upload.seek(0)


def _check_text(upload: UploadedFile) -> None:
    data = _read_all(upload)
    if b"\x00" in data:
        raise ValidationFailed({"file": [_("文本文件含有非法字符（NUL），可能不是文本。")]})
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return
        except UnicodeDecodeError:
            continue
    raise ValidationFailed({"file": [_("文本文件必须是 UTF-8 或 GB18030 编码。")]})


def validate_upload(upload: UploadedFile) -> str:
    """Size, type and content are checked before anything is stored; returns the content type."""
    name = os.path.basename(upload.name or "")
    ext = os.path.splitext(name)[1].lower()
    allowed = settings.ATTACHMENT_ALLOWED_TYPES
    if ext not in allowed:
        raise ValidationFailed(
            {"file": [_("不支持的文件类型：%(ext)s。允许：%(allowed)s") % {"ext": ext or "?", "allowed": " ".join(allowed)}]}
        )
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationFailed(
            {"file": [_("文件过大（%(size).1f MB），单个附件不能超过 %(limit)d MB。") % {"size": (upload.size or 0) / 1048576, "limit": limit // 1048576}]}
        )
    if upload.size == 0:
        raise ValidationFailed({"file": [_("文件为空。")]})
    content_type = allowed[ext]
    if content_type in _OOXML_MAIN_PART:
        _check_ooxml(upload, content_type)
    elif content_type == "text/plain":
        _check_text(upload)
    else:
        _check_magic(upload, content_type)
    return content_type
