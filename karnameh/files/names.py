"""The name a person gave an upload: which names are refused, and the safe name we keep.

A name never reaches the disk (``models.stored_path`` makes a random one); it is shown on pages,
put in messages and offered on download, where whoever saves the file gets it. So a name that
can only come from a crafted request or a hostile file (a path, a character that reverses the
text around it, a control character, a Windows device name, hundreds of characters, nothing
visible at all) is refused and the person told why. What is merely untidy (Arabic letter
forms, a leading dot, ``:`` or ``?``) is tidied into the kept name by ``display_name``.

Django has already cut a browser's name to its last ``/`` or ``\\`` part and dropped every
character Python calls non-printable (apps.py keeps the zero-width non-joiner among them); the
checks here hold for every other caller too.
"""

import html
import re
import unicodedata

from django.http.multipartparser import MultiPartParser
from django.utils.translation import gettext as _

from karnameh.common.text import normalize_fa, persian_digits

from .errors import Refused
from .kinds import KINDS, split_extension

MAX_NAME_LENGTH = 150
# The zero-width non-joiner (نیم‌فاصله) is Persian spelling; every other invisible format
# character (direction marks, joiners, the BOM) is dropped from the kept name.
_KEEP_FORMAT = {"\u200c"}
# Embeddings, overrides and isolates reorder the text around them: "invoice" U+202E "fdp.exe"
# is shown as "invoiceexe.pdf". Marks (U+200E, U+200F, U+061C) reorder no letters, and names
# typed on a Persian keyboard carry them, so they are only dropped.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Device names Windows will not create a file under, with any extension (NUL.pdf too).
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"{port}{n}" for port in ("com", "lpt") for n in [*"123456789", "¹", "²", "³"]}
)
# Not allowed in Windows file names: whoever saves the download gets the name we offer.
_WINDOWS_RESERVED = re.compile(r'[<>:"|?*]')
_INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Cn", "Zs", "Zl", "Zp"}


def check_name(raw: str | None) -> None:
    """``Refused`` for a name that should never come from a person's own file."""
    name = raw or ""
    if "/" in name or "\\" in name:
        raise Refused(_("the name holds a folder path (/ or \\)."), code="name_path")
    if any(char in BIDI_CONTROLS for char in name):
        raise Refused(
            _("the name holds hidden characters that reverse how it reads (e.g. U+202E)."),
            code="name_bidi",
        )
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise Refused(
            _("the name holds control characters (such as a line break or NUL)."),
            code="name_control",
        )
    if len(name) > MAX_NAME_LENGTH:
        raise Refused(
            _("the name is longer than %(count)s characters; shorten it.")
            % {"count": persian_digits(MAX_NAME_LENGTH)},
            code="name_too_long",
        )
    if not any(char != "." and unicodedata.category(char) not in _INVISIBLE for char in name):
        raise Refused(_("the file has no name; give it one."), code="name_empty")
    device = name.split(".", 1)[0].rstrip(" ").lower()
    if device in _WINDOWS_DEVICES:
        raise Refused(
            _("the name %(device)s is reserved for a device on Windows; rename the file.")
            % {"device": device.upper()},
            code="name_reserved",
        )


def shown_name(raw: str | None) -> str:
    """The name as put in a message: invisible characters spelled out, never acted upon."""
    name = "".join(
        f"[U+{ord(char):04X}]"
        if char not in _KEEP_FORMAT and unicodedata.category(char) in {"Cc", "Cf", "Co", "Cs"}
        else char
        for char in (raw or "")
    )
    return name if len(name) <= 2 * MAX_NAME_LENGTH else name[: 2 * MAX_NAME_LENGTH] + "…"


def display_name(raw: str, kind: str) -> str:
    """The name shown and offered on download: safe, Persian-normalised, with an extension."""
    name = clean(raw)
    extension = KINDS[kind].extension if kind in KINDS else ""
    stem, ext = split_extension(name)
    if not ext:
        stem, ext = name, extension
    stem = stem.rstrip(" .")
    if not stem:
        stem = "file"
    suffix = f".{ext}" if ext else ""
    return stem[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .") + suffix


def clean(raw: str) -> str:
    """The last path component, without control or invisible format characters, trimmed."""
    name = re.split(r"[\\/]", raw)[-1]
    name = "".join(
        " " if unicodedata.category(char) in {"Zl", "Zp"} else char
        for char in name
        if char in _KEEP_FORMAT or unicodedata.category(char) not in {"Cc", "Cf", "Co", "Cs"}
    )
    name = _WINDOWS_RESERVED.sub("_", normalize_fa(name))
    # Leading dots hide a file on Unix; trailing dots and spaces vanish on Windows.
    return name.strip(" .")


def keep_zwnj_in_browser_names() -> None:
    """Make Django's multipart parser keep the zero-width non-joiner in uploaded file names.

    Django drops every character Python calls non-printable from the name a browser sends, and
    Python counts the ZWNJ among them, so «صورت‌جلسه.pdf» arrived as «صورتجلسه.pdf»: wrong
    spelling, and not the name the person gave. Django's own function still decides: it runs on
    the name with each ZWNJ swapped for a printable stand-in, and its answer is taken only if,
    stand-ins removed, it is exactly the answer it gives the name as sent.
    """
    original = MultiPartParser.sanitize_file_name
    if getattr(original, "keeps_zwnj", False):
        return

    def sanitize_file_name(self: MultiPartParser, file_name: str) -> str | None:
        plain = original(self, file_name)
        unescaped = html.unescape(file_name)
        if plain is None or "\u200c" not in unescaped:
            return plain
        stand_in = next(chr(code) for code in range(0x2400, 0x2427) if chr(code) not in unescaped)
        swapped = original(self, unescaped.replace("&", "&amp;").replace("\u200c", stand_in))
        if swapped is None or swapped.replace(stand_in, "") != plain:
            return plain
        return swapped.replace(stand_in, "\u200c")

    sanitize_file_name.keeps_zwnj = True  # type: ignore[attr-defined]
    MultiPartParser.sanitize_file_name = sanitize_file_name  # type: ignore[method-assign]
