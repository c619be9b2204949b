"""Files left on disk by rolled-back uploads are swept; files with a row are kept."""

import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from karnameh.files.models import StoredFile
from karnameh.files.services import store_upload

from . import corpus


class _Rollback(Exception):
    pass


def _age(path, hours: int) -> None:
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


@pytest.mark.django_db(transaction=True)
def test_an_upload_rolled_back_leaves_an_orphan_that_the_sweep_removes(settings, tmp_path):
    # given: one upload kept, one whose transaction rolled back
    settings.MEDIA_ROOT = tmp_path
    with transaction.atomic():
        kept = store_upload(upload=SimpleUploadedFile("ماند.pdf", corpus.pdf()), actor=None)
    with pytest.raises(_Rollback), transaction.atomic():
        store_upload(upload=SimpleUploadedFile("رفت.pdf", corpus.pdf()), actor=None)
        raise _Rollback
    files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    for path in files:
        _age(path, 25)
    out = io.StringIO()
    # when
    call_command("sweep_uploads", stdout=out)
    # then
    left = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert [str(p.relative_to(tmp_path)) for p in left] == [kept.file.name]
    assert StoredFile.objects.count() == 1
    assert "Deleted 1 orphan file(s)." in out.getvalue()


def test_a_recent_orphan_is_left_alone_and_dry_run_deletes_nothing(db, settings, tmp_path):
    # given: an orphan younger than the cut-off, and an old one
    settings.MEDIA_ROOT = tmp_path
    folder = tmp_path / "uploads" / "2026" / "01"
    folder.mkdir(parents=True)
    (folder / "young").write_bytes(b"x")
    (folder / "old").write_bytes(b"x")
    _age(folder / "old", 48)
    out = io.StringIO()
    # when
    call_command("sweep_uploads", "--dry-run", stdout=out)
    # then
    assert "uploads/2026/01/old" in out.getvalue()
    assert "young" not in out.getvalue()
    assert (folder / "old").exists() and (folder / "young").exists()
