"""Taking in an uploaded file: checked by its content, named safely, hashed, stored.

Every upload in the system (evidence, a cycle's circular, council minutes, workshop materials,
signed MoUs, letters) comes through ``store_upload``; the caller owns the transaction, links the
returned row to its own object and writes the audit event.
"""

import hashlib
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection
from django.utils.translation import gettext as _

from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits

from .checks import KINDS, Refused, extension_fits, sniff, split_extension
from .models import StoredFile
from .names import check_name, clean, display_name, shown_name

EVIDENCE_KINDS = frozenset(
    {"pdf", "png", "jpeg", "gif", "webp", "docx", "xlsx", "pptx", "doc", "xls", "ppt"}
    | {"odt", "ods", "zip"}
)
# Circulars, minutes and letters: documents to read and sign, not bundles of evidence.
DOCUMENT_KINDS = frozenset({"pdf", "docx", "doc", "odt", "png", "jpeg"})

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "KARNAMEH_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def store_upload(
    *, upload: UploadedFile, actor: Any, allowed: frozenset[str] = EVIDENCE_KINDS
) -> StoredFile:
    """Check the upload by its content and store it; ``DomainError`` names the file and problem.

    Call it inside the caller's ``transaction.atomic()``: the row is saved there, and the caller
    links it and audits in the same transaction.

    If that transaction rolls back after this returns, the file stays on disk without a row.
    Django has no rollback hook to delete it, and that orphan is harmless: its name is random,
    nothing links to it and downloads are served only through a ``StoredFile`` row whose owner
    checks permission. ``manage.py sweep_uploads`` removes such orphans.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("store_upload must run inside the caller's transaction.atomic().")
    try:
        check_name(upload.name)
    except Refused as refused:
        raise DomainError(
            _('The file name "%(name)s" was refused: %(problem)s')
            % {"name": shown_name(upload.name), "problem": refused.problem},
            code=refused.code,
        ) from refused
    shown = clean(upload.name or "") or "file"
    limit = max_upload_bytes()
    if not upload.size or upload.file is None:
        raise DomainError(_('The file "%(name)s" is empty.') % {"name": shown}, code="empty")
    if upload.size > limit:
        raise _too_large(shown, limit)
    size, sha256 = _measure(upload, limit, shown)
    if size == 0:
        raise DomainError(_('The file "%(name)s" is empty.') % {"name": shown}, code="empty")

    content = cast(BinaryIO, upload.file)
    try:
        kind = sniff(content)
    except Refused as refused:
        raise DomainError(
            _('The file "%(name)s" was refused: %(problem)s')
            % {"name": shown, "problem": refused.problem},
            code=refused.code,
        ) from refused
    ext = split_extension(shown)[1]
    if not extension_fits(ext, kind):
        raise DomainError(
            _('The name "%(name)s" ends in .%(ext)s but the file is really %(what)s.')
            % {"name": shown, "ext": ext, "what": KINDS[kind].label},
            code="extension_mismatch",
        )
    if kind not in allowed:
        raise DomainError(
            _(
                'The file "%(name)s" is %(what)s; this type is not accepted here. '
                "Accepted: %(kinds)s."
            )
            % {"name": shown, "what": KINDS[kind].label, "kinds": accepted_list(allowed)},
            code="kind_not_allowed",
        )

    stored = StoredFile(
        name=display_name(upload.name or "", kind),
        size=size,
        sha256=sha256,
        kind=kind,
        content_type=KINDS[kind].content_type,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    # The name given here is ignored: ``stored_path`` makes a random one.
    stored.file.save("upload", upload, save=False)
    stored.save()
    return stored


def accepted_list(allowed: frozenset[str]) -> str:
    """«PDF، DOCX، ...» in a fixed order, for messages and form help texts."""
    return "، ".join(kind.upper() for kind in KINDS if kind in allowed)


def _measure(upload: UploadedFile, limit: int, shown: str) -> tuple[int, str]:
    """Size and SHA-256, read in chunks; a file that grows past the limit is refused early."""
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise _too_large(shown, limit)
        digest.update(chunk)
    return size, digest.hexdigest()


def _too_large(shown: str, limit: int) -> DomainError:
    megabytes = limit / (1024 * 1024)
    text = f"{megabytes:.0f}" if megabytes == int(megabytes) else f"{megabytes:.1f}"
    return DomainError(
        _('The file "%(name)s" is larger than %(limit)s megabytes.')
        % {"name": shown, "limit": persian_digits(text).replace(".", "٫")},
        code="too_large",
    )
