"""Serving a stored file: streamed, with headers that keep the browser from running it.

Callers check the person's right to the file's owner before calling ``file_response``.
"""

import logging
import re
from urllib.parse import quote

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from .kinds import KINDS, split_extension
from .models import StoredFile

# Only these are ever shown in the browser; everything else is always a download.
PREVIEWABLE = frozenset({"pdf", "png", "jpeg", "gif", "webp"})
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._ -]")
FILE_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
log = logging.getLogger(__name__)


class FileMissing(Http404):
    """The file's record is there and the person may have it, but its bytes are not in the
    store (local disk or S3: both say FileNotFoundError). A 404 that says so, not a 500."""

    def __init__(self, stored: StoredFile) -> None:
        self.message = _(
            "The file «%(name)s» is recorded, but its content is missing from the file store. "
            "Tell the support team; nothing you did caused it."
        ) % {"name": stored.name}
        super().__init__(self.message)


def file_response(stored: StoredFile, *, inline: bool = False) -> FileResponse:
    kind = KINDS.get(stored.kind)
    content_type = kind.content_type if kind else "application/octet-stream"
    try:
        opened = stored.file.open("rb")
    except FileNotFoundError:
        # The operators must hear of it: a restore that left files out, a bucket emptied.
        log.error("stored file missing", extra={"stored_file": stored.pk, "path": stored.file.name})
        raise FileMissing(stored) from None
    response = FileResponse(opened, content_type=content_type)
    disposition = "inline" if inline and stored.kind in PREVIEWABLE else "attachment"
    response["Content-Disposition"] = content_disposition(disposition, stored.name)
    # The stored kind was decided from the content; the browser must not guess another.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser still render it as a page, it may load nothing, be framed by no one,
    # and runs sandboxed: no scripts, forms or plugins, and no origin of ours.
    response["Content-Security-Policy"] = FILE_POLICY
    return response


def content_disposition(disposition: str, name: str) -> str:
    """RFC 6266: an ASCII ``filename`` for old clients, the real name in ``filename*``."""
    return (
        f'{disposition}; filename="{ascii_fallback(name)}"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )


def ascii_fallback(name: str) -> str:
    """What is left of the name in ASCII, or ``file.<ext>`` (a Persian name leaves nothing)."""
    stem, ext = split_extension(name)
    stem = " ".join(_NOT_ASCII_SAFE.sub("", stem).split()).strip(" .") or "file"
    return f"{stem}.{ext}" if ext else stem
