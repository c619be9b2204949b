"""Every file a person uploads (evidence, circulars, minutes, workshop materials, letters).

The stored name is ours (a random name under the upload date), never the uploader's; the name
they gave is kept only to show and to offer on download. Owners (an evidence row, a cycle's
circular, an approval's minutes) point here and decide who may download.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def stored_path(_instance: "StoredFile", _filename: str) -> str:
    # The uploader's file name never reaches the disk: it may hold "../", control characters
    # or a right-to-left override.
    return f"uploads/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class StoredFile(models.Model):
    file = models.FileField(_("file"), upload_to=stored_path, max_length=200)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    # What the content turned out to be (e.g. "pdf", "docx"), and its media type.
    kind = models.CharField(_("file type"), max_length=20)
    content_type = models.CharField(_("content type"), max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.name
