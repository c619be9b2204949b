"""``karnameh backup`` / ``karnameh restore``: a populated installation round-trips, every table
and every file; a damaged or foreign archive is refused before anything changes."""

import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from karnameh.accounts.models import User
from karnameh.audit.models import AuditEvent
from karnameh.audit.services import verify_chain
from karnameh.common.backup import BackupError, backup, restore
from karnameh.files.models import StoredFile
from karnameh.files.services import store_upload
from karnameh.files.tests.corpus import pdf
from karnameh.reports.tests.test_cards_builders import SAMPLE, published_cycle


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def tables() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model, by model, in key order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def files() -> dict[str, str]:
    from karnameh.common.backup import stored_files

    found = {}
    for name in stored_files():
        with default_storage.open(name, "rb") as handle:
            found[name] = hashlib.sha256(handle.read()).hexdigest()
    return found


def populated() -> None:
    """The demo, a published cycle with its results, and two evidence files."""
    published_cycle(SAMPLE)
    staff = User.objects.get(username="staff")
    with transaction.atomic():
        for name in ("مدرک یک.pdf", "مدرک دو.pdf"):
            upload = SimpleUploadedFile(name, pdf() + name.encode(), "application/pdf")
            store_upload(upload=upload, actor=staff)


def rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    """A copy of an archive with members changed (None drops one)."""
    with tarfile.open(source, "r:*") as old, tarfile.open(target, "w:gz") as new:
        for info in old.getmembers():
            handle = old.extractfile(info)
            assert handle is not None
            data = change(info.name, handle.read())
            if data is not None:
                fresh = tarfile.TarInfo(info.name)
                fresh.size = len(data)
                new.addfile(fresh, io.BytesIO(data))


def test_a_populated_installation_round_trips_every_table_and_file(
    demo: Any, media: Path, tmp_path: Path
) -> None:
    # given
    populated()
    before_tables, before_files = tables(), files()
    assert before_tables["results.Result"] and len(before_files) == 2
    archive = tmp_path / "karnameh.tar.gz"
    manifest = backup(archive)
    assert manifest["rows"]["results.Result"] == len(before_tables["results.Result"])
    # and then the installation changes: a row deleted, a row altered, a file lost, a new file
    StoredFile.objects.first().delete()
    User.objects.filter(username="staff").update(first_name="دیگر")
    default_storage.delete(next(iter(before_files)))
    default_storage.save("uploads/later/new", ContentFile(b"new"))
    assert tables() != before_tables
    # when
    done = restore(archive)
    # then every table is as it was, plus the restore's own audit event, chained on
    after = tables()
    restored_event = after["audit.AuditEvent"].pop()
    assert restored_event["action"] == "system.restore"
    assert after == before_tables
    assert files() == before_files
    assert verify_chain() is None
    assert (done.files, done.removed) == (2, 1)


def test_an_altered_file_in_the_archive_is_refused_and_nothing_changes(
    demo: Any, media: Path, tmp_path: Path
) -> None:
    # given
    populated()
    archive, altered = tmp_path / "good.tar.gz", tmp_path / "altered.tar.gz"
    backup(archive)
    victim = next(name for name in files())
    rewrite(
        archive,
        altered,
        lambda name, data: data + b"x" if name == f"media/{victim}" else data,
    )
    User.objects.filter(username="staff").update(first_name="پس از پشتیبان")
    before_tables, before_files = tables(), files()
    # when
    with pytest.raises(BackupError) as refused:
        restore(altered)
    # then
    assert victim in str(refused.value) and "چکیده" in str(refused.value)
    assert tables() == before_tables and files() == before_files


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda n, d: None if n == "database.json" else d, "database.json"),
        (lambda n, d: b"{}" if n == "manifest.json" else d, "karnameh-backup/1"),
        (
            lambda n, d: (
                json.dumps(
                    {
                        **json.loads(d),
                        "migrations": [*json.loads(d)["migrations"], "accounts.9999_future"],
                    }
                ).encode()
                if n == "manifest.json"
                else d
            ),
            "accounts.9999_future",
        ),
    ],
    ids=["database-missing", "not-a-backup", "other-migrations"],
)
def test_a_foreign_or_incomplete_archive_is_refused_by_its_problem(
    demo: Any, media: Path, tmp_path: Path, change: Any, words: str
) -> None:
    archive, bad = tmp_path / "good.tar.gz", tmp_path / "bad.tar.gz"
    backup(archive)
    rewrite(archive, bad, change)
    before = tables()
    with pytest.raises(BackupError) as refused:
        restore(bad)
    assert words in str(refused.value)
    assert tables() == before


def test_a_member_named_outside_the_storage_is_refused(
    demo: Any, media: Path, tmp_path: Path
) -> None:
    # given: "media/../../outside", listed in the manifest with its right checksum
    archive, evil = tmp_path / "good.tar.gz", tmp_path / "evil.tar.gz"
    backup(archive)
    sneaky = "media/../../outside"
    with tarfile.open(archive, "r:gz") as old, tarfile.open(evil, "w:gz") as new:
        for info in old.getmembers():
            handle = old.extractfile(info)
            assert handle is not None
            data = handle.read()
            if info.name == "manifest.json":
                manifest = json.loads(data)
                manifest["members"][sneaky] = {
                    "sha256": hashlib.sha256(b"x").hexdigest(),
                    "size": 1,
                }
                data = json.dumps(manifest).encode()
            fresh = tarfile.TarInfo(info.name)
            fresh.size = len(data)
            new.addfile(fresh, io.BytesIO(data))
        extra = tarfile.TarInfo(sneaky)
        extra.size = 1
        new.addfile(extra, io.BytesIO(b"x"))
    before = tables()
    # when
    with pytest.raises(BackupError) as refused:
        restore(evil)
    # then
    assert sneaky in str(refused.value)
    assert not (tmp_path / "outside").exists()
    assert tables() == before


def test_the_commands_ask_before_replacing_and_say_what_they_did(
    demo: Any, media: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    archive = tmp_path / "karnameh.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "karnameh.tar.gz" in out.getvalue() and "ردیف" in out.getvalue()
    events = AuditEvent.objects.count()
    monkeypatch.setattr("builtins.input", lambda prompt: "نه")
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))
    assert "تغییری" in str(refused.value)
    assert AuditEvent.objects.count() == events  # nothing restored, nothing recorded
    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "بازگردانده" in out.getvalue()
    assert AuditEvent.objects.count() == events + 1
