"""Every change to a cycle: locked, checked, changed and audited in one transaction.

The pages and the API call these and nothing else. Workshops and attendance are in
``workshops.py``.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.agencies.models import Agency, AgencyKind, AgencyType
from karnameh.audit.services import diff, record
from karnameh.catalogue.models import Catalogue, Kind, Level
from karnameh.catalogue.selectors import visible_catalogues
from karnameh.catalogue.services import catalogue_freeze
from karnameh.catalogue.store import engine_catalogue
from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits
from karnameh.files.services import DOCUMENT_KINDS, store_upload
from karnameh.notifications.services import notify_cycle_published
from karnameh.scoring.numbers import written
from karnameh.scoring.weights import WeightError, check_composition, check_weights

from .models import Cycle, CycleStatus, Participation, Step, WeightSet
from .steps import STEP_BY_NUMBER, planned_dates

# Kinds of agency that take part in a national cycle; a provincial one takes its province's units.
NATIONAL_KINDS = (AgencyKind.HEADQUARTERS, AgencyKind.AFFILIATED)


def _checked_composition(composition: Mapping[str, object]) -> dict[str, int | float]:
    try:
        checked = check_composition(composition)
    except WeightError as error:
        raise DomainError(error.message, code="invalid_composition") from None
    return {part: written(value) for part, value in checked.items()}


def lock_cycle(cycle: Cycle) -> Cycle:
    """The cycle's row, locked for the transaction (its own row only: PostgreSQL refuses
    ``FOR UPDATE`` on a nullable join). Every service that changes a cycle's state starts here."""
    return Cycle.objects.select_for_update(of=("self",)).select_related("province").get(pk=cycle.pk)


def _refuse_closed(cycle: Cycle) -> None:
    if cycle.status == CycleStatus.CLOSED:
        raise DomainError(
            _("The cycle “%(title)s” is closed and can no longer be changed.")
            % {"title": cycle.title},
            code="closed",
        )


def cycle_create(
    *,
    actor: Any,
    year: int,
    level: str,
    province: Any,
    title: str,
    general_catalogue: Catalogue,
    start: dt.date,
    composition: Mapping[str, object] | None = None,
    ip: str | None = None,
) -> Cycle:
    """A draft cycle with its twelve steps laid end to end from ``start``; freezes the catalogue."""
    if level == Level.NATIONAL:
        province = None
    cycle = Cycle(year=year, level=level, province=province, title=title.strip())
    # Checked on the unsaved cycle: staff create cycles of their own province only.
    require(actor, "cycle.create", cycle)
    if level == Level.PROVINCIAL and province is None:
        raise DomainError(_("A provincial cycle needs a province."), code="no_province")
    if not cycle.title:
        raise DomainError(_("The cycle needs a title."), code="no_title")
    catalogue = visible_catalogues(actor).filter(pk=general_catalogue.pk).first()
    if catalogue is None or catalogue.kind != Kind.GENERAL:
        raise DomainError(
            _("“%(title)s” is not a catalogue of general indicators you can use.")
            % {"title": general_catalogue.title},
            code="invalid_catalogue",
        )
    if catalogue.level != level:
        raise DomainError(
            _("The catalogue “%(title)s” is for the %(catalogue_level)s level, not %(level)s.")
            % {
                "title": catalogue.title,
                "catalogue_level": Level(catalogue.level).label,
                "level": Level(level).label,
            },
            code="invalid_catalogue",
        )
    cycle.general_catalogue = catalogue
    if composition is not None:
        cycle.composition = _checked_composition(composition)
    with transaction.atomic():
        taken = Cycle.objects.filter(year=year, level=level, province=province)
        if taken.exists():
            raise DomainError(
                _("There is already a cycle for %(year)s at this level in %(place)s.")
                % {
                    "year": persian_digits(year),
                    "place": province.name if province else _("the country"),
                },
                code="duplicate",
            )
        cycle.save()
        Step.objects.bulk_create(
            Step(cycle=cycle, number=number, planned_start=first, planned_end=last)
            for number, first, last in planned_dates(start)
        )
        # A cycle scores with this catalogue from now on: it must never change again.
        catalogue_freeze(
            actor=actor,
            catalogue=catalogue,
            reason=_("Used by the cycle “%(title)s”.") % {"title": cycle.title},
            ip=ip,
            for_cycle=True,
        )
        record(
            actor=actor,
            action="cycle.create",
            target=cycle,
            changes={
                "year": [None, year],
                "level": [None, level],
                "province": [None, province.code if province else None],
                "title": [None, cycle.title],
                "general_catalogue": [None, catalogue.code],
                "composition": [None, cycle.composition],
                "start": [None, start.isoformat()],
            },
            ip=ip,
        )
    return cycle


