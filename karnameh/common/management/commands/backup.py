"""``karnameh backup FILE``: the whole installation (every table, every stored file) as one
archive with checksums (``karnameh.common.backup``)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from karnameh.common.backup import backup
from karnameh.common.templatetags.fa import fa


class Command(BaseCommand):
    help = "Write every table and every stored file to one archive (tar.gz) with checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the archive to write, e.g. karnameh.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = backup(options["file"])
        files = sum(1 for name in manifest["members"] if name.startswith("media/"))
        self.stdout.write(
            _("Backup written to %(file)s: %(rows)s rows, %(files)s files.")
            % {
                "file": options["file"],
                "rows": fa(sum(manifest["rows"].values())),
                "files": fa(files),
            }
        )
