"""Expert groups and their meetings: created, changed and recorded with an audit event each.

Members are the organization's side of the cycle's province that can review a score: its
staff and its evaluators. A change of members is refused if a new member may not decide an
objection already routed to the group (the rule ``services.objection_route`` applies).
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.audit.services import record
from karnameh.common.errors import DomainError
from karnameh.common.jalali import format_jalali_date
from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import Cycle
from karnameh.files.services import DOCUMENT_KINDS, store_upload

from .models import OPEN_STATES, ExpertGroup, Meeting, Objection
from .rules import may_sit
from .services import barred_members, barred_message, clean_text, name_of


def _members(cycle: Cycle, members: Iterable[Any]) -> list[Any]:
    people = {person.pk: person for person in members}
    if not people:
        raise DomainError(_("Choose at least one member."), code="no_members")
    outsiders = [p for p in people.values() if not may_sit(p, cycle)]
    if outsiders:
        raise DomainError(
            _(
                "%(names)s may not sit in an expert group of this cycle: members are the "
                "province's modernization group staff and evaluators."
            )
            % {"names": "، ".join(name_of(p) for p in outsiders)},
            code="not_eligible",
        )
    return sorted(people.values(), key=lambda p: p.get_username())


def group_create(
    *, actor: Any, cycle: Cycle, name: str, members: Iterable[Any], ip: str | None = None
) -> ExpertGroup:
    name = clean_text(name)[:200]
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        require(actor, "objection.group", locked)
        if not name:
            raise DomainError(_("Name the expert group."), code="name_required")
        if ExpertGroup.objects.filter(cycle=locked, name=name).exists():
            raise DomainError(
                _("This cycle already has an expert group named %(name)s.") % {"name": name},
                code="duplicate",
            )
        people = _members(locked, members)
        try:
            with transaction.atomic():
                group = ExpertGroup.objects.create(
                    cycle=locked, name=name, created_by=actor, created_at=timezone.now()
                )
        except IntegrityError:
            raise DomainError(
                _("This cycle already has an expert group named %(name)s.") % {"name": name},
                code="duplicate",
            ) from None
        group.members.set(people)
        record(
            actor=actor,
            action="objection.group_create",
            target=group,
            changes={"name": name, "members": [p.get_username() for p in people]},
            ip=ip,
        )
    return group


def group_members(
    *, actor: Any, group: ExpertGroup, members: Iterable[Any], ip: str | None = None
) -> ExpertGroup:
    """Replace the group's members."""
    with transaction.atomic():
        locked = (
            ExpertGroup.objects.select_for_update(of=("self",))
            .select_related("cycle")
            .get(pk=group.pk)
        )
        require(actor, "objection.group", locked.cycle)
        people = _members(locked.cycle, members)
        before = sorted(locked.members.values_list("username", flat=True))
        current = {p.pk for p in locked.members.all()}
        added = [p for p in people if p.pk not in current]
        for objection in Objection.objects.filter(
            group=locked, state__in=OPEN_STATES
        ).select_related("participation__agency", "original_evaluator"):
            barred = barred_members(objection, added)
            if barred:
                raise DomainError(barred_message(objection, barred), code="conflict_of_interest")
        locked.members.set(people)
        after = [p.get_username() for p in people]
        record(
            actor=actor,
            action="objection.group_members",
            target=locked,
            changes={"members": [before, after]},
            ip=ip,
        )
    return locked


def meeting_record(
    *,
    actor: Any,
    group: ExpertGroup,
    held_on: dt.date | None,
    present: Iterable[Any],
    minutes: UploadedFile | None,
    notes: str = "",
    ip: str | None = None,
) -> Meeting:
    """A meeting of the group: its date, the members present and its minutes (صورت‌جلسه)."""
    with transaction.atomic():
        locked = (
            ExpertGroup.objects.select_for_update(of=("self",))
            .select_related("cycle")
            .get(pk=group.pk)
        )
        require(actor, "objection.meeting", locked)
        if held_on is None:
            raise DomainError(_("Enter the date of the meeting."), code="date_required")
        today = timezone.now().astimezone(TEHRAN).date()
        if held_on > today:
            raise DomainError(
                _("The meeting's date %(date)s is in the future; record it after it is held.")
                % {"date": format_jalali_date(held_on)},
                code="future",
            )
        people = {p.pk: p for p in present}
        if not people:
            raise DomainError(_("Tick the members who were present."), code="no_members")
        members = set(locked.members.values_list("pk", flat=True))
        strangers = [p for pk, p in people.items() if pk not in members]
        if strangers:
            raise DomainError(
                _("%(names)s are not members of the expert group %(group)s.")
                % {"names": "، ".join(name_of(p) for p in strangers), "group": locked.name},
                code="not_members",
            )
        if minutes is None:
            raise DomainError(
                _("Attach the minutes (صورت‌جلسه) of the meeting."), code="minutes_required"
            )
        stored = store_upload(upload=minutes, actor=actor, allowed=DOCUMENT_KINDS)
        meeting = Meeting.objects.create(
            group=locked,
            held_on=held_on,
            minutes=stored,
            notes=clean_text(notes),
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        meeting.present.set(people.values())
        record(
            actor=actor,
            action="objection.meeting",
            target=meeting,
            changes={
                "group": locked.name,
                "held_on": held_on.isoformat(),
                "present": sorted(p.get_username() for p in people.values()),
                "minutes": [stored.name, stored.sha256],
            },
            ip=ip,
        )
    return meeting
