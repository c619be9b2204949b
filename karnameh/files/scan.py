"""What may hide inside a PDF or an image: a web page, a script, a whole ZIP archive.

A polyglot is one file that is two: a valid PNG that is also a ZIP (a Java program, say), a
GIF whose comment is a ``<?php`` page, a PDF whose first kilobyte is HTML that an old browser
would sniff and run. We serve every file with its own type, ``nosniff`` and a sandbox, so
none of these could run from our pages; they are refused anyway, so they are never passed on.

The patterns are long enough that compressed pixels do not make them by chance: in 20 MB of
random bytes the whole-file patterns below match by chance about once in 50,000 files. The
short tags a browser sniffs (``<svg``, ``<meta``, ``<title``...) are looked for only in the
first and last kilobyte, where browsers look and where files hold headers, not pixels.
"""

import io
import re
import zipfile

from django.utils.translation import gettext as _

from .errors import Refused
from .kinds import KINDS

# What a browser sniffing the start of a file takes for a page.
_HEAD_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|frameset|frame|object|embed|applet"
    rb"|svg|meta|style|title|table|plaintext|\?php)[\s/>]",
    re.IGNORECASE,
)
# Anywhere in an image: only what cannot be a page or a script by chance. Each is a plain
# byte search on the lowered file (regular expressions took two seconds on 12 MB): the token,
# then which byte may follow it (None: any).
_SPACE = b" \t\n\r\f\v"
_STRONG_MARKUP: dict[bytes, bytes | None] = {
    b"<script": _SPACE + b"/>",
    b"<iframe": _SPACE + b"/>",
    b"<?php": _SPACE,
    b"<html": _SPACE + b">",
    b"<body": _SPACE + b">",
    b"javascript:": None,
}
# An SVG root is markup only with its namespace, within a few hundred bytes of the tag.
_SVG_REACH = 400
_HEAD = 1024
# The first bytes of a macOS program (32/64-bit, either byte order, universal), which Java
# class files share: refused alike.
MACH_O = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
_ZIP_END = b"PK\x05\x06"
# The end-of-central-directory record sits within the last 64 KB (its comment's most) + 22.
_ZIP_END_REACH = 65535 + 22


def refuse_polyglot(data: bytes, kind: str, *, whole: bool) -> None:
    """``Refused`` if ``data`` is also a ZIP archive, or carries markup where it matters.

    ``whole``: look through all of it (images), not only its first and last kilobyte (PDF,
    whose uncompressed text may speak of ``<html>`` and mean no harm).
    """
    what = KINDS[kind].label
    if hidden_zip(data):
        raise Refused(
            _("it is %(what)s with a ZIP archive hidden inside it (a polyglot file).")
            % {"what": what},
            code="polyglot",
        )
    found = _HEAD_MARKUP.search(data, 0, _HEAD) or _HEAD_MARKUP.search(
        data, max(0, len(data) - _HEAD)
    )
    if found or (whole and _strong_markup(data.lower())):
        raise Refused(
            _("it is %(what)s with web page code (HTML or a script) hidden inside it.")
            % {"what": what},
            code="polyglot",
        )


def _strong_markup(lowered: bytes) -> bool:
    for token, allowed_after in _STRONG_MARKUP.items():
        at = lowered.find(token)
        while at >= 0:
            after = lowered[at + len(token) : at + len(token) + 1]
            if allowed_after is None or (after and after in allowed_after):
                return True
            at = lowered.find(token, at + 1)
    at = lowered.find(b"<svg")
    while at >= 0:
        tag = lowered[at + 4 : at + 4 + _SVG_REACH]
        namespace = tag.find(b"xmlns")
        opening = tag[:namespace]
        if tag[:1].isspace() and namespace > 0 and b"<" not in opening and b">" not in opening:
            return True
        at = lowered.find(b"<svg", at + 1)
    return False


def hidden_zip(data: bytes) -> bool:
    """A ZIP archive's directory at the end, one that opens and lists at least one file."""
    if data.rfind(_ZIP_END, max(0, len(data) - _ZIP_END_REACH)) < 0:
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return bool(archive.infolist())
    except NotImplementedError:
        # Its directory read, only its version is beyond zipfile: a ZIP all the same.
        return True
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        return False


def refuse_trailing(kind: str) -> Refused:
    return Refused(
        _("it is %(what)s with other data hidden after its end.") % {"what": KINDS[kind].label},
        code="polyglot",
    )


def damaged(kind: str) -> Refused:
    return Refused(
        _("it is %(what)s, but damaged or incomplete.") % {"what": KINDS[kind].label},
        code="damaged",
    )
