"""The sweep works through the storage API only, so it works on object storage too.

An S3 bucket has no folders: ``exists("uploads")`` is false there even when files are stored
under ``uploads/``. The storage below answers as S3 does on that point (a file exists, a
folder never does) over a local folder; no S3 server is faked.
"""

import io
import os
import time
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.core.management import call_command

from karnameh.accounts.models import User
from karnameh.common.factories import UserFactory
from karnameh.files.models import StoredFile

OBJECT_LIKE = f"{__name__}.FoldersDoNotExist"


class FoldersDoNotExist(FileSystemStorage):
    def exists(self, name: str) -> bool:
        return os.path.isfile(self.path(name))


def _old(path: Path) -> None:
    past = time.time() - 48 * 3600
    os.utime(path, (past, past))


def test_orphans_are_swept_where_folders_do_not_exist(db, settings, tmp_path: Path) -> None:
    # given: an orphan and a file with its row, on a storage without folders
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": OBJECT_LIKE}}
    folder = tmp_path / "uploads" / "2026" / "01"
    folder.mkdir(parents=True)
    for name in ("orphan", "kept"):
        (folder / name).write_bytes(b"%PDF-1.4")
        _old(folder / name)
    uploader: User = UserFactory()  # type: ignore[assignment]
    StoredFile.objects.create(
        file="uploads/2026/01/kept",
        name="kept.pdf",
        size=8,
        sha256="0" * 64,
        kind="pdf",
        content_type="application/pdf",
        uploaded_by=uploader,
    )
    out = io.StringIO()
    # when
    call_command("sweep_uploads", stdout=out)
    # then
    assert sorted(p.name for p in folder.iterdir()) == ["kept"]
    assert "Deleted 1 orphan file(s)." in out.getvalue()


def test_nothing_uploaded_yet_sweeps_nothing(db, settings, tmp_path: Path) -> None:
    # given: a storage whose uploads folder was never made
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    # when
    call_command("sweep_uploads", stdout=out)
    # then
    assert "Deleted 0 orphan file(s)." in out.getvalue()