def cycle_update(
    *,
    actor: Any,
    cycle: Cycle,
    title: str | None = None,
    composition: Mapping[str, object] | None = None,
    reason: str = "",
    ip: str | None = None,
) -> Cycle:
    """Change a cycle's title or its composition of general and specific parts."""
    with transaction.atomic():
        locked = lock_cycle(cycle)
        require(actor, "cycle.change", locked)
        _refuse_closed(locked)
        before = {"title": locked.title, "composition": locked.composition}
        if title is not None:
            if not title.strip():
                raise DomainError(_("The cycle needs a title."), code="no_title")
            locked.title = title.strip()
        if composition is not None:
            locked.composition = _checked_composition(composition)
        changes = diff(before, {"title": locked.title, "composition": locked.composition})
        if changes:
            locked.save(update_fields=["title", "composition"])
            record(
                actor=actor,
                action="cycle.update",
                target=locked,
                changes=changes,
                reason=reason,
                ip=ip,
            )
    return locked


def weights_set(
    *,
    actor: Any,
    cycle: Cycle,
    agency_type: AgencyType,
    weights: Mapping[str, object],
    reason: str = "",
    ip: str | None = None,
) -> WeightSet:
    """The general indicators' weights for one agency type; an indicator not named weighs 1."""
    with transaction.atomic():
        locked = lock_cycle(cycle)
        require(actor, "cycle.change", locked)
        _refuse_closed(locked)
        try:
            checked = check_weights(engine_catalogue(locked.general_catalogue), weights)
        except WeightError as error:
            raise DomainError(error.message, code="invalid_weights") from None
        # Only the indicators named are kept (the others weigh 1), in the files' number style.
        stored = {code: written(checked[code]) for code in weights}
        weight_set, created = WeightSet.objects.select_for_update().get_or_create(
            cycle=locked, agency_type=agency_type
        )
        before = {} if created else dict(weight_set.weights)
        weight_set.weights = stored
        weight_set.save(update_fields=["weights"])
        record(
            actor=actor,
            action="cycle.weights",
            target=locked,
            changes={"agency_type": agency_type.code, "weights": [before, stored]},
            reason=reason,
            ip=ip,
        )
    return weight_set


def _lock_step(step: Step) -> Step:
    return Step.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=step.pk)


