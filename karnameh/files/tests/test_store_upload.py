"""store_upload over the corpus: every good file kept with hash and size; every hostile one refused,
named with its problem, with nothing saved."""

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from karnameh.common.errors import DomainError
from karnameh.common.factories import UserFactory
from karnameh.files.errors import Refused
from karnameh.files.models import StoredFile
from karnameh.files.names import clean, shown_name
from karnameh.files.services import DOCUMENT_KINDS, EVIDENCE_KINDS, store_upload

from . import corpus
from .good import GOOD
from .hostile_more import BAD


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _refused(name: str, data: bytes, **kwargs) -> DomainError:
    """Store and expect a refusal; nothing may be left behind, row or file."""
    with pytest.raises(DomainError) as caught:
        store_upload(upload=_upload(name, data), actor=None, **kwargs)
    assert not StoredFile.objects.exists()
    return caught.value


def _files_on_disk(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.parametrize("case", GOOD, ids=[case.label for case in GOOD])
def test_every_good_file_is_stored_with_its_hash_and_size(db, media, case):
    # given
    data = case.make()
    user = UserFactory()
    # when
    stored = store_upload(upload=_upload(case.name, data), actor=user)
    # then
    stored.refresh_from_db()
    assert (stored.kind, stored.name, stored.size) == (case.kind, case.shown, len(data))
    assert stored.uploaded_by == user
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.file.read() == data
    on_disk = _files_on_disk(media)
    assert [path.read_bytes() for path in on_disk] == [data]
    stem = case.name.rsplit(".", 1)[0]
    assert stem not in str(on_disk[0]) and "." not in on_disk[0].name


@pytest.mark.parametrize("case", BAD, ids=[case.label for case in BAD])
def test_every_hostile_file_is_refused_naming_it_and_the_problem(db, media, case):
    # given
    upload = SimpleUploadedFile(case.name, case.make(), content_type="application/pdf")
    # when
    with pytest.raises(DomainError) as caught:
        store_upload(upload=upload, actor=None, allowed=case.allowed)
    # then: the code says which problem; the message names the file and says what it is
    error = caught.value
    assert error.code == case.code
    named = shown_name(upload.name) if case.code.startswith("name_") else clean(upload.name or "")
    assert f"«{named}»" in error.message or f'"{named}"' in error.message
    if isinstance(error.__cause__, Refused):
        assert error.__cause__.problem in error.message
    assert not StoredFile.objects.exists()
    assert _files_on_disk(media) == []


def test_the_hostile_corpus_cannot_shrink_unnoticed():
    # when
    reasons = Counter(case.reason for case in BAD)
    # then
    assert len(BAD) >= 60 and len(reasons) >= 12
    assert len({case.label for case in BAD}) == len(BAD)
    assert {case.kind for case in GOOD} == set(EVIDENCE_KINDS)


def test_a_file_on_disk_is_read_in_chunks_like_one_in_memory(db, media):
    # given: a big upload Django spooled to a temporary file
    data = corpus.pdf(pad=3 * 1024 * 1024)
    upload = TemporaryUploadedFile("بزرگ.pdf", "application/pdf", len(data), None)
    upload.write(data)
    upload.seek(0)
    # when
    stored = store_upload(upload=upload, actor=None)
    # then
    assert (stored.size, stored.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    upload.close()


def test_a_file_over_the_limit_is_refused_saying_the_limit_in_persian(db, settings):
    # given
    settings.KARNAMEH_UPLOAD_MAX_BYTES = 1024 * 1024
    data = corpus.pdf() + b"0" * (1024 * 1024)
    # when
    error = _refused("بزرگ.pdf", data)
    # then
    assert error.code == "too_large"
    assert "بزرگ.pdf" in error.message and "۱" in error.message and "1" not in error.message


def test_a_file_exactly_at_the_limit_is_accepted(db, settings):
    # given
    data = corpus.pdf()
    settings.KARNAMEH_UPLOAD_MAX_BYTES = len(data)
    # when
    stored = store_upload(upload=_upload("مرز.pdf", data), actor=None)
    # then
    assert stored.size == len(data)


def test_a_kind_not_allowed_for_the_purpose_is_refused(db):
    # when
    error = _refused("بسته.zip", corpus.zip_of({"a.txt": b"a"}), allowed=DOCUMENT_KINDS)
    # then
    assert error.code == "kind_not_allowed"
    assert "PDF" in error.message and "بسته.zip" in error.message


def test_a_name_without_extension_gets_the_one_its_content_has(db):
    # when
    stored = store_upload(upload=_upload("بخشنامه", corpus.pdf()), actor=None)
    # then
    assert stored.name == "بخشنامه.pdf"


def test_a_path_given_as_a_name_keeps_its_last_part_tidied_and_never_reaches_the_disk(db, media):
    # given: Django's UploadedFile has already cut the name at its last "/"
    raw = "../../etc/.گزارش: «نهایی»?.pdf "
    # when
    stored = store_upload(upload=_upload(raw, corpus.pdf()), actor=None)
    # then
    assert stored.name == "گزارش_ «نهایی»_.pdf"
    path = _files_on_disk(media)[0]
    assert path.relative_to(media).parts[0] == "uploads"
    assert "etc" not in str(path.relative_to(media)) and "گزارش" not in str(path)


def test_direction_marks_typed_in_a_persian_name_are_dropped_not_refused(db):
    # when
    stored = store_upload(upload=_upload("\u200fنامه\u200e ۱۲.pdf", corpus.pdf()), actor=None)
    # then
    assert stored.name == "نامه ۱۲.pdf"


def test_store_upload_outside_a_transaction_is_a_programming_error(transactional_db):
    # when / then
    with pytest.raises(RuntimeError):
        store_upload(upload=_upload("a.pdf", corpus.pdf()), actor=None)
    assert not StoredFile.objects.exists()
