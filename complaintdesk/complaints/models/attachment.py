from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random stored name: the sender's file name (kept in ``original_name``) never becomes a
    path, cannot overwrite another file, and the URL cannot be guessed."""
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"attachments/{instance.complaint_id}/{uuid.uuid4().hex}{ext}"


class Attachment(models.Model):
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="attachments", verbose_name=_("投诉")
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=120)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name
