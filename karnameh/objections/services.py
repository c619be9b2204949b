"""Every change to an objection: locked, checked, saved and audited in one transaction.

Filing locks the agency's participation row (two filings on one gauge never both pass the
"one open objection" check); the other moves lock the objection itself. Each calls
``results.locks.refuse_if_locked`` under its lock: after the deputy's final approval nothing
here changes. Groups and meetings are in ``groups``.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.assessments.answers import MAX_TEXT, clean_answer
from karnameh.assessments.scoring import self_score
from karnameh.audit.services import record
from karnameh.common.errors import DomainError, Forbidden
from karnameh.common.text import normalize_fa, persian_digits
from karnameh.cycles.models import Participation
from karnameh.evaluations.suggest import conflict_reason
from karnameh.files.services import EVIDENCE_KINDS, store_upload
from karnameh.results.locks import refuse_if_locked
from karnameh.scoring import GaugeResult
from karnameh.scoring.engine import NOT_APPLICABLE, SCORED
from karnameh.scoring.numbers import fa, written

from . import notices
from .models import ExpertGroup, Meeting, Objection, ObjectionState
from .standing import Standing, reviewers, standing
from .window import check_window
from .workflow import check

MAX_EVIDENCE = 10


def name_of(user: Any) -> str:
    return str(getattr(user, "display_name", "") or user.get_username())


def clean_text(value: str | None) -> str:
    return normalize_fa(value or "").strip()[:MAX_TEXT]


def _locked_participation(participation: Participation) -> Participation:
    return (
        Participation.objects.select_for_update(of=("self",))
        .select_related("cycle", "agency", "specific_catalogue", "cycle__general_catalogue")
        .get(pk=participation.pk)
    )


def _locked(objection: Objection) -> Objection:
    return (
        Objection.objects.select_for_update(of=("self",))
        .select_related(
            "participation__cycle",
            "participation__agency",
            "participation__specific_catalogue",
            "group",
            "original_evaluator",
        )
        .get(pk=objection.pk)
    )


def _objectable(participation: Participation, part: str, code: str) -> Standing:
    """The gauge's standing if it has a score to object to; else a message naming the gauge."""
    found = standing(participation, part, code)
    shown = persian_digits(code)
    if found is None:
        raise DomainError(
            _("Gauge %(code)s is not in this agency's indicators.") % {"code": shown},
            code="not_found",
        )
    if found.later:
        raise DomainError(
            _(
                "Gauge %(code)s (convergence) is computed from the final scores; object to the "
                "gauges it is computed from instead."
            )
            % {"code": shown},
            code="not_scored",
        )
    if not found.scored:
        raise DomainError(
            _("Gauge %(code)s has no score yet to object to.") % {"code": shown},
            code="not_scored",
        )
    return found


def _check_new(participation: Participation, part: str, code: str, reasoning: str) -> None:
    held = Objection.objects.filter(
        participation=participation,
        part=part,
        gauge_code=code,
        state__in=[ObjectionState.FILED, ObjectionState.ROUTED],
    ).first()
    if held is not None:
        raise DomainError(
            _(
                "An objection to gauge %(code)s is already open; wait for its decision or "
                "withdraw it first."
            )
            % {"code": persian_digits(code)},
            code="already_open",
        )
    if not reasoning:
        raise DomainError(
            _("Write the reasoning of the objection to gauge %(code)s.")
            % {"code": persian_digits(code)},
            code="reasoning_required",
        )


def _create(
    *,
    actor: Any,
    participation: Participation,
    part: str,
    gauge_code: str,
    reasoning: str,
    uploads: Sequence[UploadedFile],
    in_person: bool,
    representative: str = "",
    ip: str | None,
) -> Objection:
    """The checks both ways of filing share, then the row, its files and the audit event."""
    refuse_if_locked(participation.cycle)
    check_window(participation.cycle)
    found = _objectable(participation, part, gauge_code)
    reasoning = clean_text(reasoning)
    _check_new(participation, part, gauge_code, reasoning)
    if len(uploads) > MAX_EVIDENCE:
        raise DomainError(
            _("Attach at most %(count)s files to an objection.") % {"count": fa(MAX_EVIDENCE)},
            code="too_many_files",
        )
    assert found.result is not None
    objection = Objection.objects.create(
        participation=participation,
        part=part,
        gauge_code=gauge_code,
        reasoning=reasoning,
        filed_by=None if in_person else actor,
        filed_at=timezone.now(),
        in_person=in_person,
        recorded_by=actor if in_person else None,
        representative=clean_text(representative)[:200],
        original_evaluator=found.original_evaluator,
        source=found.source or "",
        old_score=found.result.score,
    )
    stored = [store_upload(upload=u, actor=actor, allowed=EVIDENCE_KINDS) for u in uploads]
    objection.evidence.set(stored)
    record(
        actor=actor,
        action="objection.record" if in_person else "objection.file",
        target=objection,
        changes={
            "agency": participation.agency.code,
            "part": part,
            "gauge": gauge_code,
            "state": [None, objection.state],
            "in_person": in_person,
            "representative": objection.representative,
            "files": [[f.name, f.sha256] for f in stored],
        },
        reason=reasoning,
        ip=ip,
    )
    notices.filed(objection, actor)
    return objection


