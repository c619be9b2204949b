"""``karnameh remind``: today's deadline and step reminders; cron runs it once a day."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from karnameh.inquiries.reminders import inquiries_remind
from karnameh.notifications.reminders import send_reminders
from karnameh.notifications.tasks import remind


class Command(BaseCommand):
    help = (
        "Send today's reminders (deadlines in 7, 3 and 1 days; steps opening today; overdue "
        "inquiries). "
        "Safe to run again: nothing is sent twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the task worker (karnameh db_worker) instead of doing it now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = remind.enqueue()
            self.stdout.write(f"Reminders queued as task {result.id}.")
            return
        sent = send_reminders()
        self.stdout.write(
            f"Reminders sent: {sent.reminders} (notifications: {sent.notifications})."
        )
        # Overdue inquiries (inquiries app): said only when there were some.
        late = inquiries_remind()
        if late.inquiries:
            self.stdout.write(
                f"Overdue inquiries reminded: {late.inquiries} "
                f"(notifications: {late.notifications})."
            )
