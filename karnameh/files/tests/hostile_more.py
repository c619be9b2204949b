"""The rest of the hostile corpus: hostile names, damaged files, macros, kinds we do not take.

``BAD`` is the whole hostile corpus, this module's cases and those in ``hostile``.
"""

import gzip
import io
import tarfile
from collections.abc import Callable

from karnameh.files.services import DOCUMENT_KINDS

from . import corpus as c
from .hostile import (
    ARCHIVE_CONTENT,
    LIMITS,
    MARKUP,
    PDF_ACTIVE,
    POLYGLOTS,
    PROGRAMS,
    XML_ENTITIES,
    Bad,
    _bad,
)

# The content is a sound PDF: only the name is wrong.
_NAMES: dict[str, tuple[str | None, str]] = {
    "backslash path climbing out": ("..\\..\\Windows\\report.pdf", "name_path"),
    "Windows absolute path": ("C:\\Users\\ali\\Desktop\\report.pdf", "name_path"),
    "network share path": ("\\\\server\\share\\report.pdf", "name_path"),
    "right-to-left override disguising .exe": ("invoice\u202efdp.exe", "name_bidi"),
    "right-to-left override before the extension": ("report\u202e.pdf", "name_bidi"),
    "right-to-left embedding": ("\u202bگزارش.pdf", "name_bidi"),
    "left-to-right override": ("\u202dreport.pdf", "name_bidi"),
    "direction isolates": ("\u2067نامه\u2069.pdf", "name_bidi"),
    "NUL byte": ("report.pdf\x00.exe", "name_control"),
    "line break": ("report\n.pdf", "name_control"),
    "terminal escape": ("report\x1b[31m.pdf", "name_control"),
    "delete character": ("report\x7f.pdf", "name_control"),
    "C1 control (NEL)": ("report\x85.pdf", "name_control"),
    "Windows device name CON": ("CON", "name_reserved"),
    "Windows device name NUL.pdf": ("NUL.pdf", "name_reserved"),
    "Windows device name com1 before a space": ("com1 .pdf", "name_reserved"),
    "Windows device name LPT9 with two extensions": ("LPT9.tar.pdf", "name_reserved"),
    "151 Persian letters": ("گ" * 147 + ".pdf", "name_too_long"),
    "304 characters (Django cuts to 255)": ("r" * 300 + ".pdf", "name_too_long"),
    "only spaces": ("   ", "name_empty"),
    "only dots": ("...", "name_empty"),
    "no-break space and zero-width space": ("\u00a0\u200b", "name_empty"),
    "no name at all": (None, "name_empty"),
}
NAMES = [Bad("hostile name", label, name, c.pdf, code) for label, (name, code) in _NAMES.items()]

_OLE_DAMAGED = {
    "DOC cut short (sector table past the end)": (
        "نامه.doc",
        lambda: c.ole("WordDocument", data_sectors=2)[:-512],
    ),
    "XLS cut inside its directory": ("آمار.xls", lambda: c.ole("Workbook")[:1200]),
    "PPT cut short": ("ارائه.ppt", lambda: c.ole("PowerPoint Document", data_sectors=1)[:-512]),
}


