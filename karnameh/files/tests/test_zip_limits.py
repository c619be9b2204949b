"""ZIP archives are checked before anything in them is believed."""

import io
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from karnameh.common.errors import DomainError
from karnameh.files.checks import Refused, ZipLimits, sniff
from karnameh.files.models import StoredFile
from karnameh.files.services import store_upload

from . import corpus


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _refused_code(data: bytes, **limits: int) -> str:
    with pytest.raises(Refused) as caught:
        sniff(io.BytesIO(data), limits=ZipLimits(**limits))
    return caught.value.code


def test_a_zip_bomb_is_refused_by_its_compression_ratio_without_unpacking_it():
    # given: 50 MB of zeros, about 50 KB compressed
    bomb = corpus.zip_bomb(50 * 1024 * 1024)
    started = time.monotonic()
    # when
    code = _refused_code(bomb, max_uncompressed=10**12)
    # then
    assert code == "zip_bomb"
    assert time.monotonic() - started < 0.5


def test_an_archive_that_opens_too_big_is_refused(db, settings):
    # given: 3 MB that does not compress (no zip bomb), a 2 MB limit
    settings.KARNAMEH_ZIP_MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024
    data = corpus.zip_of({f"{n}.txt": os.urandom(1024 * 1024) for n in range(3)})
    # when
    with pytest.raises(DomainError) as caught:
        store_upload(upload=SimpleUploadedFile("بسته.zip", data), actor=None)
    # then
    assert caught.value.code == "zip_too_big"
    assert not StoredFile.objects.exists()


def test_an_archive_with_too_many_entries_is_refused(db, settings):
    # given
    settings.KARNAMEH_ZIP_MAX_ENTRIES = 10
    data = corpus.zip_of({f"{n}.txt": b"x" for n in range(11)})
    # when
    with pytest.raises(DomainError) as caught:
        store_upload(upload=SimpleUploadedFile("بسته.zip", data), actor=None)
    # then
    assert caught.value.code == "zip_entries"
    assert "۱۰" in caught.value.message
    assert not StoredFile.objects.exists()


def test_the_default_entry_limit_is_a_thousand():
    # given
    data = corpus.zip_of({f"{n}.txt": b"" for n in range(1001)})
    # when / then
    assert _refused_code(data) == "zip_entries"
    assert sniff(io.BytesIO(corpus.zip_of({f"{n}.txt": b"" for n in range(1000)}))) == "zip"


@pytest.mark.parametrize(
    "entry",
    ["../evil.txt", "a/../../evil.txt", "..\\evil.txt", "/etc/passwd", "\\windows\\x", "C:/x"],
)
def test_entries_named_outside_the_archive_are_refused(entry):
    # when / then
    assert _refused_code(corpus.zip_of({"ok.txt": b"ok", entry: b"x"})) == "zip_path"


def test_an_encrypted_entry_is_refused():
    # given: the encryption flag set on the entry
    data = corpus.patched_zip(
        corpus.zip_of({"secret.txt": b"x"}), central_offset=8, value=b"\x01\x00"
    )
    # when / then
    assert _refused_code(data) == "zip_encrypted"


def test_an_entry_that_lies_about_its_size_is_refused_as_damaged():
    # given: 1000 bytes stored, 10 declared
    data = corpus.patched_zip(
        corpus.zip_of({"a.txt": bytes(range(250)) * 4}),
        central_offset=24,
        value=b"\x0a\x00\x00\x00",
    )
    # when / then
    assert _refused_code(data) == "zip_damaged"


def test_small_highly_compressible_parts_are_not_taken_for_a_bomb():
    # given: 512 KB of zeros, ratio far over 100 but harmless
    data = corpus.zip_of({"blank.xml": b"\x00" * (512 * 1024)})
    # when / then
    assert sniff(io.BytesIO(data)) == "zip"


def test_an_unknown_compression_method_is_refused():
    # given: method 99 (AES in WinZip) in the central directory
    data = corpus.zip_of({"a.txt": b"abc"}, stored_first="a.txt")
    data = corpus.patched_zip(data, central_offset=10, value=b"\x63\x00")
    # when / then
    assert _refused_code(data) == "zip_damaged"


def test_an_office_descriptor_too_big_to_be_real_is_not_read_into_memory():
    # given: a 2 MB [Content_Types].xml (random, so it is no zip bomb)
    data = corpus.zip_of({"[Content_Types].xml": os.urandom(2 * 1024 * 1024), "x": b"x"})
    # when / then
    assert _refused_code(data) == "office_unexpected"
