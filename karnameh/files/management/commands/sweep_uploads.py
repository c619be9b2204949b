"""``karnameh sweep_uploads``: delete stored files that no ``StoredFile`` row points to.

They are left by uploads whose transaction rolled back after the file was written (Django has
no rollback hook). Only files older than ``--hours`` are touched, so an upload still inside its
transaction is never taken.
"""

from datetime import timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from karnameh.files.models import StoredFile

ROOT = "uploads"


class Command(BaseCommand):
    help = "Delete uploaded files that no stored-file row points to (left by rolled-back uploads)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hours", type=int, default=24, help="only files older than this")
        parser.add_argument("--dry-run", action="store_true", help="list, do not delete")

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - timedelta(hours=options["hours"])
        orphans = [
            name for name in orphan_files() if default_storage.get_modified_time(name) < cutoff
        ]
        for name in orphans:
            if not options["dry_run"]:
                default_storage.delete(name)
            self.stdout.write(name)
        verb = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(f"{verb} {len(orphans)} orphan file(s).")


def orphan_files(folder: str = ROOT) -> list[str]:
    """Files under ``folder`` with no row; one query per folder (a month of uploads)."""
    # Not ``exists(folder)``: object storage (S3) has no folders, so it would say "no" and
    # nothing would ever be swept there. Local disk raises for a folder not yet made.
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}/{file}" for file in files]
    known = set(StoredFile.objects.filter(file__in=names).values_list("file", flat=True))
    found = [name for name in names if name not in known]
    for sub in sorted(folders):
        found += orphan_files(f"{folder}/{sub}")
    return found
