"""Display names are safe to show and to save; downloads carry headers that keep them inert."""

import io
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from karnameh.files.checks import sniff
from karnameh.files.responses import content_disposition, file_response
from karnameh.files.services import display_name, store_upload

from . import corpus
from .headers import offered_name


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("گزارش عملکرد ۱۴۰۳.pdf", "pdf", "گزارش عملکرد ۱۴۰۳.pdf"),
        ("C:\\Users\\ali\\Desktop\\نامه.docx", "docx", "نامه.docx"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("invoice\u202efdp.exe", "pdf", "invoicefdp.exe"),
        ("\u2067نامه\u2069\u200f.pdf", "pdf", "نامه.pdf"),
        ("a\x00b\x1fc\x7f\x85.pdf", "pdf", "abc.pdf"),
        ("كيفيت خدمات.pdf", "pdf", "کیفیت خدمات.pdf"),
        ("می‌خواهم.pdf", "pdf", "می‌خواهم.pdf"),
        ("  .hidden.pdf  ", "pdf", "hidden.pdf"),
        ("", "jpeg", "file.jpg"),
        ("../", "zip", "file.zip"),
        ("\u202e\u202d", "png", "file.png"),
        ("a:b|c?.pdf", "pdf", "a_b_c_.pdf"),
        ("نامه.۱۴۰۳", "pdf", "نامه.۱۴۰۳.pdf"),
        ("line\nbreak\tname.pdf", "pdf", "linebreakname.pdf"),
    ],
)
def test_display_names_keep_only_what_is_safe(raw, kind, expected):
    # when / then
    assert display_name(raw, kind) == expected


def test_a_long_name_is_cut_to_150_characters_keeping_its_extension():
    # when
    name = display_name("ا" * 400 + ".xlsx", "xlsx")
    # then
    assert len(name) == 150 and name.endswith("ا.xlsx")


@pytest.fixture
def stored_pdf(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("گزارش «نهایی» ۱۴۰۳.pdf", corpus.pdf())
    return store_upload(upload=upload, actor=None)


def test_a_download_streams_the_file_with_protective_headers(stored_pdf):
    # when
    response = file_response(stored_pdf)
    # then
    assert response.streaming
    assert response.getvalue() == corpus.pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert (
        response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    )
    assert response["Content-Length"] == str(len(corpus.pdf()))
    response.close()


@pytest.mark.parametrize(
    "name",
    [
        'report "final".pdf',
        "a\r\nSet-Cookie: x=1.pdf",
        "..\\..\\etc/passwd.pdf",
        "\u202egpj.exe.pdf",
        "گزارش «نهایی» ۱۴۰۳.pdf",
        "x; filename=evil.exe.pdf",
        "100% done.pdf",
    ],
)
def test_any_name_is_offered_inert_in_ascii_and_whole_in_filename_star(name):
    # when: a name as it may be in older rows (today's are refused or tidied first)
    disposition = content_disposition("attachment", name)
    # then
    assert disposition.isascii()
    fallback, offered = offered_name(disposition)
    assert offered == name
    assert fallback.endswith(".pdf")


def test_the_persian_name_round_trips_through_filename_star(stored_pdf):
    # when
    disposition = file_response(stored_pdf)["Content-Disposition"]
    # then
    kind, fallback, star = (part.strip() for part in disposition.split(";"))
    assert kind == "attachment"
    assert fallback == 'filename="file.pdf"'
    assert star.startswith("filename*=UTF-8''")
    assert unquote(star.removeprefix("filename*=UTF-8''")) == "گزارش «نهایی» ۱۴۰۳.pdf"
    assert disposition.isascii()


def test_an_ascii_name_is_its_own_fallback_without_quotes(db, settings, tmp_path):
    # given
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile('report "final" 2024.pdf', corpus.pdf())
    stored = store_upload(upload=upload, actor=None)
    # when
    disposition = file_response(stored)["Content-Disposition"]
    # then
    assert 'filename="report _final_ 2024.pdf"' in disposition


def test_inline_is_honoured_only_for_kinds_a_browser_shows(db, settings, tmp_path, stored_pdf):
    # given
    docx = store_upload(upload=SimpleUploadedFile("نامه.docx", corpus.docx()), actor=None)
    # when
    pdf_disposition = file_response(stored_pdf, inline=True)["Content-Disposition"]
    docx_response = file_response(docx, inline=True)
    # then
    assert pdf_disposition.startswith("inline;")
    assert docx_response["Content-Disposition"].startswith("attachment;")
    assert docx_response["Content-Type"].endswith("wordprocessingml.document")


def test_sniffing_leaves_the_file_at_its_start():
    # given
    data = io.BytesIO(corpus.xlsx())
    data.seek(10)
    # when
    kind = sniff(data)
    # then
    assert (kind, data.tell()) == ("xlsx", 0)