def _half(make: Callable[[], bytes]) -> Callable[[], bytes]:
    return lambda: make()[: len(make()) // 2]


def _bad_checksum(data: bytes, chunk: bytes) -> bytes:
    """One byte of the chunk's data changed, its checksum left as it was."""
    at = data.index(chunk) + len(chunk)
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def _tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo("report.pdf")
        data = c.pdf()
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


DAMAGED = [
    *_bad(
        "damaged",
        "damaged",
        {
            "PDF cut in half": ("گزارش.pdf", _half(c.pdf)),
            "PDF header only": ("گزارش.pdf", lambda: b"%PDF-1.7\n"),
            "PNG cut short": ("نمودار.png", lambda: c.png()[:30]),
            "PNG with a wrong checksum": (
                "نمودار.png",
                lambda: _bad_checksum(c.png(), b"IDAT"),
            ),
            "PNG without its end chunk": ("نمودار.png", lambda: c.png()[:-12]),
            "JPEG without its end marker": ("عکس.jpg", lambda: c.jpeg()[:-2]),
            "JPEG with a segment longer than the file": (
                "عکس.jpg",
                lambda: c.jpeg().replace(b"\xff\xdb\x00\x43", b"\xff\xdb\xff\xff", 1),
            ),
            "GIF cut short": ("نشان.gif", lambda: c.gif()[:-5]),
            "WebP cut short": ("تصویر.webp", lambda: c.webp()[:-4]),
        },
    ),
    *_bad(
        "damaged",
        "zip_damaged",
        {
            "DOCX cut in half": ("نامه.docx", _half(c.docx)),
            "XLSX cut in half": ("جدول.xlsx", _half(c.xlsx)),
            "PPTX cut in half": ("ارائه.pptx", _half(c.pptx)),
            "ODT cut in half": (
                "متن.odt",
                _half(lambda: c.odf("application/vnd.oasis.opendocument.text")),
            ),
            "ODS cut in half": (
                "جدول.ods",
                _half(lambda: c.odf("application/vnd.oasis.opendocument.spreadsheet")),
            ),
            "ZIP cut in half": ("بسته.zip", _half(lambda: c.zip_of({"a.pdf": c.pdf()}))),
            "ZIP with a wrong checksum": (
                "بسته.zip",
                lambda: c.patched_zip(
                    c.zip_of({"a.txt": b"abc"}), central_offset=16, value=bytes(4)
                ),
            ),
            "ZIP entry whose name is a NUL": (
                "بسته.zip",
                lambda: c.patched_zip(c.zip_of({"a": b"x"}), central_offset=46, value=b"\x00"),
            ),
            "ZIP needing version 9.9 to open": (
                "بسته.zip",
                lambda: c.patched_zip(
                    c.zip_of({"a.txt": b"abc"}), central_offset=6, value=b"\x63\x00"
                ),
            ),
        },
    ),
    *_bad("damaged", "office_damaged", _OLE_DAMAGED),
]

_MACRO_TYPE = "application/vnd.ms-{}.macroEnabled.main+xml"
MACROS = _bad(
    "macros",
    "macros",
    {
        "DOCM renamed .docx": (
            "نامه.docx",
            lambda: c.docx(main_type=_MACRO_TYPE.format("word.document")),
        ),
        "XLSM renamed .xlsx": (
            "جدول.xlsx",
            lambda: c.ooxml(
                "xl/workbook.xml",
                _MACRO_TYPE.format("excel.sheet"),
                b"<workbook/>",
                extra={"xl/vbaProject.bin": c.ole("PROJECT")},
            ),
        ),
        "PPTM renamed .pptx": (
            "ارائه.pptx",
            lambda: c.pptx(main_type=_MACRO_TYPE.format("powerpoint.presentation")),
        ),
        "XLSB (binary, macro-enabled) renamed .xlsx": (
            "جدول.xlsx",
            lambda: c.ooxml(
                "xl/workbook.bin",
                "application/vnd.ms-excel.sheet.binary.macroEnabled.main",
                b"\x83\x01",
            ),
        ),
        "DOCX holding vbaProject.bin": (
            "نامه.docx",
            lambda: c.docx(extra={"word/vbaProject.bin": c.ole("PROJECT")}),
        ),
        "ODT with Basic macros": (
            "متن.odt",
            lambda: c.odf(
                "application/vnd.oasis.opendocument.text",
                extra={"Basic/Standard/Module1.xml": b"<module/>"},
            ),
        ),
        "DOC with a Macros storage": ("نامه.doc", lambda: c.ole("WordDocument", "Macros")),
        "XLS with a VBA project": ("آمار.xls", lambda: c.ole("Workbook", "_VBA_PROJECT_CUR")),
        "ZIP holding a .docm": ("بسته.zip", lambda: c.zip_of({"report.docm": c.docx()})),
        "ZIP holding a DOCX with macros inside": (
            "بسته.zip",
            lambda: c.zip_of({"report.docx": c.docx(extra={"word/vbaProject.bin": b"x"})}),
        ),
    },
)

OTHER = [
    *_bad(
        "encrypted",
        "zip_encrypted",
        {
            "ZIP with a password": (
                "بسته.zip",
                lambda: c.patched_zip(
                    c.zip_of({"a.txt": b"x"}), central_offset=8, value=b"\x01\x00"
                ),
            ),
        },
    ),
    *_bad(
        "encrypted",
        "office_encrypted",
        {
            "DOCX with a password": (
                "نامه.docx",
                lambda: c.ole("EncryptionInfo", "EncryptedPackage"),
            )
        },
    ),
    *_bad(
        "kind not accepted",
        "other_archive",
        {
            "RAR named .zip": ("بسته.zip", lambda: b"Rar!\x1a\x07\x01\x00" + bytes(64)),
            "7-Zip named .zip": ("بسته.zip", lambda: b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(64)),
            "gzip-compressed SVG named .png": (
                "logo.png",
                lambda: gzip.compress(b'<svg onload="alert(1)"/>', mtime=0),
            ),
            "tar named .zip": ("بسته.zip", lambda: _tar()),
        },
    ),
    *_bad(
        "kind not accepted", "rtf", {"RTF named .doc": ("نامه.doc", lambda: b"{\\rtf1\\ansi x}")}
    ),
    *_bad("kind not accepted", "text", {"plain text": ("notes.txt", "یادداشت".encode)}),
    *_bad(
        "kind not accepted",
        "unknown_type",
        {"random bytes": ("data.bin", lambda: bytes(range(256)))},
    ),
    *_bad(
        "kind not accepted",
        "office_unexpected",
        {
            "Word template (.dotx)": (
                "نامه.docx",
                lambda: c.docx(
                    main_type="application/vnd.openxmlformats-officedocument"
                    ".wordprocessingml.template.main+xml"
                ),
            ),
            "OpenDocument presentation named .odt": (
                "متن.odt",
                lambda: c.odf("application/vnd.oasis.opendocument.presentation"),
            ),
        },
    ),
    *_bad(
        "name and content disagree",
        "extension_mismatch",
        {
            "PDF named .docx": ("گزارش.docx", c.pdf),
            "PNG named .pdf": ("تصویر.pdf", c.png),
            "XLSX named .docx": ("جدول.docx", c.xlsx),
            "plain ZIP named .docx": ("بسته.docx", lambda: c.zip_of({"a.txt": b"a"})),
            "PDF named report.pdf.exe": ("report.pdf.exe", c.pdf),
            "PDF named .html": ("page.html", c.pdf),
            "PNG named .svg": ("logo.svg", c.png),
        },
    ),
    Bad("empty", "empty file", "خالی.pdf", lambda: b"", "empty"),
    Bad(
        "not accepted here",
        "XLSX as council minutes",
        "صورتجلسه.xlsx",
        c.xlsx,
        "kind_not_allowed",
        DOCUMENT_KINDS,
    ),
    Bad(
        "not accepted here",
        "ZIP as a letter",
        "نامه.zip",
        lambda: c.zip_of({"a.pdf": c.pdf()}),
        "kind_not_allowed",
        DOCUMENT_KINDS,
    ),
]

BAD: list[Bad] = [
    *POLYGLOTS,
    *PROGRAMS,
    *ARCHIVE_CONTENT,
    *MARKUP,
    *XML_ENTITIES,
    *PDF_ACTIVE,
    *LIMITS,
    *NAMES,
    *DAMAGED,
    *MACROS,
    *OTHER,
]
