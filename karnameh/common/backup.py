"""Backup and restore of a whole installation: every table and every stored file, with checksums.

    backup(path)                 # writes one archive (tar, gzip) and returns its manifest
    restore(path)                # checks everything, then replaces the database and the files

An archive (format ``karnameh-backup/1``) holds ``database.json`` (Django's serialisation of
every row of every model, so it moves between SQLite and PostgreSQL), ``media/<name>`` for
each stored file (read through the storage, so object storage works too) and
``manifest.json``: the migrations applied, the rows per model, and the SHA-256 and size of
every other member.

``restore`` refuses before changing anything when a member is missing, extra, altered or
named outside the archive, or when the database's migrations differ from the archive's.
It replaces the tables in one transaction, which ends with an audit event of the restore
(so the audit chain runs on from the restored one), and only then writes the files. Running
it again on the same archive finishes the files if that step was interrupted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "karnameh-backup/1"
DATABASE = "database.json"
MANIFEST = "manifest.json"
MEDIA = "media/"


class BackupError(Exception):
    """An archive that cannot be restored here; the message says which part and why."""


@dataclass(frozen=True)
class Restored:
    rows: int
    files: int
    removed: int


def applied_migrations() -> list[str]:
    """``app.name`` of every migration applied to the database, sorted."""
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def stored_files(storage: Storage | None = None, folder: str = "") -> Iterator[str]:
    """Every file's name in the storage, depth first, sorted."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing stored yet: the media folder is made on first save
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


class _Hashing:
    """A file wrapper that hashes what is read through it (tar streams each member)."""

    def __init__(self, handle: Any) -> None:
        self.handle, self.sha256, self.size = handle, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.handle.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data

    def entry(self) -> dict[str, Any]:
        return {"sha256": self.sha256.hexdigest(), "size": self.size}


def _measure(handle: Any) -> dict[str, Any]:
    """The SHA-256 and size of what is left in ``handle``, read a megabyte at a time."""
    reader = _Hashing(handle)
    while reader.read(1 << 20):
        pass
    return reader.entry()


def _add(archive: tarfile.TarFile, name: str, handle: Any, size: int) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    reader = _Hashing(handle)
    archive.addfile(info, reader)  # read() is all tar needs
    return reader.entry()


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds (as JavaScript keeps them); a backup must
    give back every microsecond, or a restored row differs from the saved one."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _every_row() -> Iterator[Any]:
    """Every row of every model (base managers: nothing filtered out), models in an order
    that loads (those pointed to first, as ``dumpdata`` orders them), rows by key."""
    models = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    for model in models:
        if model._meta.proxy or not router.allow_migrate_model(DEFAULT_DB_ALIAS, model):
            continue
        yield from model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)


