"""What an uploaded file really is, told from its bytes and structure, never from its name.

Pure functions over a seekable binary file: ``sniff`` answers one of the kinds in ``KINDS`` or
raises ``Refused`` with a translated phrase saying what was found and why it is refused. The
caller (``services.store_upload``) puts the file's name in front of it.

Executables, scripts and markup (HTML, SVG, XML) are named as dangerous on purpose: a person who
renamed one to ``.pdf`` should learn why it was refused, and a browser must never be handed one
from our origin.
"""

import re
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .containers import ZipLimits, inspect_ole, inspect_zip
from .errors import Refused

__all__ = ["KINDS", "Kind", "Refused", "ZipLimits", "extension_fits", "sniff", "split_extension"]


@dataclass(frozen=True)
class Kind:
    name: str
    content_type: str
    # The first is the one added to a name that has none.
    extensions: tuple[str, ...]
    label: Promise

    @property
    def extension(self) -> str:
        return self.extensions[0]


_OOXML = "application/vnd.openxmlformats-officedocument"
_ODF = "application/vnd.oasis.opendocument"

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("pdf", "application/pdf", ("pdf",), gettext_lazy("a PDF document")),
        Kind("png", "image/png", ("png",), gettext_lazy("a PNG image")),
        Kind("jpeg", "image/jpeg", ("jpg", "jpeg", "jpe", "jfif"), gettext_lazy("a JPEG image")),
        Kind("gif", "image/gif", ("gif",), gettext_lazy("a GIF image")),
        Kind("webp", "image/webp", ("webp",), gettext_lazy("a WebP image")),
        Kind(
            "docx",
            f"{_OOXML}.wordprocessingml.document",
            ("docx",),
            gettext_lazy("a Word document (DOCX)"),
        ),
        Kind(
            "xlsx", f"{_OOXML}.spreadsheetml.sheet", ("xlsx",), gettext_lazy("an Excel file (XLSX)")
        ),
        Kind(
            "pptx",
            f"{_OOXML}.presentationml.presentation",
            ("pptx",),
            gettext_lazy("a PowerPoint file (PPTX)"),
        ),
        Kind("doc", "application/msword", ("doc",), gettext_lazy("an old Word document (DOC)")),
        Kind("xls", "application/vnd.ms-excel", ("xls",), gettext_lazy("an old Excel file (XLS)")),
        Kind(
            "ppt",
            "application/vnd.ms-powerpoint",
            ("ppt",),
            gettext_lazy("an old PowerPoint file (PPT)"),
        ),
        Kind("odt", f"{_ODF}.text", ("odt",), gettext_lazy("an OpenDocument text (ODT)")),
        Kind(
            "ods",
            f"{_ODF}.spreadsheet",
            ("ods",),
            gettext_lazy("an OpenDocument spreadsheet (ODS)"),
        ),
        Kind("zip", "application/zip", ("zip",), gettext_lazy("a ZIP archive")),
    )
}

# Enough to see every signature below, and markup after a byte-order mark and blank lines.
_HEAD_BYTES = 1024

_MACH_O = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # universal binary (and Java class files: refused alike)
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<meta")
_XML_STARTS = (b"<?xml", b"<svg", b"<!doctype svg")
# A name's last dotted part is taken as an extension only when it looks like one: "1403" in
# «گزارش.۱۴۰۳» or "final draft" is part of the name, not a claim about the content.
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,5}")


def split_extension(name: str) -> tuple[str, str]:
    """``("report", "pdf")`` for ``report.pdf``; the extension is ``""`` when there is none."""
    stem, dot, ext = name.rpartition(".")
    if dot and stem and _EXTENSION.fullmatch(ext):
        return stem, ext
    return name, ""


def extension_fits(ext: str, kind: str) -> bool:
    """No extension fits anything (ours is added); otherwise it must be one of the kind's."""
    return not ext or ext.lower() in KINDS[kind].extensions


def sniff(f: BinaryIO, *, limits: ZipLimits | None = None) -> str:
    """The kind of the content, or ``Refused``. Reads from the start; leaves the position at 0."""
    f.seek(0)
    head = f.read(_HEAD_BYTES)
    f.seek(0)
    try:
        return _sniff(f, head, limits or ZipLimits.from_settings())
    finally:
        f.seek(0)


def _sniff(f: BinaryIO, head: bytes, limits: ZipLimits) -> str:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return inspect_ole(f)
    if head.startswith(b"PK\x03\x04"):
        return inspect_zip(f, limits)
    _refuse_dangerous(head)
    raise Refused(_("this type of file is not accepted."), code="unknown_type")


def _refuse_dangerous(head: bytes) -> None:
    """Name what a dangerous file is, so the person knows why it was refused."""
    if head.startswith(b"MZ"):
        raise Refused(_("it is a Windows program (executable)."), code="dangerous")
    if head.startswith(b"\x7fELF"):
        raise Refused(_("it is a Linux program (ELF executable)."), code="dangerous")
    if head.startswith(_MACH_O):
        raise Refused(_("it is a macOS program (executable)."), code="dangerous")
    if head.startswith(b"#!"):
        raise Refused(_("it is a script (a program in text)."), code="dangerous")
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if text.startswith(_XML_STARTS):
        raise Refused(_("it is an SVG or XML file, which may carry scripts."), code="dangerous")
    if text.startswith(_HTML_STARTS) or b"<script" in text or b"<html" in text:
        raise Refused(_("it is a web page (HTML), which may carry scripts."), code="dangerous")
