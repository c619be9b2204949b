"""PDF: whole (it ends with ``%%EOF``), nothing hidden in it, nothing that acts when opened.

What is refused as active content, and why the line is drawn there:
- ``/JavaScript`` and ``/JS``: scripts, whether run on opening (``/OpenAction``), on a page or
  field event (``/AA``) or from a link;
- ``/Launch``: an action that starts a program or opens another file;
- ``/EmbeddedFile`` and ``/EmbeddedFiles``: attached files, which can be programs;
- ``/RichMedia`` (Flash, video players) and ``/XFA`` (dynamic forms, which carry scripts);
- a ``javascript:`` link.
An ``/OpenAction`` alone is allowed: most only open the first page at a zoom, and one that runs
a script or a program says ``/JS`` or ``/Launch`` and is refused for that.

Where it is looked for: every dictionary, that is the file outside its streams, and inside the
object streams (``/Type /ObjStm``, Flate-compressed) where PDF 1.5 and later pack dictionaries.
Names written with ``#xx`` escapes (``/J#61vaScript``) are decoded first.

What is not seen: object streams that cannot be inflated here (an encrypted PDF's, or under a
filter other than Flate). Such a PDF, with a script packed in that way, would pass; it is still
served as ``application/pdf`` for download only, never run by our pages.
"""

import re
import zlib
from collections.abc import Iterator

from django.utils.translation import gettext as _

from karnameh.common.text import persian_digits

from .errors import Refused
from .scan import damaged, refuse_polyglot

_MB = 1024 * 1024
# Readers look for the end marker within the file's last kilobyte.
_EOF_REACH = 1024
# Object streams are a few hundred kilobytes at most; more is a compression bomb.
MAX_INFLATED = 64 * _MB
_NAME_END = rb"(?![^\s()<>\[\]{}/%])"
_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)" + _NAME_END)
_ESCAPED_NAME = re.compile(rb"/[^\s()<>\[\]{}/%]*#[0-9A-Fa-f]{2}[^\s()<>\[\]{}/%]*")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_JAVASCRIPT_LINK = re.compile(rb"javascript:", re.IGNORECASE)
_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_DICTIONARY_REACH = 4096


def inspect_pdf(data: bytes) -> None:
    refuse_polyglot(data, "pdf", whole=False)
    if data.rfind(b"%%EOF", max(0, len(data) - _EOF_REACH)) < 0:
        raise damaged("pdf")
    for part in _dictionaries(data):
        found = _active(part)
        if found:
            raise Refused(
                _(
                    "the PDF holds active content (%(what)s) that can run when it is opened; "
                    "print or export it again as a plain PDF."
                )
                % {"what": found},
                code="pdf_active",
            )


def _dictionaries(data: bytes) -> Iterator[bytes]:
    """The file outside its streams, then each object stream's content, inflated."""
    pos, inflated = 0, 0
    while match := _STREAM.search(data, pos):
        yield data[pos : match.end()]
        end = data.find(b"endstream", match.end())
        if end < 0:
            raise damaged("pdf")
        dictionary = _unescape(data[max(pos, match.start() - _DICTIONARY_REACH) : match.end()])
        if b"/ObjStm" in dictionary and b"/FlateDecode" in dictionary:
            content = _inflate(data[match.end() : end], MAX_INFLATED - inflated)
            inflated += len(content)
            yield content
        pos = end + len(b"endstream")
    yield data[pos:]


def _inflate(raw: bytes, left: int) -> bytes:
    decompressor = zlib.decompressobj()
    try:
        content = decompressor.decompress(raw, left + 1)
    except zlib.error:
        # Encrypted, or not Flate after all: a reader could not inflate it as it is either.
        return b""
    if len(content) > left:
        raise Refused(
            _("the PDF holds compressed parts that open to more than %(size)s megabytes.")
            % {"size": persian_digits(MAX_INFLATED // _MB)},
            code="pdf_too_big",
        )
    return content


def _active(part: bytes) -> str:
    """The first active name in ``part`` (escapes decoded), or ``""``."""
    match = _ACTIVE.search(part)
    if match:
        return match.group().decode("ascii")
    for escaped in _ESCAPED_NAME.finditer(part):
        name = _unescape(escaped.group())
        if _ACTIVE.fullmatch(name):
            return name.decode("ascii")
    return "javascript:" if _JAVASCRIPT_LINK.search(part) else ""


def _unescape(text: bytes) -> bytes:
    return _ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), text)