def backup(path: Path) -> dict[str, Any]:
    """Write the archive to ``path``: files are streamed, never held whole in memory, and the
    archive is written under a temporary name and renamed only when complete."""
    partial = path.with_name(path.name + ".partial")
    try:
        manifest = _write(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    return manifest


def _write(partial: Path) -> dict[str, Any]:
    members: dict[str, dict[str, Any]] = {}
    outermost = not connection.in_atomic_block
    with transaction.atomic(), tempfile.TemporaryDirectory() as work:
        # One snapshot for every table, so a row is never dumped without a row it points to
        # while users keep working: PostgreSQL's default gives each query its own snapshot;
        # SQLite keeps the one its first read took until the transaction ends. (Inside a
        # caller's transaction, that transaction's isolation stands.)
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        dump = Path(work) / DATABASE
        with dump.open("w", encoding="utf-8") as handle:
            serializers.serialize("json", _every_row(), stream=handle, cls=_ExactJSONEncoder)
        rows = row_counts()
        with tarfile.open(partial, "w:gz") as archive:
            with dump.open("rb") as handle:
                members[DATABASE] = _add(archive, DATABASE, handle, dump.stat().st_size)
            for name in stored_files():
                with default_storage.open(name, "rb") as handle:
                    size = default_storage.size(name)
                    members[MEDIA + name] = _add(archive, MEDIA + name, handle, size)
            manifest = {
                "format": FORMAT,
                "created": timezone.now().isoformat(),
                "database_vendor": connection.vendor,
                "migrations": applied_migrations(),
                "rows": rows,
                "members": members,
            }
            data = json.dumps(manifest, indent=1).encode()
            _add(archive, MANIFEST, io.BytesIO(data), len(data))
    return manifest


def _safe_media_name(member: str) -> str:
    name = member[len(MEDIA) :]
    parts = PurePosixPath(name).parts
    if not name or name.startswith("/") or ".." in parts or "\\" in name:
        raise BackupError(_("The archive names a file outside the storage: %s") % member)
    return name


def _scan(path: Path) -> tuple[bytes, dict[str, dict[str, Any]]]:
    """The manifest's bytes and every other member's checksum and size, read in one pass."""
    manifest = b""
    found: dict[str, dict[str, Any]] = {}
    with tarfile.open(path, "r:*") as archive:
        for info in archive:
            if not info.isfile():
                # Links and devices are never written by ``backup``; never follow one.
                raise BackupError(
                    _("The archive holds something other than a file: %s") % info.name
                )
            handle = archive.extractfile(info)
            assert handle is not None  # a regular file
            if info.name == MANIFEST:
                manifest = handle.read()
                continue
            found[info.name] = _measure(handle)
    return manifest, found


def read_archive(path: Path) -> dict[str, Any]:
    """The archive's manifest, once every member has been checked against it."""
    try:
        raw, found = _scan(path)
    except (OSError, tarfile.TarError, EOFError, zlib.error) as error:
        raise BackupError(
            _("%(path)s is not a backup archive: %(error)s") % {"path": path, "error": error}
        ) from error
    try:
        manifest = json.loads(raw)
    except ValueError as error:
        raise BackupError(_("The archive has no readable manifest.json.")) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("The archive's format is not %s.") % FORMAT)
    listed = manifest.get("members") or {}
    for name in sorted(set(listed) | set(found)):
        if name not in found:
            raise BackupError(_("The file %s listed in the manifest is missing.") % name)
        if name not in listed:
            raise BackupError(_("The file %s is not listed in the manifest.") % name)
        if found[name] != {"sha256": listed[name]["sha256"], "size": listed[name]["size"]}:
            raise BackupError(_("The file %s does not match its checksum: it was altered.") % name)
        if name.startswith(MEDIA):
            _safe_media_name(name)
        elif name != DATABASE:
            raise BackupError(_("The archive holds an unexpected file: %s") % name)
    if DATABASE not in found:
        raise BackupError(_("The archive has no database.json."))
    return manifest


def _same(storage: Storage, name: str, entry: dict[str, Any]) -> bool:
    if not storage.exists(name) or storage.size(name) != entry["size"]:
        return False
    with storage.open(name, "rb") as handle:
        return bool(_measure(handle) == entry)


def _empty_every_table() -> None:
    postgres = connection.vendor == "postgresql"
    if postgres:
        # PostgreSQL will not TRUNCATE a table whose foreign-key checks are still pending
        # (rows written earlier in an enclosing transaction): run them now, then defer them
        # again for the load, whose rows may point at each other in either order.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def restore(path: Path, *, storage: Storage | None = None) -> Restored:
    """Replace every table and stored file with the archive's; see the module's docstring."""
    from karnameh.audit.services import record

    storage = storage or default_storage
    manifest = read_archive(path)
    here, there = set(applied_migrations()), set(manifest.get("migrations") or [])
    if there - here:
        raise BackupError(
            _(
                "The archive was made after migration %s, which this database has not applied: "
                "install that version of the program and migrate first."
            )
            % sorted(there - here)[0]
        )
    if here - there:
        raise BackupError(
            _(
                "This database has migration %s, which the archive was made without: restore "
                "it with the version of the program that made it."
            )
            % sorted(here - there)[0]
        )
    listed = manifest["members"]
    media = {_safe_media_name(name): name for name in listed if name.startswith(MEDIA)}
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r:*") as archive:
        dump = Path(work) / DATABASE
        source = archive.extractfile(DATABASE)
        assert source is not None  # checked by read_archive
        with dump.open("wb") as target:
            shutil.copyfileobj(source, target)
        with transaction.atomic():
            _empty_every_table()
            call_command("loaddata", str(dump), verbosity=0)
            ContentType.objects.clear_cache()
            record(
                actor=None,
                action="system.restore",
                changes={
                    "archive": path.name,
                    "created": manifest.get("created"),
                    "database": listed[DATABASE]["sha256"],
                },
            )
        for name, member in media.items():
            if _same(storage, name, listed[member]):
                continue
            if storage.exists(name):
                storage.delete(name)
            handle = archive.extractfile(member)
            assert handle is not None
            storage.save(name, File(handle, name=name))
    extra = [name for name in stored_files(storage) if name not in media]
    for name in extra:
        storage.delete(name)
    return Restored(
        rows=sum(manifest.get("rows", {}).values()), files=len(media), removed=len(extra)
    )
