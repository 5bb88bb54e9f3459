"""Attachments are served only to readers of the complaint, with headers that keep them inert;
there is no public media URL."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaintdesk.complaints import services
from complaintdesk.complaints.choices import Status
from complaintdesk.complaints.tests.factories import make

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture
def files(org, pinned_clock):
    c = make(org, Status.HANDLING)
    image = services.complaint_add_attachment(complaint=c, actor=org.handler, upload=SimpleUploadedFile("现场.png", PNG))
    text = services.complaint_add_attachment(
        complaint=c, actor=org.handler, upload=SimpleUploadedFile("说明.txt", b"<script>alert(1)</script>")
    )
    return c, image, text


def test_reader_downloads_with_safe_headers(client, org, files):
    c, image, text = files
    client.force_login(org.handler)
    response = client.get(reverse("web:attachment", args=[c.pk, text.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"] and "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    shown = client.get(reverse("web:attachment", args=[c.pk, image.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline;")
    assert shown["X-Content-Type-Options"] == "nosniff"


def test_complaint_page_links_to_the_checked_view(client, org, files):
    c, image, _text = files
    client.force_login(org.handler)
    html = client.get(reverse("web:complaint", args=[c.pk])).content.decode()
    assert reverse("web:attachment", args=[c.pk, image.pk]) in html
    assert image.file.name not in html


def test_other_department_anonymous_and_wrong_complaint_are_refused(client, org, files):
    c, image, _text = files
    url = reverse("web:attachment", args=[c.pk, image.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    client.force_login(org.other_handler)
    assert client.get(url).status_code == 404
    other = make(org, Status.RECEIVED, phone="13900001111")
    client.force_login(org.agent)
    assert client.get(reverse("web:attachment", args=[other.pk, image.pk])).status_code == 404


def test_no_public_media_route(client, org, files, settings):
    _c, image, _text = files
    assert client.get(f"/media/{image.file.name}").status_code == 404
    settings.DEBUG = True
    assert client.get(f"/media/{image.file.name}").status_code == 404
