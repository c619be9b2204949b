"""Telling people what happened: ``notify()`` and the notices other apps' services send.

Callers run these inside their own transaction: the rows are written with the change, and the
emails go out only after it commits (a rolled-back change sends nothing).
"""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from karnameh.accounts.models import Role, User
from karnameh.assessments.workflow import ROWS, has_hq
from karnameh.common.text import persian_digits
from karnameh.cycles.deadlines import Deadline
from karnameh.cycles.models import Cycle, Participation

from . import recipients
from .models import Notification
from .tasks import email_notifications


def _enqueue_emails(ids: list[int]) -> None:
    email_notifications.enqueue(ids)


def notify(*, users: Iterable[Any], kind: str, title: str, body: str = "", url: str = "") -> int:
    """One notification per distinct active user; emailed after commit. Returns the count."""
    seen: set[int] = set()
    recipients = []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        recipients.append(user)
    if not recipients:
        return 0
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        [
            Notification(
                user=user, kind=kind, title=title[:300], body=body, url=url, created_at=now
            )
            for user in recipients
        ]
    )
    ids = [row.pk for row in rows if row.pk is not None]
    if len(ids) != len(rows):
        # Backends that do not return keys from a bulk insert: find the rows just written.
        ids = list(
            Notification.objects.filter(user__in=recipients, kind=kind, created_at=now).values_list(
                "pk", flat=True
            )
        )
    transaction.on_commit(partial(_enqueue_emails, ids))
    return len(rows)


def _without(users: QuerySet[User], actor: Any) -> QuerySet[User]:
    """People are never told about what they did themselves."""
    pk = getattr(actor, "pk", None)
    return users.exclude(pk=pk) if pk is not None else users


def assessment_url(participation: Participation) -> str:
    return f"/assessments/{participation.cycle_id}/{participation.agency.code}/"


def notify_cycle_published(cycle: Cycle) -> int:
    """The participating agencies' users and offices, and the HQ users above them."""
    rows = list(cycle.participations.values_list("agency_id", "agency__headquarters_id"))
    users = recipients.cycle_audience([a for a, _h in rows], [h for _a, h in rows])
    with translation.override(settings.LANGUAGE_CODE):
        title = _("The performance evaluation circular for %(year)s has been published") % {
            "year": persian_digits(cycle.year)
        }
        body = _("%(cycle)s: see the circular and the calendar of steps.") % {
            "cycle": persian_digits(cycle.title)
        }
    return notify(
        users=users, kind="cycle_published", title=title, body=body, url=f"/cycles/{cycle.pk}/"
    )


def _reason(reason: str) -> str:
    return _("Reason: %(reason)s") % {"reason": reason} if reason else ""


def _messages(
    participation: Participation, name: str, reason: str
) -> list[tuple[QuerySet[User], str, str, str]]:
    """(recipients, kind, title, body) for each group told about this transition."""
    agency = participation.agency
    ids = [agency.pk]
    names = {"agency": agency.name, "cycle": persian_digits(participation.cycle.title)}
    hq = recipients.hq_users([agency.headquarters_id]) if has_hq(participation) else None
    if name == "submit":
        receipt = _(
            "Your self-assessment for %(cycle)s was submitted. Receipt number: %(receipt)s."
        )
        return [
            (
                recipients.agency_users(ids),
                "submitted",
                _("Self-assessment received: %(agency)s") % names,
                receipt % {**names, "receipt": persian_digits(participation.receipt)},
            ),
            (
                recipients.office_users(ids),
                "approval_needed",
                _("Approval needed: self-assessment of %(agency)s") % names,
                _(
                    "The self-assessment for %(cycle)s was submitted and awaits the steering "
                    "council's approval."
                )
                % names,
            ),
        ]
    if name == "withdraw":
        title = _("Self-assessment withdrawn for editing: %(agency)s") % names
        return [(recipients.office_users(ids), "withdrawn", title, _reason(reason))]
    if name == "office_approve":
        if hq is not None:
            body = _("The steering council approved it; it awaits the headquarters' approval.")
            title = _("Approval needed: self-assessment of %(agency)s") % names
            return [(hq, "approval_needed", title, body)]
        title = _("Ready to transfer: self-assessment of %(agency)s") % names
        body = _("The steering council's approval was recorded; transfer it to the organization.")
        return [(recipients.office_users(ids), "ready_to_transfer", title, body)]
    if name == "office_revoke":
        title = _("The steering council's approval was revoked: %(agency)s") % names
        return [(hq, "revoked", title, _reason(reason))] if hq is not None else []
    if name == "hq_approve":
        title = _("Approved by the headquarters: %(agency)s") % names
        body = _("The headquarters approved the self-assessment for %(cycle)s.") % names
        return [(recipients.agency_users(ids), "approved", title, body)]
    if name == "hq_revoke":
        title = _("The headquarters' approval was revoked: %(agency)s") % names
        return [(recipients.office_users(ids), "revoked", title, _reason(reason))]
    if name == "transfer":
        title = _("Self-assessment transferred: %(agency)s") % names
        body = _("The self-assessment for %(cycle)s was transferred to the organization.") % names
        staff = recipients.province_users(participation.cycle.province_id, [Role.STAFF])
        return [
            (staff, "transferred", title, body),
            (recipients.agency_users(ids), "transferred", title, body),
        ]
    if name in RETURNS:
        title = _("Returned with notes: self-assessment of %(agency)s") % names
        return [(recipients.agency_side(ids), "returned", title, _reason(reason))]
    return []


# Transitions that send the self-assessment back to the agency with notes.
RETURNS = frozenset(row.name for row in ROWS if row.returns)


def notify_transition(
    *, participation: Participation, name: str, actor: Any, reason: str = ""
) -> int:
    """Tell the people who must act next (or who should know) about a workflow move."""
    with translation.override(settings.LANGUAGE_CODE):
        messages = _messages(participation, name, reason)
    url = assessment_url(participation)
    return sum(
        notify(users=_without(users, actor), kind=kind, title=title, body=body, url=url)
        for users, kind, title, body in messages
    )


def notify_extension(*, participation: Participation, actor: Any) -> int:
    """The agency's users and office: their new deadline, as a Jalali date."""
    agency = participation.agency
    with translation.override(settings.LANGUAGE_CODE):
        until = Deadline(participation.extended_until, True).label()
        title = _("Deadline extended to %(date)s: %(agency)s") % {
            "date": until,
            "agency": agency.name,
        }
        body = _reason(participation.extension_reason)
    return notify(
        users=_without(recipients.agency_side([agency.pk]), actor),
        kind="extension",
        title=title,
        body=body,
        url=assessment_url(participation),
    )


# Reading is the person's own bookkeeping, not a change to the evaluation: no audit event.
def notification_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (again is harmless)."""
    if notification.user_id != getattr(actor, "pk", None):
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_read_all(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
