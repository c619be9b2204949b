"""What an uploaded file really is, told from its bytes and structure, never from its name.

Pure functions over a seekable binary file: ``sniff`` answers one of the kinds in ``KINDS`` or
raises ``Refused`` with a translated phrase saying what was found and why it is refused. The
caller (``services.store_upload``) puts the file's name in front of it.

The signature tells the kind; then the whole file is checked as that kind: PDFs and images by
their structure and for anything hidden in them (``pdf``, ``images``, ``scan``), ZIP-based and
old Office files by what they contain (``containers``).

Executables, scripts and markup (HTML, SVG, XML) are named as dangerous on purpose: a person who
renamed one to ``.pdf`` should learn why it was refused, and a browser must never be handed one
from our origin.
"""

from typing import BinaryIO

from django.utils.translation import gettext as _

from .containers import ZipLimits, inspect_zip
from .errors import Refused
from .images import inspect_image
from .kinds import KINDS, Kind, extension_fits, split_extension
from .ole import inspect_ole
from .pdf import inspect_pdf
from .scan import MACH_O

__all__ = ["KINDS", "Kind", "Refused", "ZipLimits", "extension_fits", "sniff", "split_extension"]

# Enough to see every signature below, and markup after a byte-order mark and blank lines.
_HEAD_BYTES = 1024

_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
_SHORTCUT = b"L\x00\x00\x00\x01\x14\x02\x00"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<meta")
_XML_STARTS = (b"<?xml", b"<svg", b"<!doctype svg")
# Archives people send instead of a ZIP (RAR above all): named, so they know what to do.
_OTHER_ARCHIVES = (
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"MSCF", "CAB"),
)


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
        # Read whole: the upload limit (20 MB) bounds it, and the checks look at all of it.
        inspect_pdf(f.read())
        return "pdf"
    kind = next((kind for signature, kind in _IMAGES if head.startswith(signature)), "")
    if not kind and head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        kind = "webp"
    if kind:
        inspect_image(kind, f.read())
        return kind
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return inspect_ole(f)
    if head.startswith(b"PK\x03\x04"):
        return inspect_zip(f, limits)
    _refuse_dangerous(head)
    _refuse_named(head)
    raise Refused(_("this type of file is not accepted."), code="unknown_type")


def _refuse_dangerous(head: bytes) -> None:
    """Name what a dangerous file is, so the person knows why it was refused."""
    if head.startswith(b"MZ"):
        raise Refused(_("it is a Windows program (executable)."), code="dangerous")
    if head.startswith(b"\x7fELF"):
        raise Refused(_("it is a Linux program (ELF executable)."), code="dangerous")
    if head.startswith(MACH_O):
        raise Refused(_("it is a macOS program (executable)."), code="dangerous")
    if head.startswith(b"#!"):
        raise Refused(_("it is a script (a program in text)."), code="dangerous")
    if head.startswith(_SHORTCUT):
        raise Refused(
            _("it is a Windows shortcut (.lnk), which can start programs."), code="dangerous"
        )
    text = _as_text(head).lstrip(b"\xef\xbb\xbf \t\r\n\f").lower()
    if text.startswith(_XML_STARTS):
        raise Refused(_("it is an SVG or XML file, which may carry scripts."), code="dangerous")
    # Any file that opens with a tag (``<!-- -->``, ``<div>``, ``<svg`` after a comment) is
    # markup a browser would render.
    if text.startswith(b"<") or b"<script" in text or b"<html" in text:
        raise Refused(_("it is a web page (HTML), which may carry scripts."), code="dangerous")


def _as_text(head: bytes) -> bytes:
    """UTF-16 text (with or without its byte-order mark) as bytes the checks above can read."""
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(encoding, "ignore").encode("utf-8", "ignore")
    if len(head) > 3 and head[1] == 0 and head[3] == 0 and head[0] != 0:
        return head.decode("utf-16-le", "ignore").encode("utf-8", "ignore")
    return head


def _refuse_named(head: bytes) -> None:
    """Kinds we do not take but can name: other archives, RTF, plain text (scripts among it)."""
    for signature, name in _OTHER_ARCHIVES:
        if head.startswith(signature):
            raise Refused(
                _("it is a %(format)s archive; only ZIP archives are accepted.") % {"format": name},
                code="other_archive",
            )
    if head[257:262] == b"ustar":
        raise Refused(
            _("it is a %(format)s archive; only ZIP archives are accepted.") % {"format": "tar"},
            code="other_archive",
        )
    if head.startswith(b"{\\rtf"):
        raise Refused(
            _("it is an RTF document, which can carry hidden objects; send it as PDF or DOCX."),
            code="rtf",
        )
    if _looks_like_text(head):
        raise Refused(
            _(
                "it is a plain text file, which may be a script (such as .bat, .ps1 or .js); "
                "text files are not accepted."
            ),
            code="text",
        )


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    text = head.decode("utf-8", "replace")
    # One broken character may be a multi-byte one cut at the kilobyte's end.
    if text.count("\ufffd") > 1:
        return False
    printable = sum(char.isprintable() or char in "\t\r\n\f" for char in text)
    return printable >= 0.95 * len(text)