def _hold_participations(cycle: Cycle) -> None:
    """Wait for every agency's change in flight and hold back the next until this commits.

    A save or a submission checks the deadline after it locks its participation, but it does
    not lock the step it reads: without this, one that read the old end could commit after the
    new end did (found by reliability/test_deadline_race.py). Rows are taken in key order, so
    two of these cannot deadlock each other.
    """
    list(
        Participation.objects.select_for_update()
        .filter(cycle=cycle)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _step_name(step: Step) -> str:
    return _("Step %(number)s (%(title)s)") % {
        "number": persian_digits(step.number),
        "title": STEP_BY_NUMBER[step.number].title,
    }


def step_update(
    *,
    actor: Any,
    step: Step,
    planned_start: dt.date,
    planned_end: dt.date,
    reason: str = "",
    ip: str | None = None,
) -> Step:
    """Move a step on the calendar."""
    with transaction.atomic():
        locked = _lock_step(step)
        require(actor, "cycle.change", locked.cycle)
        _refuse_closed(locked.cycle)
        if planned_end < planned_start:
            raise DomainError(
                _("%(step)s cannot end before it starts.") % {"step": _step_name(locked)},
                code="ends_before_start",
            )
        before = {"planned_start": locked.planned_start, "planned_end": locked.planned_end}
        locked.planned_start, locked.planned_end = planned_start, planned_end
        changes = diff(before, {"planned_start": planned_start, "planned_end": planned_end})
        if changes:
            _hold_participations(locked.cycle)
            locked.save(update_fields=["planned_start", "planned_end"])
            record(
                actor=actor,
                action="cycle.step_update",
                target=locked.cycle,
                changes={"step": locked.number, **changes},
                reason=reason,
                ip=ip,
            )
    return locked


def step_start(*, actor: Any, step: Step, ip: str | None = None) -> Step:
    """The step has actually begun (now)."""
    with transaction.atomic():
        locked = _lock_step(step)
        require(actor, "cycle.change", locked.cycle)
        _refuse_closed(locked.cycle)
        if locked.actual_start is not None:
            raise DomainError(
                _("%(step)s has already started.") % {"step": _step_name(locked)},
                code="started",
            )
        locked.actual_start = timezone.now()
        locked.save(update_fields=["actual_start"])
        record(
            actor=actor,
            action="cycle.step_start",
            target=locked.cycle,
            changes={"step": locked.number, "actual_start": [None, locked.actual_start]},
            ip=ip,
        )
    return locked


def step_finish(*, actor: Any, step: Step, ip: str | None = None) -> Step:
    """The step has actually ended (now); it must have started."""
    with transaction.atomic():
        locked = _lock_step(step)
        require(actor, "cycle.change", locked.cycle)
        _refuse_closed(locked.cycle)
        if locked.actual_start is None:
            raise DomainError(
                _("%(step)s has not started yet.") % {"step": _step_name(locked)},
                code="not_started",
            )
        if locked.actual_end is not None:
            raise DomainError(
                _("%(step)s has already ended.") % {"step": _step_name(locked)},
                code="finished",
            )
        locked.actual_end = timezone.now()
        locked.save(update_fields=["actual_end"])
        record(
            actor=actor,
            action="cycle.step_finish",
            target=locked.cycle,
            changes={"step": locked.number, "actual_end": [None, locked.actual_end]},
            ip=ip,
        )
    return locked


def eligible_agencies(cycle: Cycle) -> Any:
    """Agencies that may take part: the province's active units, or national bodies."""
    queryset = Agency.objects.filter(is_active=True).select_related("agency_type", "parent")
    if cycle.level == Level.NATIONAL:
        return queryset.filter(kind__in=NATIONAL_KINDS)
    if cycle.province_id is None:
        return queryset.none()
    return queryset.filter(province_id=cycle.province_id)


def participants_set(
    *,
    actor: Any,
    cycle: Cycle,
    agencies: list[Agency],
    reason: str = "",
    ip: str | None = None,
) -> list[Participation]:
    """Step 3: exactly these agencies take part. One that has begun its answers stays."""
    with transaction.atomic():
        locked = lock_cycle(cycle)
        require(actor, "cycle.change", locked)
        _refuse_closed(locked)
        wanted = {agency.pk: agency for agency in agencies}
        allowed = set(eligible_agencies(locked).filter(pk__in=wanted).values_list("pk", flat=True))
        refused = sorted((a for pk, a in wanted.items() if pk not in allowed), key=lambda a: a.code)
        if refused:
            raise DomainError(
                _("These agencies cannot take part in this cycle: %(names)s.")
                % {"names": "، ".join(a.name for a in refused)},
                code="not_eligible",
            )
        current = {
            p.agency_id: p for p in locked.participations.select_related("agency").order_by("pk")
        }
        removed = [p for agency_id, p in current.items() if agency_id not in wanted]
        started = [p.agency.name for p in removed if p.answers.exists()]
        if started:
            raise DomainError(
                _("These agencies have already entered answers and cannot be removed: %(names)s.")
                % {"names": "، ".join(started)},
                code="has_answers",
            )
        for participation in removed:
            try:
                participation.delete()
            except ProtectedError:
                raise DomainError(
                    _("%(name)s already has records in this cycle and cannot be removed.")
                    % {"name": participation.agency.name},
                    code="protected",
                ) from None
        added = [
            Participation(cycle=locked, agency=agency)
            for pk, agency in sorted(wanted.items(), key=lambda item: item[1].code)
            if pk not in current
        ]
        Participation.objects.bulk_create(added)
        if added or removed:
            record(
                actor=actor,
                action="cycle.participants",
                target=locked,
                changes={
                    "added": sorted(p.agency.code for p in added),
                    "removed": sorted(p.agency.code for p in removed),
                },
                reason=reason,
                ip=ip,
            )
    return list(locked.participations.select_related("agency"))


def circular_attach(
    *, actor: Any, cycle: Cycle, upload: UploadedFile, ip: str | None = None
) -> Cycle:
    """The circular (بخشنامه) published with the cycle; replaced freely until publication."""
    with transaction.atomic():
        locked = lock_cycle(cycle)
        require(actor, "cycle.change", locked)
        if locked.is_published:
            raise DomainError(
                _("The cycle is published: its circular can no longer be replaced."),
                code="published",
            )
        before = locked.circular.name if locked.circular_id else None  # type: ignore[union-attr]
        stored = store_upload(upload=upload, actor=actor, allowed=DOCUMENT_KINDS)
        locked.circular = stored
        locked.save(update_fields=["circular"])
        record(
            actor=actor,
            action="cycle.circular",
            target=locked,
            changes={"circular": [before, stored.name], "sha256": stored.sha256},
            ip=ip,
        )
    return locked


def cycle_publish(*, actor: Any, cycle: Cycle, ip: str | None = None) -> Cycle:
    """Publish the cycle with its circular: step 1 begins and every participant is told."""
    with transaction.atomic():
        locked = lock_cycle(cycle)
        require(actor, "cycle.publish", locked)
        if locked.is_published:
            raise DomainError(
                _("The cycle “%(title)s” is already published.") % {"title": locked.title},
                code="published",
            )
        missing = []
        if locked.circular_id is None:
            missing.append(_("the circular"))
        if not locked.participations.exists():
            missing.append(_("the participating agencies"))
        if missing:
            raise DomainError(
                _("The cycle cannot be published without %(missing)s.")
                % {"missing": _(" and ").join(missing)},
                code="incomplete",
            )
        now = timezone.now()
        locked.status = CycleStatus.PUBLISHED
        locked.published_at = now
        locked.published_by = actor
        locked.save(update_fields=["status", "published_at", "published_by"])
        locked.steps.filter(number=1, actual_start__isnull=True).update(actual_start=now)
        record(
            actor=actor,
            action="cycle.publish",
            target=locked,
            changes={"status": [CycleStatus.DRAFT, CycleStatus.PUBLISHED]},
            ip=ip,
        )
        # Rows written here, in the transaction; their emails go after the commit.
        notify_cycle_published(locked)
    return locked


# The workshops' services live in workshops.py; they are part of this module's surface.
from .workshops import attendance_record as attendance_record  # noqa: E402
from .workshops import workshop_material_add as workshop_material_add  # noqa: E402
from .workshops import workshop_save as workshop_save  # noqa: E402
