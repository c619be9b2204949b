"""The kinds of file accepted anywhere in the system, and what a name's extension claims."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy


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
