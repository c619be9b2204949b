"""``karnameh audit verify`` and ``karnameh audit head``: check the audit chain, and export its
head for keeping outside the system.

    karnameh audit verify                  # the first altered or missing event, or "holds"
    karnameh audit head -o head.json       # the last event's number and hash, as JSON
    karnameh audit verify --head head.json # also: is that event still there, unchanged?

``verify`` exits with status 1 when the chain is broken, so cron or monitoring can alert.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from karnameh.audit.services import HEAD_FORMAT, ChainBreak, chain_head, check_head, verify_chain
from karnameh.common.text import persian_digits


def _problem(broken: ChainBreak) -> str:
    number = persian_digits(broken.event_id)
    messages = {
        "content": _("event %(n)s has been altered: its content no longer matches its hash"),
        "link": _("the chain breaks at event %(n)s: the event before it was altered or deleted"),
        "missing": _("event %(n)s, the head kept outside, is no longer in the database"),
        "head": _("event %(n)s differs from the head kept outside: the chain was rewritten"),
    }
    return messages[broken.problem] % {"n": number}


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, or export its head to keep outside the system."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="find the first altered or missing event")
        verify.add_argument("--head", type=Path, help="a head exported earlier (JSON)")
        head = actions.add_parser("head", help="print the chain's head as JSON")
        head.add_argument("-o", "--output", type=Path, help="write it to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "head":
            text = json.dumps(chain_head(), ensure_ascii=False, indent=2)
            if options["output"]:
                options["output"].write_text(text + "\n", encoding="utf-8")
            else:
                self.stdout.write(text)
            return
        kept = _read_head(options["head"]) if options["head"] else None
        broken = verify_chain() or (check_head(kept) if kept else None)
        if broken is not None:
            raise CommandError(_("The audit chain is broken: %s.") % _problem(broken))
        head = chain_head()
        self.stdout.write(
            _("The audit chain holds: %(count)s events; the last is number %(n)s, %(hash)s.")
            % {
                "count": persian_digits(head["count"]),
                "n": persian_digits(head["event"] or 0),
                "hash": head["hash"] or "—",
            }
        )


def _read_head(path: Path) -> dict[str, Any]:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(
            _("Cannot read the head file %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error
    if (
        not isinstance(kept, dict)
        or kept.get("format") != HEAD_FORMAT
        or not (kept.get("event") is None or type(kept["event"]) is int)
        or not isinstance(kept.get("hash"), str)
    ):
        raise CommandError(
            _("%(path)s is not an audit head (its format should be %(format)s).")
            % {"path": path, "format": HEAD_FORMAT}
        )
    return kept