def objection_file(
    *,
    actor: Any,
    participation: Participation,
    part: str,
    gauge_code: str,
    reasoning: str,
    uploads: Sequence[UploadedFile] = (),
    ip: str | None = None,
) -> Objection:
    """The agency objects to one scored gauge, during the window, with reasons and files."""
    with transaction.atomic():
        locked = _locked_participation(participation)
        require(actor, "objection.file", locked)
        return _create(
            actor=actor,
            participation=locked,
            part=part,
            gauge_code=gauge_code,
            reasoning=reasoning,
            uploads=uploads,
            in_person=False,
            ip=ip,
        )


def objection_record(
    *,
    actor: Any,
    participation: Participation,
    part: str,
    gauge_code: str,
    reasoning: str,
    representative: str = "",
    uploads: Sequence[UploadedFile] = (),
    ip: str | None = None,
) -> Objection:
    """Staff record an objection the agency brought in person: the same checks, marked so."""
    with transaction.atomic():
        locked = _locked_participation(participation)
        require(actor, "objection.record", locked)
        return _create(
            actor=actor,
            participation=locked,
            part=part,
            gauge_code=gauge_code,
            reasoning=reasoning,
            uploads=uploads,
            in_person=True,
            representative=representative,
            ip=ip,
        )


def objection_withdraw(
    *, actor: Any, objection: Objection, reason: str = "", ip: str | None = None
) -> Objection:
    """The agency takes its objection back before the decision."""
    with transaction.atomic():
        locked = _locked(objection)
        require(actor, "objection.withdraw", locked)
        refuse_if_locked(locked.participation.cycle)
        target = check(locked, "withdraw")
        before = locked.state
        locked.state = target
        locked.withdrawn_by, locked.withdrawn_at = actor, timezone.now()
        locked.save(update_fields=["state", "withdrawn_by", "withdrawn_at"])
        record(
            actor=actor,
            action="objection.withdraw",
            target=locked,
            changes={"state": [before, locked.state]},
            reason=clean_text(reason),
            ip=ip,
        )
        notices.withdrawn(locked, actor)
    return locked


def excluded(objection: Objection) -> list[Any]:
    """Who may not decide it: the original evaluator and everyone who reviewed that gauge."""
    people = {
        p.pk: p for p in reviewers(objection.participation, objection.part, objection.gauge_code)
    }
    if objection.original_evaluator is not None:
        people.setdefault(objection.original_evaluator_id, objection.original_evaluator)
    return list(people.values())


def barred_members(objection: Objection, members: Iterable[Any]) -> list[tuple[Any, str]]:
    """(member, why) for each member who may not decide this objection."""
    reviewed = {p.pk for p in excluded(objection)}
    agency = objection.participation.agency
    barred = []
    for member in members:
        if member.pk in reviewed:
            barred.append((member, _("evaluated this gauge")))
            continue
        why = conflict_reason(member, agency)
        if why is not None:
            barred.append((member, why))
    return barred


def barred_message(objection: Objection, barred: list[tuple[Any, str]]) -> str:
    return _(
        "The expert group may not decide the objection of %(agency)s on gauge %(code)s: "
        "%(people)s. Choose another group or change its members."
    ) % {
        "agency": objection.participation.agency.name,
        "code": persian_digits(objection.gauge_code),
        "people": "؛ ".join(f"{name_of(m)} ({why})" for m, why in barred),
    }


