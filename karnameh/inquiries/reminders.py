"""Reminding assessing bodies of overdue inquiries; ``karnameh remind`` runs it once a day.

Each overdue inquiry is reminded at most once per Tehran day (``Inquiry.reminded_at``), so
the command can run ten times a day. The body's users get one notification per run listing
how many of their inquiries are late, not one per agency; each inquiry's reminder is counted
on it and audited. Cycles whose scores the deputy has approved are left alone: an answer
could no longer change anything.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from karnameh.audit.services import record
from karnameh.common.jalali import format_jalali_date
from karnameh.common.text import persian_digits
from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import CycleStatus
from karnameh.notifications.services import notify
from karnameh.results.models import Approval, Stage

from .models import Inquiry, State
from .selectors import overdue
from .services import INBOX_URL, body_users


@dataclass(frozen=True)
class Reminded:
    inquiries: int
    notifications: int


def _reminded_today(inquiry: Inquiry, today: dt.date) -> bool:
    last = inquiry.reminded_at
    return last is not None and last.astimezone(TEHRAN).date() >= today


def inquiries_remind(*, now: dt.datetime | None = None) -> Reminded:
    """Remind each body of its overdue inquiries not yet reminded today (Tehran)."""
    now = now or timezone.now()
    today = now.astimezone(TEHRAN).date()
    locked_cycles = Approval.objects.filter(stage=Stage.DEPUTY, withdrawn_at__isnull=True).values(
        "cycle"
    )
    late = (
        overdue(now)
        .filter(cycle__status=CycleStatus.PUBLISHED)
        .exclude(cycle__in=locked_cycles)
        .values_list("topic__body_id", "pk")
    )
    bodies: dict[int, list[int]] = {}
    for body_id, pk in late:
        bodies.setdefault(body_id, []).append(pk)
    count = notifications = 0
    for body_id, pks in bodies.items():
        # One transaction per body: its reminders, their audit events and its notice together.
        with transaction.atomic():
            rows = [
                row
                for row in Inquiry.objects.select_for_update(of=("self",))
                .select_related("topic", "participation__agency")
                .filter(pk__in=pks, state=State.SENT, due_at__lte=now)
                .order_by("due_at", "pk")
                if not _reminded_today(row, today)
            ]
            if not rows:
                continue
            for row in rows:
                before = row.reminders
                row.reminders, row.reminded_at = before + 1, now
                row.save(update_fields=["reminders", "reminded_at"])
                record(
                    actor=None,
                    action="inquiry.remind",
                    target=row,
                    changes={"reminders": [before, row.reminders], "days_late": row.days_late(now)},
                )
            notifications += _notice(body_id, rows)
            count += len(rows)
    return Reminded(count, notifications)


def _notice(body_id: int, rows: list[Inquiry]) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        title = ngettext(
            "%(count)s overdue inquiry awaits your answer",
            "%(count)s overdue inquiries await your answer",
            len(rows),
        ) % {"count": persian_digits(len(rows))}
        body = _("The oldest was due on %(date)s: %(topic)s – %(agency)s.") % {
            "date": format_jalali_date(rows[0].last_day()),
            "topic": rows[0].topic.title,
            "agency": rows[0].participation.agency.name,
        }
    return notify(
        users=body_users(body_id),
        kind="inquiry_overdue",
        title=title,
        body=body,
        url=f"{INBOX_URL}?state=overdue",
    )
