"""``karnameh score``: score an answers file against a catalogue, offline (contract: scoring.md).

No database is touched: an agency, another system or an acceptance test can score with the
same engine the web app uses. Bad files exit with status 2 and a message on stderr naming the
file, the place and the problem; nothing is printed on stdout then.
"""

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from karnameh.scoring import (
    AnswersError,
    CatalogueError,
    Scorer,
    load_answers,
    load_catalogue,
    result_to_json,
)


class Command(BaseCommand):
    help = "Score an answers file (JSON) against a catalogue file (YAML); print the result as JSON."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--catalogue", required=True, help="catalogue file (YAML)")
        parser.add_argument("--answers", required=True, help="answers file (JSON)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            catalogue = load_catalogue(options["catalogue"])
            answers = load_answers(options["answers"], catalogue)
        except (CatalogueError, AnswersError) as error:
            sys.stderr.write(f"{error}\n")
            sys.exit(2)
        sys.stdout.write(result_to_json(Scorer(catalogue).score(answers)) + "\n")
