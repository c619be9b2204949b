"""The daily reminders: deadlines 7, 3 and 1 days ahead, and steps that open today.

Run once a day or ten times: each reminder has a key in ``Reminder`` and is sent once. Keys
carry the date they are about, so an extension or a moved step earns fresh reminders.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from karnameh.accounts.models import Role, User
from karnameh.assessments.workflow import has_hq
from karnameh.common.jalali import format_jalali_date
from karnameh.common.text import persian_digits
from karnameh.cycles.deadlines import TEHRAN, deadline
from karnameh.cycles.models import AssessmentState as S
from karnameh.cycles.models import Cycle, CycleStatus, Participation, Step
from karnameh.cycles.steps import SELF_ASSESSMENT, STEP_BY_NUMBER, TRANSFER

from . import recipients
from .models import Reminder
from .services import assessment_url, notify

# Days before a deadline on which the people who must act are reminded.
DAYS_AHEAD = (7, 3, 1)
PROVINCE_ROLES = (Role.STAFF, Role.EVALUATOR, Role.DEPUTY, Role.COUNCIL)


@dataclass(frozen=True)
class Due:
    """One reminder to send, unless its key was sent before."""

    key: str
    users: QuerySet[User]
    kind: str
    title: str
    body: str
    url: str


@dataclass(frozen=True)
class Sent:
    reminders: int
    notifications: int


def _days_left(p: Participation, number: int, today: dt.date) -> tuple[int, dt.date] | None:
    """Whole Tehran days until the step closes for this agency, and its last open day."""
    closes = deadline(p, number).closes
    if closes is None:
        return None
    closing_day = closes.astimezone(TEHRAN).date()
    if closes.astimezone(TEHRAN).time() != dt.time():
        # An extension to a moment inside a day keeps that whole day open.
        closing_day += dt.timedelta(days=1)
    return (closing_day - today).days, closing_day - dt.timedelta(days=1)


def _approvers(p: Participation) -> QuerySet[User] | None:
    """Who must act before the transfer deadline, by where the self-assessment stands."""
    agency = [p.agency_id]
    if p.state == S.SUBMITTED:
        return recipients.office_users(agency)
    if p.state == S.OFFICE_APPROVED:
        if has_hq(p):
            return recipients.hq_users([p.agency.headquarters_id])
        return recipients.office_users(agency)
    if p.state == S.HQ_APPROVED:
        return recipients.hq_users([p.agency.headquarters_id])
    return None


def _deadline_reminders(p: Participation, today: dt.date) -> Iterator[Due]:
    names = {"agency": p.agency.name}
    if p.state in (S.NOT_STARTED, S.DRAFT):
        left = _days_left(p, SELF_ASSESSMENT, today)
        if left and left[0] in DAYS_AHEAD:
            days, last = left
            title = ngettext(
                "%(days)s day left to enter the self-assessment: %(agency)s",
                "%(days)s days left to enter the self-assessment: %(agency)s",
                days,
            )
            yield Due(
                f"deadline:{SELF_ASSESSMENT}:{p.pk}:{p.state}:{last.isoformat()}:{days}",
                recipients.agency_side([p.agency_id]),
                "deadline",
                title % {**names, "days": persian_digits(days)},
                _("The last day is %(date)s.") % {"date": format_jalali_date(last)},
                assessment_url(p),
            )
    approvers = _approvers(p)
    if approvers is not None:
        left = _days_left(p, TRANSFER, today)
        if left and left[0] in DAYS_AHEAD:
            days, last = left
            title = ngettext(
                "%(days)s day left to approve and transfer the self-assessment: %(agency)s",
                "%(days)s days left to approve and transfer the self-assessment: %(agency)s",
                days,
            )
            yield Due(
                f"deadline:{TRANSFER}:{p.pk}:{p.state}:{last.isoformat()}:{days}",
                approvers,
                "deadline",
                title % {**names, "days": persian_digits(days)},
                _("The last day is %(date)s.") % {"date": format_jalali_date(last)},
                assessment_url(p),
            )


def _step_reminders(step: Step, agency_ids: list[int]) -> Iterator[Due]:
    kind = STEP_BY_NUMBER.get(step.number)
    if kind is None:
        return
    cycle = step.cycle
    if kind.role in PROVINCE_ROLES:
        users = recipients.province_users(cycle.province_id, [kind.role])
    else:
        users = recipients.agency_side(agency_ids)
    title = _("Step %(number)s has started: %(title)s") % {
        "number": persian_digits(step.number),
        "title": kind.title,
    }
    body = _("%(cycle)s. The step runs until %(date)s.") % {
        "cycle": persian_digits(cycle.title),
        "date": format_jalali_date(step.planned_end),
    }
    yield Due(
        f"step:{step.pk}:{step.planned_start.isoformat()}",
        users,
        "step_opening",
        title,
        body,
        f"/cycles/{cycle.pk}/",
    )


def _due(today: dt.date) -> Iterator[Due]:
    published = Cycle.objects.exclude(status=CycleStatus.DRAFT)
    participations = (
        Participation.objects.filter(cycle__in=published)
        .select_related("cycle", "agency")
        .prefetch_related("cycle__steps")
        .order_by("pk")
    )
    agencies: dict[int, list[int]] = {}
    for p in participations:
        agencies.setdefault(p.cycle_id, []).append(p.agency_id)
        yield from _deadline_reminders(p, today)
    opening = Step.objects.filter(cycle__in=published, planned_start=today).select_related("cycle")
    for step in opening.order_by("pk"):
        yield from _step_reminders(step, agencies.get(step.cycle_id, []))


def send_reminders(now: dt.datetime | None = None) -> Sent:
    """Send today's reminders (Tehran's today) that were not sent before."""
    now = now or timezone.now()
    today = now.astimezone(TEHRAN).date()
    reminders = notifications = 0
    with translation.override(settings.LANGUAGE_CODE):
        for due in _due(today):
            # One transaction per reminder: its key and its notifications land together.
            with transaction.atomic():
                reminder, created = Reminder.objects.get_or_create(
                    key=due.key, defaults={"sent_at": now}
                )
                if not created:
                    continue
                count = notify(
                    users=due.users, kind=due.kind, title=due.title, body=due.body, url=due.url
                )
                reminder.recipients = count
                reminder.save(update_fields=["recipients"])
            reminders += 1
            notifications += count
    return Sent(reminders, notifications)
