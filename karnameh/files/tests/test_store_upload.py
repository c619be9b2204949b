"""store_upload: each allowed kind kept with hash and size; the rest refused, nothing saved."""

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from karnameh.common.errors import DomainError
from karnameh.common.factories import UserFactory
from karnameh.files.models import StoredFile
from karnameh.files.services import DOCUMENT_KINDS, store_upload

from . import corpus

_OOXML = "application/vnd.openxmlformats-officedocument"


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


ACCEPTED: list[tuple[str, Callable[[], bytes], str]] = [
    ("گزارش عملکرد ۱۴۰۳.pdf", corpus.pdf, "pdf"),
    ("نمودار.png", corpus.png, "png"),
    ("عکس جلسه.JPG", corpus.jpeg, "jpeg"),
    ("نشان.gif", corpus.gif, "gif"),
    ("تصویر.webp", corpus.webp, "webp"),
    ("صورتجلسه.docx", corpus.docx, "docx"),
    ("جدول اطلاعاتی.xlsx", corpus.xlsx, "xlsx"),
    ("کارگاه.pptx", corpus.pptx, "pptx"),
    ("نامه.doc", lambda: corpus.ole("WordDocument", "\x05SummaryInformation"), "doc"),
    ("آمار.xls", lambda: corpus.ole("Workbook"), "xls"),
    ("ارائه.ppt", lambda: corpus.ole("PowerPoint Document", "Current User"), "ppt"),
    ("متن.odt", lambda: corpus.odf("application/vnd.oasis.opendocument.text"), "odt"),
    ("جدول.ods", lambda: corpus.odf("application/vnd.oasis.opendocument.spreadsheet"), "ods"),
    ("مستندات.zip", lambda: corpus.zip_of({"الف.txt": b"1", "ب/ج.pdf": corpus.pdf()}), "zip"),
]


@pytest.mark.parametrize(("name", "make", "kind"), ACCEPTED, ids=[a[2] for a in ACCEPTED])
def test_every_allowed_kind_is_stored_with_its_hash_and_size(db, media, name, make, kind):
    # given
    data = make()
    user = UserFactory()
    # when
    stored = store_upload(upload=_upload(name, data), actor=user)
    # then
    stored.refresh_from_db()
    assert (stored.kind, stored.name, stored.size) == (kind, name, len(data))
    assert stored.uploaded_by == user
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.file.read() == data
    on_disk = _files_on_disk(media)
    assert [path.read_bytes() for path in on_disk] == [data]
    stem = name.rsplit(".", 1)[0]
    assert stem not in str(on_disk[0]) and "." not in on_disk[0].name


def test_a_file_on_disk_is_read_in_chunks_like_one_in_memory(db, media):
    # given: a big upload Django spooled to a temporary file
    data = corpus.pdf() + b"%" + b"x" * (3 * 1024 * 1024) + b"\n"
    upload = TemporaryUploadedFile("بزرگ.pdf", "application/pdf", len(data), None)
    upload.write(data)
    upload.seek(0)
    # when
    stored = store_upload(upload=upload, actor=None)
    # then
    assert (stored.size, stored.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    upload.close()


def test_an_empty_file_is_refused(db):
    # when
    error = _refused("خالی.pdf", b"")
    # then
    assert error.code == "empty"
    assert "خالی.pdf" in error.message


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


REFUSED = [
    ("exe renamed .pdf", "نامه.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "dangerous"),
    ("ELF", "برنامه.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "dangerous"),
    ("Mach-O", "برنامه", b"\xcf\xfa\xed\xfe" + b"\x00" * 100, "dangerous"),
    ("shell script", "run.pdf", b"#!/bin/sh\nrm -rf /\n", "dangerous"),
    (
        "HTML named .pdf",
        "report.pdf",
        b"\n\n<!DOCTYPE html><html><body>hi</body></html>",
        "dangerous",
    ),
    ("HTML fragment", "x.pdf", b"<div>x</div><script>alert(1)</script>", "dangerous"),
    (
        "SVG with script",
        "logo.png",
        b'\xef\xbb\xbf<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "dangerous",
    ),
    ("XML", "data.xlsx", b'<?xml version="1.0"?><a/>', "dangerous"),
    ("plain text", "notes.txt", "یادداشت".encode(), "unknown_type"),
    ("random bytes", "data.bin", bytes(range(256)), "unknown_type"),
    ("broken zip", "a.zip", b"PK\x03\x04" + b"\x00" * 40, "zip_damaged"),
    (
        "macro Word (docm)",
        "a.docx",
        corpus.docx(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"),
        "macros",
    ),
    ("vbaProject inside", "a.docx", corpus.docx(extra={"word/vbaProject.bin": b"\x00"}), "macros"),
    (
        "Word template",
        "a.docx",
        corpus.docx(main_type=f"{_OOXML}.wordprocessingml.template.main+xml"),
        "office_unexpected",
    ),
    (
        "ODF with macros",
        "a.odt",
        corpus.odf(
            "application/vnd.oasis.opendocument.text", extra={"Basic/Standard/Module1.xml": b"x"}
        ),
        "macros",
    ),
    (
        "ODF presentation",
        "a.odt",
        corpus.odf("application/vnd.oasis.opendocument.presentation"),
        "office_unexpected",
    ),
    ("Word 97 with macros", "a.doc", corpus.ole("WordDocument", "Macros"), "macros"),
    ("Excel 97 with VBA", "a.xls", corpus.ole("Workbook", "_VBA_PROJECT_CUR"), "macros"),
    (
        "password-protected docx",
        "a.docx",
        corpus.ole("EncryptionInfo", "EncryptedPackage"),
        "office_encrypted",
    ),
    ("installer (msi)", "setup.doc", corpus.ole("\u4840\u3f3f\u4577"), "dangerous"),
    ("damaged OLE", "a.doc", corpus.ole("WordDocument")[:520], "office_damaged"),
]


@pytest.mark.parametrize(
    ("name", "data", "code"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_dangerous_unknown_or_damaged_content_is_refused_whatever_its_name(
    db, media, name, data, code
):
    # when
    error = _refused(name, data)
    # then
    assert error.code == code
    assert name in error.message
    assert _files_on_disk(media) == []


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("گزارش.docx", corpus.pdf),
        ("تصویر.pdf", corpus.png),
        ("جدول.docx", corpus.xlsx),
        ("بسته.docx", lambda: corpus.zip_of({"a.txt": b"a"})),
    ],
    ids=["pdf named docx", "png named pdf", "xlsx named docx", "plain zip named docx"],
)
def test_a_name_that_disagrees_with_the_content_is_refused(db, name, make):
    # when
    error = _refused(name, make())
    # then
    assert error.code == "extension_mismatch"
    assert name in error.message


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


def test_a_hostile_name_is_cleaned_and_never_reaches_the_disk(db, media):
    # given
    raw = "../../etc/\u202egpj.exe\x00\x07.pdf"
    # when
    stored = store_upload(upload=_upload(raw, corpus.pdf()), actor=None)
    # then
    assert stored.name == "gpj.exe.pdf"
    path = _files_on_disk(media)[0]
    assert path.relative_to(media).parts[0] == "uploads"
    assert "gpj" not in str(path) and "etc" not in str(path.relative_to(media))


def test_store_upload_outside_a_transaction_is_a_programming_error(transactional_db):
    # when / then
    with pytest.raises(RuntimeError):
        store_upload(upload=_upload("a.pdf", corpus.pdf()), actor=None)
    assert not StoredFile.objects.exists()
