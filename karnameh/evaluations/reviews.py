"""Scoring by evaluators (step 8): one service per change, each locked, checked and audited.

Every service locks the agency's participation row first, as the self-assessment's services
do, so a review, a consensus note, an initial approval and a return of the self-assessment
to the agency never interleave; then the assignment or the review. After the deputy's final
approval nothing here changes a score (``results.locks.refuse_if_locked``, under the lock).
Pages and the API call these and nothing else.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.agreements.selectors import mou_target
from karnameh.assessments.answers import MAX_TEXT, clean_answer
from karnameh.assessments.models import Answer
from karnameh.assessments.scoring import LATER, Sheet, find_gauge, self_score
from karnameh.assessments.services import (
    Conflict,
    lock_participation,
    once_per_key,
    saved_reply,
)
from karnameh.audit.services import record
from karnameh.common.errors import DomainError, Forbidden
from karnameh.common.jalali import format_jalali_datetime
from karnameh.common.text import normalize_fa, persian_digits
from karnameh.cycles.deadlines import deadline
from karnameh.cycles.models import AssessmentState, Participation
from karnameh.results.locks import refuse_if_locked
from karnameh.scoring import Gauge, GaugeResult, Indicator
from karnameh.scoring.model import effective_assessor
from karnameh.scoring.numbers import fa

from . import notices
from .models import Assignment, Consensus, Review
from .reviewing import ReviewSheet, review_sheet, scores_by_origin
from .rules import GaugeOf
from .scope import EVALUATION, axis_of, covers, gap_limit, needs_consensus, needs_deficiencies


def _locked_assignment(assignment: Assignment, participation: Participation) -> Assignment:
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("evaluator")
        .get(pk=assignment.pk, participation=participation)
    )
    locked.participation = participation
    return locked


def _text(value: str | None) -> str:
    """Letters normalised line by line: a list of deficiencies keeps its lines."""
    lines = (normalize_fa(line) for line in str(value or "").splitlines())
    return "\n".join(line for line in lines if line)[:MAX_TEXT]


def _gauge(p: Participation, part: str, code: str) -> tuple[Sheet, str, Indicator, Gauge]:
    found = find_gauge(p, part, code)
    axis = axis_of(found[0], code) if found else None
    if found is None or axis is None:
        raise DomainError(
            _("Gauge %(code)s is not in this agency's indicators.")
            % {"code": persian_digits(code)},
            code="not_found",
        )
    return found[0], axis, found[1], found[2]


def _check_gauge(indicator: Indicator, gauge: Gauge) -> None:
    code = persian_digits(gauge.code)
    if gauge.rule.kind in LATER:
        raise DomainError(
            _(
                "Gauge %(code)s is scored by the organization at the end, from the two totals; "
                "evaluators do not score it."
            )
            % {"code": code},
            code="later",
        )
    if effective_assessor(indicator, gauge):
        raise DomainError(
            _(
                "Gauge %(code)s is scored by an assessing body; its answer comes in through an "
                "inquiry, not from an evaluator."
            )
            % {"code": code},
            code="assessing_body",
        )


def _own_assignment(
    actor: Any, p: Participation, part: str, axis: str, *, lock: bool
) -> Assignment:
    """The actor's active assignment of that part of the agency, if it covers the axis."""
    rows = Assignment.objects.select_related("evaluator").filter(
        participation=p, evaluator_id=actor.pk, scope=part, removed_at__isnull=True
    )
    found = (rows.select_for_update(of=("self",)) if lock else rows).first()
    if found is None:
        raise Forbidden(_("You are not assigned to score this part of this agency."))
    found.participation = p
    require(actor, "evaluation.review", found)
    if not covers(found.axes, axis):
        raise Forbidden(
            _("Axis %(axis)s is not among the axes assigned to you (%(axes)s).")
            % {"axis": persian_digits(axis), "axes": persian_digits("، ".join(found.axes))}
        )
    return found


def _check_transferred(p: Participation) -> None:
    if p.state != AssessmentState.TRANSFERRED:
        raise DomainError(
            _(
                "The self-assessment of %(agency)s has not been transferred to the organization "
                "(%(state)s); it cannot be scored now."
            )
            % {"agency": p.agency.name, "state": p.get_state_display()},
            code="not_transferred",
        )


def _check_open(p: Participation) -> None:
    _check_transferred(p)
    closes = deadline(p, EVALUATION)
    if closes.passed():
        raise DomainError(
            _(
                "The evaluation (step 8) closed at the end of %(date)s. The organization may "
                "give this agency an extension."
            )
            % {"date": closes.label()},
            code="locked",
        )


def _scored(
    p: Participation, sheet: Sheet, indicator: Indicator, gauge: Gauge, data: Any
) -> tuple[dict[str, Any], GaugeResult]:
    """The answer cleaned exactly as the agency's is, scored with the MoU target in force."""
    cleaned = clean_answer(indicator, gauge, data)
    target = mou_target(p, sheet.part, indicator, gauge)
    return cleaned, self_score(sheet.engine, indicator, gauge, cleaned, target)


