"""Attachments: content checked for every allowed type (not just the extension), stored under a
random name, and no file left behind when the row is not committed."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from complaintdesk.complaints import services
from complaintdesk.complaints.models import Attachment
from complaintdesk.complaints.tests.factories import receive
from complaintdesk.complaints.uploads import validate_upload
from complaintdesk.core import clock
from complaintdesk.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def disk(settings, tmp_path):
    """A real, empty folder per test (what production stores into)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def ooxml(main_part: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr(main_part, '<?xml version="1.0"?><document>投诉记录</document>')
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("记录.docx", ooxml("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("明细.xlsx", ooxml("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("说明.txt", "客户来电说明：热水器坏了".encode(), "text/plain"),
        ("说明gbk.txt", "客户来电说明：热水器坏了".encode("gb18030"), "text/plain"),
        ("录音.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 16, "audio/wav"),
        ("录音.mp3", b"ID3\x04\x00" + b"\x00" * 20, "audio/mpeg"),
        ("视频.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 16, "video/mp4"),
    ],
)
def test_real_content_is_accepted(name, data, content_type, settings):
    assert validate_upload(upload(name, data)) == content_type


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("记录.docx", b"MZ\x90\x00 this is a program", "不符"),
        ("记录.docx", ooxml("xl/workbook.xml"), "不符"),  # a spreadsheet renamed .docx
        ("明细.xlsx", b"PK\x03\x04 broken zip", "不符"),
        ("宏.docx", ooxml("word/document.xml", {"word/vbaProject.bin": b"\x00" * 64}), "宏"),
        ("炸弹.xlsx", ooxml("xl/workbook.xml", {"xl/big.xml": b"0" * 5_000_000}), "不符"),
        ("说明.txt", b"hello\x00world", "NUL"),
        ("说明.txt", b"\xff\xfe\xfa\xfb\x81\x30\x81", "编码"),
        ("录音.wav", b"not a wave file at all", "不符"),
        ("视频.mp4", b"<html><script>alert(1)</script>", "不符"),
        ("page.pdf", b"<html>%PDF", "不符"),
    ],
)
def test_wrong_content_is_refused_with_a_clear_message(name, data, message):
    with pytest.raises(ValidationFailed) as err:
        validate_upload(upload(name, data))
    assert message in err.value.errors["file"][0]


def _stored_files(complaint_id: int) -> list[str]:
    folder = f"attachments/{complaint_id}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_stored_under_a_random_name_not_the_senders(org):
    c = receive(org)
    a = services.complaint_add_attachment(complaint=c, actor=org.agent, upload=upload("../../etc/passwd.txt", b"hello"))
    assert a.original_name == "passwd.txt"
    assert a.file.name.startswith(f"attachments/{c.pk}/") and "passwd" not in a.file.name
    assert a.file.name.endswith(".txt")


def test_file_is_removed_when_the_transaction_fails(org):
    c = receive(org)
    with mock.patch("complaintdesk.complaints.services.core.record", side_effect=RuntimeError("db gone")):
        with pytest.raises(RuntimeError):
            services.complaint_add_attachment(complaint=c, actor=org.agent, upload=upload("a.txt", b"hello"))
    assert Attachment.objects.filter(complaint=c).count() == 0
    assert _stored_files(c.pk) == []


def test_sweep_removes_files_left_by_a_rolled_back_caller_but_keeps_live_ones(org):
    c = receive(org)
    kept = services.complaint_add_attachment(complaint=c, actor=org.agent, upload=upload("kept.txt", b"kept"))

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.complaint_add_attachment(complaint=c, actor=org.agent, upload=upload("lost.txt", b"lost"))
        raise Abort
    assert len(_stored_files(c.pk)) == 2  # the caller's rollback left a file with no row
    assert services.attachment_orphans_remove() == 0  # too young: its upload may still be committing
    with clock.frozen(clock.now() + dt.timedelta(hours=2)):
        assert services.attachment_orphans_remove() == 1
        assert services.attachment_orphans_remove() == 0  # safe to run twice
    assert _stored_files(c.pk) == [kept.file.name.rsplit("/", 1)[1]]
    assert default_storage.open(kept.file.name).read() == b"kept"