def objection_route(
    *, actor: Any, objection: Objection, group: ExpertGroup, ip: str | None = None
) -> Objection:
    """Staff send the objection to an expert group that excludes its original evaluator."""
    with transaction.atomic():
        locked = _locked(objection)
        require(actor, "objection.route", locked)
        refuse_if_locked(locked.participation.cycle)
        target = check(locked, "route")
        if group.cycle_id != locked.participation.cycle_id:
            raise DomainError(_("That expert group belongs to another cycle."), code="wrong_group")
        members = list(group.members.all())
        if not members:
            raise DomainError(
                _("The expert group %(group)s has no members yet.") % {"group": group.name},
                code="empty_group",
            )
        barred = barred_members(locked, members)
        if barred:
            raise DomainError(barred_message(locked, barred), code="conflict_of_interest")
        before = (locked.state, locked.group.name if locked.group else None)
        locked.state, locked.group = target, group
        locked.routed_by, locked.routed_at = actor, timezone.now()
        locked.save(update_fields=["state", "group", "routed_by", "routed_at"])
        record(
            actor=actor,
            action="objection.route",
            target=locked,
            changes={
                "state": [before[0], locked.state],
                "group": [before[1], group.name],
                "members": sorted(m.get_username() for m in members),
            },
            ip=ip,
        )
        notices.routed(locked, actor)
    return locked


def _scored(found: Standing, data: Any) -> tuple[dict[str, Any], GaugeResult]:
    """The expert group's answer cleaned as an agency's would be, scored with the MoU target."""
    cleaned = clean_answer(found.indicator, found.gauge, data)
    result = self_score(found.engine, found.indicator, found.gauge, cleaned, found.target)
    return cleaned, result


def _standing_of(objection: Objection) -> Standing:
    found = standing(objection.participation, objection.part, objection.gauge_code)
    if found is None:
        raise DomainError(
            _("Gauge %(code)s is no longer in this agency's indicators.")
            % {"code": persian_digits(objection.gauge_code)},
            code="not_found",
        )
    return found


def objection_preview(*, actor: Any, objection: Objection, data: Any) -> GaugeResult:
    """What a proposed answer would score, exactly as the decision would; nothing saved."""
    require(actor, "objection.decide", objection)
    return _scored(_standing_of(objection), data)[1]


def _check_decider(actor: Any, objection: Objection) -> None:
    if any(person.pk == actor.pk for person in excluded(objection)):
        raise Forbidden(
            _(
                "You evaluated gauge %(code)s of this agency; another member of the group "
                "decides the objection."
            )
            % {"code": persian_digits(objection.gauge_code)}
        )


def objection_decide(
    *,
    actor: Any,
    objection: Objection,
    accepted: bool,
    reasons: str,
    data: Any = None,
    meeting: Meeting | None = None,
    ip: str | None = None,
) -> Objection:
    """A member of the group accepts (with the new answer, scored by the engine) or rejects."""
    with transaction.atomic():
        locked = _locked(objection)
        require(actor, "objection.decide", locked)
        _check_decider(actor, locked)
        refuse_if_locked(locked.participation.cycle)
        target = check(locked, "accept" if accepted else "reject")
        reasons = clean_text(reasons)
        if not reasons:
            raise DomainError(
                _("Write the reasons for the decision; the agency reads them."),
                code="reasons_required",
            )
        if meeting is not None and meeting.group_id != locked.group_id:
            raise DomainError(
                _("That meeting is not one of this expert group's meetings."),
                code="wrong_meeting",
            )
        found = _standing_of(locked)
        if found.result is not None:
            locked.old_score = found.result.score
        cleaned: dict[str, Any] = {}
        new_score = None
        if accepted:
            if not data:
                raise DomainError(
                    _("Enter the expert group's answer to gauge %(code)s; it gives the new score.")
                    % {"code": persian_digits(locked.gauge_code)},
                    code="answer_required",
                )
            cleaned, result = _scored(found, data)
            if result.status not in (SCORED, NOT_APPLICABLE):
                raise DomainError(
                    _("The answer to gauge %(code)s gives no score: %(problem)s")
                    % {
                        "code": persian_digits(locked.gauge_code),
                        "problem": result.problem or _("it is incomplete."),
                    },
                    code="bad_answer",
                )
            new_score = result.score
        before = locked.state
        locked.state = target
        locked.reasons, locked.answer, locked.new_score = reasons, cleaned, new_score
        locked.decided_by, locked.decided_at, locked.meeting = actor, timezone.now(), meeting
        locked.save(
            update_fields=[
                "state",
                "reasons",
                "answer",
                "new_score",
                "old_score",
                "decided_by",
                "decided_at",
                "meeting",
            ]
        )
        record(
            actor=actor,
            action="objection.decide",
            target=locked,
            changes={
                "state": [before, locked.state],
                "score": [
                    written(locked.old_score),
                    written(new_score) if new_score is not None else None,
                ],
                "answer": cleaned,
                "meeting": meeting.pk if meeting else None,
            },
            reason=reasons,
            ip=ip,
        )
        notices.decided(locked, actor)
    return locked