def review_preview(
    *, actor: Any, participation: Participation, part: str, gauge_code: str, data: Any
) -> GaugeResult:
    """What a draft would score, exactly as ``review_save`` would score it; nothing saved."""
    sheet, axis, indicator, gauge = _gauge(participation, part, gauge_code)
    _own_assignment(actor, participation, part, axis, lock=False)
    _check_gauge(indicator, gauge)
    return _scored(participation, sheet, indicator, gauge, data)[1]


def _stored(review: Review | None) -> dict[str, Any]:
    if review is None:
        return {"data": {}, "deficiencies": "", "version": 0, "by": "", "at": None}
    return {
        "data": review.data,
        "deficiencies": review.deficiencies,
        "version": review.version,
        "by": review.updated_by.display_name if review.updated_by else "",
        "at": review.updated_at.isoformat() if review.updated_at else None,
    }


def review_save(
    *,
    actor: Any,
    participation: Participation,
    part: str,
    gauge_code: str,
    data: Any,
    deficiencies: str = "",
    version: int,
    key: str | None = None,
    ip: str | None = None,
) -> dict[str, Any]:
    """Save the evaluator's answer and score of one gauge if ``version`` is still the stored one.

    ``deficiencies`` (نواقص, read by the agency) is required when the score is below the
    agency's self-score. A save based on an older version raises ``Conflict`` (409).
    """

    def run() -> dict[str, Any]:
        locked = lock_participation(participation)
        sheet, axis, indicator, gauge = _gauge(locked, part, gauge_code)
        assignment = _own_assignment(actor, locked, part, axis, lock=True)
        _check_gauge(indicator, gauge)
        if assignment.approved_at is not None:
            raise DomainError(_approved(assignment), code="approved")
        _check_open(locked)
        refuse_if_locked(locked.cycle)
        cleaned, result = _scored(locked, sheet, indicator, gauge, data)
        notes = _text(deficiencies)
        review = (
            Review.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .filter(assignment=assignment, gauge_code=gauge_code)
            .first()
        )
        current = review.version if review else 0
        if version != current:
            raise Conflict.saved_first(
                _stored(review),
                review.updated_at if review else None,
                {"data": cleaned, "deficiencies": notes, "version": version},
            )
        answer = Answer.objects.filter(
            participation=locked, part=part, gauge_code=gauge_code
        ).first()
        own = answer.score if answer is not None else None
        if needs_deficiencies(result.score, own) and not notes:
            raise DomainError(
                _(
                    "Gauge %(code)s: your score (%(score)s) is below the agency's self-score "
                    "(%(own)s); write the deficiencies the agency will read."
                )
                % {
                    "code": persian_digits(gauge_code),
                    "score": fa(result.score),
                    "own": fa(own or 0),
                },
                code="deficiencies_required",
            )
        if review is not None and review.data == cleaned and review.deficiencies == notes:
            return saved_reply(review, name="review", changed=False)
        before = _stored(review)
        before_score = str(review.score) if review and review.score is not None else None
        review = review or Review(
            assignment=assignment, participation=locked, part=part, gauge_code=gauge_code
        )
        review.data, review.deficiencies = cleaned, notes
        review.score, review.status = result.score, result.status
        review.version = current + 1
        review.updated_at, review.updated_by = timezone.now(), actor
        review.save()
        record(
            actor=actor,
            action="review.save",
            target=review,
            changes={
                "agency": locked.agency.code,
                "gauge": [part, gauge_code],
                "data": [before["data"], cleaned],
                "deficiencies": [before["deficiencies"], notes],
                "score": [before_score, str(result.score)],
            },
            ip=ip,
        )
        return saved_reply(review, name="review", changed=True)

    return once_per_key(actor, key, f"review:{participation.pk}:{part}:{gauge_code}", run)


