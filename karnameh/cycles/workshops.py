"""Training workshops of steps 2 (evaluators) and 4 (agencies), their materials and attendance.

Each change is locked, checked, saved and audited in one transaction, like services.py.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.agencies.models import Agency
from karnameh.audit.services import diff, record
from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits
from karnameh.files.models import StoredFile
from karnameh.files.services import EVIDENCE_KINDS, store_upload

from .models import Attendance, Cycle, CycleStatus, Workshop
from .steps import WORKSHOP_STEPS

# One attendance row: an agency's representative or a named person, and whether they came.
AttendanceRow = tuple[Agency | None, Any, str, bool]


def _snapshot(workshop: Workshop) -> dict[str, Any]:
    return {
        "step": workshop.step,
        "title": workshop.title,
        "audience": workshop.audience,
        "starts_at": workshop.starts_at,
        "place": workshop.place,
        "description": workshop.description,
    }


def _check_cycle(actor: Any, cycle: Cycle) -> Cycle:
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    require(actor, "cycle.change", locked)
    if locked.status == CycleStatus.CLOSED:
        raise DomainError(
            _("The cycle “%(title)s” is closed and can no longer be changed.")
            % {"title": locked.title},
            code="closed",
        )
    return locked


def workshop_save(
    *,
    actor: Any,
    cycle: Cycle,
    workshop: Workshop | None = None,
    step: int,
    title: str,
    audience: str,
    starts_at: dt.datetime,
    place: str,
    description: str = "",
    ip: str | None = None,
) -> Workshop:
    """Create a workshop of ``cycle`` (``workshop`` None) or change one of its workshops."""
    with transaction.atomic():
        locked_cycle = _check_cycle(actor, cycle)
        if step not in WORKSHOP_STEPS:
            raise DomainError(
                _("Workshops belong to step 2 or step 4, not step %(step)s.")
                % {"step": persian_digits(step)},
                code="invalid_step",
            )
        if audience not in Workshop.Audience.values:
            raise DomainError(_("Choose who the workshop is for."), code="invalid_audience")
        if not title.strip() or not place.strip():
            raise DomainError(_("A workshop needs a title and a place."), code="incomplete")
        if workshop is None:
            target = Workshop(cycle=locked_cycle)
            before: dict[str, Any] = {}
        else:
            target = Workshop.objects.select_for_update().get(pk=workshop.pk, cycle=locked_cycle)
            before = _snapshot(target)
        target.step, target.title, target.audience = step, title.strip(), audience
        target.starts_at, target.place, target.description = starts_at, place.strip(), description
        changes = diff(before, _snapshot(target))
        if changes:
            target.save()
            record(
                actor=actor,
                action="workshop.create" if workshop is None else "workshop.update",
                target=target,
                changes=changes,
                ip=ip,
            )
    return target


def workshop_material_add(
    *, actor: Any, workshop: Workshop, upload: UploadedFile, ip: str | None = None
) -> StoredFile:
    """A slide deck, handout or recording's notes for a workshop; returns the stored file."""
    with transaction.atomic():
        _check_cycle(actor, workshop.cycle)
        locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
        stored = store_upload(upload=upload, actor=actor, allowed=EVIDENCE_KINDS)
        locked.materials.add(stored)
        record(
            actor=actor,
            action="workshop.material",
            target=locked,
            changes={"material": [None, stored.name], "sha256": stored.sha256},
            ip=ip,
        )
    return stored


def attendance_record(
    *,
    actor: Any,
    workshop: Workshop,
    rows: Sequence[AttendanceRow],
    ip: str | None = None,
) -> list[Attendance]:
    """The workshop's attendance list, replaced by ``rows`` as a whole."""
    with transaction.atomic():
        cycle = _check_cycle(actor, workshop.cycle)
        locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
        taking_part = set(cycle.participations.values_list("agency_id", flat=True))
        built: list[Attendance] = []
        for number, (agency, user, name, attended) in enumerate(rows, start=1):
            if agency is not None and agency.pk not in taking_part:
                raise DomainError(
                    _("Row %(row)s: %(name)s does not take part in this cycle.")
                    % {"row": persian_digits(number), "name": agency.name},
                    code="not_participant",
                )
            shown = (name or "").strip()
            if not shown and user is not None:
                shown = user.get_full_name() or user.get_username()
            if not shown and agency is not None:
                shown = agency.name
            if not shown:
                raise DomainError(
                    _("Row %(row)s: write the name of the person who attended.")
                    % {"row": persian_digits(number)},
                    code="no_name",
                )
            built.append(
                Attendance(workshop=locked, agency=agency, user=user, name=shown, attended=attended)
            )
        before = list(locked.attendance.values_list("name", "attended"))
        locked.attendance.all().delete()
        Attendance.objects.bulk_create(built)
        record(
            actor=actor,
            action="workshop.attendance",
            target=locked,
            changes={
                "attendance": [before, [(row.name, row.attended) for row in built]],
            },
            ip=ip,
        )
    return list(locked.attendance.select_related("agency", "user"))
