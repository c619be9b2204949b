"""``karnameh restore FILE --yes``: replace every table and stored file with an archive's
(``karnameh.common.backup``). Everything is checked before anything changes."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from karnameh.common.backup import BackupError, read_archive, restore
from karnameh.common.jalali import format_jalali_datetime
from karnameh.common.templatetags.fa import fa


class Command(BaseCommand):
    help = (
        "Replace the whole database and every stored file with a backup archive's. "
        "Checks the archive first; asks for confirmation unless --yes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="an archive written by karnameh backup")
        parser.add_argument("--yes", action="store_true", help="do not ask: replace everything now")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            manifest = read_archive(path)
            if not options["yes"]:
                answer = input(
                    _(
                        "Everything in this installation will be replaced by the backup of %s. "
                        "Type yes to go on: "
                    )
                    % format_jalali_datetime(dt.datetime.fromisoformat(manifest["created"]))
                )
                if answer.strip().lower() not in ("yes", "بله"):
                    raise CommandError(_("Nothing was changed."))
            done = restore(path)
        except BackupError as error:
            raise CommandError(_("Nothing was changed: %s") % error) from error
        self.stdout.write(
            _("Restored %(rows)s rows and %(files)s files (%(removed)s files removed).")
            % {
                "rows": fa(done.rows),
                "files": fa(done.files),
                "removed": fa(done.removed),
            }
        )