def consensus_write(
    *,
    actor: Any,
    participation: Participation,
    part: str,
    gauge_code: str,
    note: str,
    ip: str | None = None,
) -> Consensus:
    """The note an internal and an external evaluator (or staff) write on a large gap."""
    text = _text(note)
    with transaction.atomic():
        locked = lock_participation(participation)
        _sheet, axis, indicator, gauge = _gauge(locked, part, gauge_code)
        require(actor, "evaluation.consensus", GaugeOf(locked, part, axis))
        _check_gauge(indicator, gauge)
        refuse_if_locked(locked.cycle)
        if not text:
            raise DomainError(_("Write the consensus note."), code="note_required")
        held = Review.objects.filter(
            participation=locked,
            part=part,
            gauge_code=gauge_code,
            assignment__removed_at__isnull=True,
        ).select_related("assignment")
        internal, external = scores_by_origin(list(held))
        limit = gap_limit(locked.cycle.consensus_gap, gauge.max_score)
        if not needs_consensus(internal, external, limit):
            raise DomainError(
                _(
                    "Gauge %(code)s needs no consensus note: it needs one only when an internal "
                    "and an external evaluator both scored it and their scores differ by more "
                    "than %(limit)s."
                )
                % {"code": persian_digits(gauge_code), "limit": fa(limit)},
                code="no_gap",
            )
        assert internal is not None and external is not None
        row = (
            Consensus.objects.select_for_update(of=("self",))
            .filter(participation=locked, part=part, gauge_code=gauge_code)
            .first()
        )
        before = row.note if row else ""
        if row is None:
            row = Consensus(participation=locked, part=part, gauge_code=gauge_code)
        row.note, row.written_by, row.written_at = text, actor, timezone.now()
        row.save()
        record(
            actor=actor,
            action="review.consensus",
            target=row,
            changes={
                "agency": locked.agency.code,
                "gauge": [part, gauge_code],
                "note": [before, text],
                "gap": str(abs(internal - external)),
            },
            ip=ip,
        )
    return row


def approval_problems(sheet: ReviewSheet) -> list[str]:
    """What holds the initial approval up, gauges named with Persian digits (page and refusal)."""

    def codes(found: list[str]) -> str:
        return persian_digits("، ".join(found))

    problems = []
    if sheet.unreviewed():
        problems.append(
            _("gauges without your score: %(codes)s") % {"codes": codes(sheet.unreviewed())}
        )
    if sheet.deficiencies_missing():
        problems.append(
            _("gauges scored below the self-score without notes of deficiencies: %(codes)s")
            % {"codes": codes(sheet.deficiencies_missing())}
        )
    if sheet.consensus_missing():
        problems.append(
            _(
                "gauges whose internal and external scores are too far apart and have no "
                "consensus note: %(codes)s"
            )
            % {"codes": codes(sheet.consensus_missing())}
        )
    return problems


def review_lock(assignment: Assignment) -> str | None:
    """Why the evaluator cannot change a score of this part now (shown on the page), or None."""
    try:
        if assignment.approved_at is not None:
            raise DomainError(_approved(assignment))
        _check_open(assignment.participation)
        refuse_if_locked(assignment.participation.cycle)
    except DomainError as error:
        return error.message
    return None


def _approved(assignment: Assignment) -> str:
    return _(
        "You gave the initial approval of this part on %(date)s; the organization must return "
        "it before a score changes."
    ) % {"date": format_jalali_datetime(assignment.approved_at)}


def initial_approve(*, actor: Any, assignment: Assignment, ip: str | None = None) -> Assignment:
    """The evaluator closes their part: their scores and notes become provisional scores."""
    with transaction.atomic():
        p = lock_participation(assignment.participation)
        locked = _locked_assignment(assignment, p)
        require(actor, "evaluation.review", locked)
        if locked.approved_at is not None:
            raise DomainError(
                _("You already gave the initial approval of this part."), code="already_approved"
            )
        _check_transferred(p)
        refuse_if_locked(p.cycle)
        sheet = review_sheet(locked)
        problems = approval_problems(sheet)
        if problems:
            raise DomainError(
                _("The initial approval cannot be given yet: %(problems)s.")
                % {"problems": "؛ ".join(problems)},
                code="not_ready",
            )
        locked.approved_at = timezone.now()
        locked.save(update_fields=["approved_at"])
        record(
            actor=actor,
            action="evaluation.initial_approve",
            target=locked,
            changes={
                "agency": p.agency.code,
                "scope": locked.scope,
                "approved_at": [None, locked.approved_at.isoformat()],
                "reviewed": sheet.reviewed,
            },
            ip=ip,
        )
        notices.approved(locked, actor)
    return locked


def initial_return(
    *, actor: Any, assignment: Assignment, reason: str, ip: str | None = None
) -> Assignment:
    """Staff reopen an evaluator's approved part, with the reason the evaluator reads."""
    note = _text(reason)
    with transaction.atomic():
        p = lock_participation(assignment.participation)
        locked = _locked_assignment(assignment, p)
        require(actor, "evaluation.return", locked)
        if locked.removed_at is not None:
            raise DomainError(_("This assignment was removed."), code="removed")
        if locked.approved_at is None:
            raise DomainError(
                _("This part has no initial approval to return."), code="not_approved"
            )
        refuse_if_locked(p.cycle)
        if not note:
            raise DomainError(
                _("Write why the part is returned (the evaluator reads it)."),
                code="reason_required",
            )
        before = locked.approved_at
        locked.approved_at = None
        locked.save(update_fields=["approved_at"])
        record(
            actor=actor,
            action="evaluation.initial_return",
            target=locked,
            changes={
                "agency": p.agency.code,
                "evaluator": locked.evaluator.get_username(),
                "scope": locked.scope,
                "approved_at": [before.isoformat(), None],
            },
            reason=note,
            ip=ip,
        )
        notices.returned(locked, actor, note)
    return locked
