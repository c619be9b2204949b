"""The rows of one province's national-demo cycle, written in batches (``national_demo``).

Each agency's MoU, self-assessment, evidence, evaluation and objections, as the workflow
would have left them by the end of step 9, dated on the cycle's calendar. Answers and reviews
are scored by the engine in memory and inserted ``BATCH`` rows at a time: at national scale
that is over 600,000 rows, and one INSERT a row would take many minutes.

Evidence is metadata only: each ``StoredFile`` row has a believable name, size and SHA-256
digest, but no bytes are written, so such a file cannot be downloaded. The agencies'
performance offices and headquarters users are not generated: their approvals of the
self-assessments carry a date and no person.
"""

import datetime as dt
import hashlib
import random
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

from karnameh.accounts.demo_provinces import EVIDENCE
from karnameh.accounts.models import EvaluatorOrigin, EvaluatorScope
from karnameh.agencies.models import Agency
from karnameh.agreements.models import Agreement, AgreementStatus, Target
from karnameh.assessments.answers import clean_answer
from karnameh.assessments.demo import demo_minutes
from karnameh.assessments.models import Answer, Evidence, Part
from karnameh.assessments.scoring import self_score
from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits
from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import AssessmentState, Cycle, Participation
from karnameh.evaluations.final import REVIEW
from karnameh.evaluations.models import Assignment, Review
from karnameh.files.kinds import KINDS
from karnameh.files.models import StoredFile
from karnameh.objections.models import ExpertGroup, Objection, ObjectionState
from karnameh.scoring import Gauge, Indicator
from karnameh.scoring.sample import random_answer

from .demo import DEFICIENCY

if TYPE_CHECKING:
    from .national_demo import Context, People

M = TypeVar("M", bound=models.Model)
BATCH = 2000
# One evaluator for this many agencies (the last may have fewer).
PER_EVALUATOR = 20
EVIDENCE_PER_AGENCY = 3
# The share of judgements an evaluator scores lower than the agency did (as the demo's).
LOWERED = 0.2
# The share of agencies that object (at least one agency a province).
OBJECTING = 0.05
TARGETS = (50, 60, 70, 80, 90, 100)
EXPERT_GROUP = "گروه کارشناسی شاخص‌های عمومی"
REASONING = (
    "مستندات کامل در سامانه بارگذاری شده بود؛ درخواست بازبینی امتیاز داریم.",
    "ارزیاب مستندات تکمیلی پیوست را در نظر نگرفته است.",
    "امتیاز داده‌شده با گزارش عملکرد سالانهٔ دستگاه هم‌خوان نیست.",
)
ACCEPTED = "مستندات تکمیلی بررسی شد و ادعای دستگاه پذیرفته شد."
REJECTED = "مستندات تکمیلی ادعای دستگاه را ثابت نمی‌کند."
# The first objections of a province, so a small province shows both decisions.
FIRST_FATES = (ObjectionState.ACCEPTED, ObjectionState.REJECTED)
FATES = (ObjectionState.ACCEPTED, ObjectionState.REJECTED, ObjectionState.WITHDRAWN)
FATE_WEIGHTS = (45, 40, 15)

# (data, self-score, engine status) of one gauge's answer.
Own = tuple[dict[str, Any], Decimal | None, str]


class Clock:
    """Moments on the cycle's calendar, Tehran time."""

    def __init__(self, days: dict[int, tuple[dt.date, dt.date]]) -> None:
        self.days = days

    def at(self, step: int, offset: int, hour: int = 10) -> dt.datetime:
        """Day ``offset`` of the step (0 its first, -1 its last), kept inside the step."""
        first, last = self.days[step]
        day = first + dt.timedelta(days=offset) if offset >= 0 else last + dt.timedelta(offset + 1)
        day = min(max(day, first), last)
        return dt.datetime.combine(day, dt.time(hour), tzinfo=TEHRAN)


def _rng(*seed: object) -> random.Random:
    return random.Random("-".join(map(str, seed)))  # noqa: S311  # nosec B311  # demo data


def _insert(model: type[M], rows: Iterable[M]) -> list[M]:
    return model._default_manager.bulk_create(list(rows), batch_size=BATCH)


def build(
    ctx: "Context",
    cycle: Cycle,
    days: dict[int, tuple[dt.date, dt.date]],
    agencies: list[Agency],
    people: "People",
) -> None:
    clock = Clock(days)
    parts = _participations(ctx, cycle, agencies, people, clock)
    targets = _agreements(ctx, parts, people, clock)
    own = _answers(ctx, parts, targets, people, clock)
    _evidence(ctx, parts, own, people, clock)
    lowered, evaluator_of = _reviews(ctx, parts, own, targets, people, clock)
    _objections(ctx, cycle, parts, own, lowered, evaluator_of, people, clock)


def _participations(
    ctx: "Context", cycle: Cycle, agencies: list[Agency], people: "People", clock: Clock
) -> list[Participation]:
    """Every agency transferred in step 7, its council's minutes one real file a province."""
    minutes = demo_minutes(None)
    order: list[Any] = list(AssessmentState.values)
    rows = []
    for agency in agencies:
        rng = _rng(agency.code, ctx.year, "steps")
        office = clock.at(7, rng.randint(0, 8), rng.randint(8, 14))
        hq = office + dt.timedelta(days=rng.randint(1, 6))
        rows.append(
            Participation(
                cycle=cycle,
                agency=agency,
                state=AssessmentState.TRANSFERRED,
                submitted_at=clock.at(6, -rng.randint(1, 6), rng.randint(8, 14)),
                submitted_by=people.agency_users[agency.pk],
                office_approved_at=office,
                office_minutes=minutes,
                hq_approved_at=hq,
                transferred_at=hq + dt.timedelta(days=rng.randint(1, 5)),
                version=order.index(AssessmentState.TRANSFERRED),
            )
        )
    made = _insert(Participation, rows)
    for p in made:
        p.receipt = f"{ctx.year}-{p.pk:06d}-001"  # the first submission's receipt
    Participation.objects.bulk_update(made, ["receipt"], batch_size=BATCH)
    return made


def _agreements(
    ctx: "Context", parts: list[Participation], people: "People", clock: Clock
) -> dict[int, dict[str, Decimal]]:
    """Version 1 of each MoU, agreed by both sides, a target for every `*` gauge."""
    made = _insert(
        Agreement,
        (
            Agreement(
                participation=p,
                version=1,
                status=AgreementStatus.AGREED,
                agency_approved_at=clock.at(5, -10),
                agency_approved_by=people.agency_users[p.agency_id],
                organization_approved_at=clock.at(5, -5),
                organization_approved_by=people.staff,
                created_by=people.staff,
            )
            for p in parts
        ),
    )
    targets: dict[int, dict[str, Decimal]] = {}
    rows = []
    for agreement in made:
        p = agreement.participation
        rng = _rng(p.agency.code, ctx.year, "mou")
        mine = targets.setdefault(p.pk, {})
        for _indicator, gauge, by_mou in ctx.gauges:
            if by_mou:
                mine[gauge.code] = Decimal(rng.choice(TARGETS))
                rows.append(
                    Target(
                        agreement=agreement,
                        part=Part.GENERAL,
                        gauge_code=gauge.code,
                        value=mine[gauge.code],
                    )
                )
    _insert(Target, rows)
    return targets


def sample_answer(rng: random.Random, indicator: Indicator, gauge: Gauge) -> dict[str, Any]:
    """A believable answer the gauge accepts: ``random_answer`` now and then leaves a gauge
    unanswered or gives figures ``clean_answer`` refuses; the agency tries again."""
    for _attempt in range(100):
        raw = random_answer(rng, indicator, gauge)
        if raw is None:
            continue
        raw.pop("target", None)  # the MoU's target, not the agency's
        try:
            return clean_answer(indicator, gauge, raw)
        except DomainError:
            continue
    raise RuntimeError(f"no acceptable random answer for gauge {gauge.code}")


def _answers(
    ctx: "Context",
    parts: list[Participation],
    targets: dict[int, dict[str, Decimal]],
    people: "People",
    clock: Clock,
) -> dict[int, dict[str, Own]]:
    """Every gauge answered and self-scored, as a save in the workspace would score it."""
    own: dict[int, dict[str, Own]] = {}
    rows = []
    for p in parts:
        rng = _rng(p.agency.code, ctx.year)
        user = people.agency_users[p.agency_id]
        mine = own.setdefault(p.pk, {})
        for indicator, gauge, _by_mou in ctx.gauges:
            data = sample_answer(rng, indicator, gauge)
            target = targets[p.pk].get(gauge.code)
            result = self_score(ctx.engine, indicator, gauge, data, target)
            mine[gauge.code] = (data, result.score, result.status)
            rows.append(
                Answer(
                    participation=p,
                    part=Part.GENERAL,
                    gauge_code=gauge.code,
                    data=data,
                    score=result.score,
                    status=result.status,
                    version=1,
                    updated_at=clock.at(6, rng.randint(0, 23), rng.randint(8, 15)),
                    updated_by=user,
                )
            )
        if len(rows) >= BATCH:
            _insert(Answer, rows)
            rows = []
    _insert(Answer, rows)
    return own


def _evidence(
    ctx: "Context",
    parts: list[Participation],
    own: dict[int, dict[str, Own]],
    people: "People",
    clock: Clock,
) -> None:
    """A few files an agency attached to gauges it answered; metadata only (see above)."""
    files: list[StoredFile] = []
    links: list[tuple[Participation, str]] = []
    for p in parts:
        rng = _rng(p.agency.code, ctx.year, "evidence")
        user = people.agency_users[p.agency_id]
        answered = [
            code for code, (data, *_rest) in own[p.pk].items() if "not_applicable" not in data
        ]
        for number, code in enumerate(
            rng.sample(answered, min(EVIDENCE_PER_AGENCY, len(answered)))
        ):
            name, kind, smallest, largest = rng.choice(EVIDENCE)
            stem, extension = name.rsplit(".", 1)
            digest = hashlib.sha256(f"{p.agency.code}-{ctx.year}-{number}".encode()).hexdigest()
            files.append(
                StoredFile(
                    # Where an upload would be stored; nothing is written there.
                    file=f"uploads/demo-national/{ctx.year}/{digest[:32]}",
                    name=f"{stem} {persian_digits(ctx.year)}.{extension}",
                    size=rng.randint(smallest, largest),
                    sha256=digest,
                    kind=kind,
                    content_type=KINDS[kind].content_type,
                    uploaded_by=user,
                    uploaded_at=clock.at(6, rng.randint(0, 23), rng.randint(8, 15)),
                )
            )
            links.append((p, code))
    stored = _insert(StoredFile, files)
    _insert(
        Evidence,
        (
            Evidence(
                participation=p,
                part=Part.GENERAL,
                gauge_code=code,
                file=file,
                added_at=file.uploaded_at,
                added_by=file.uploaded_by,
            )
            for (p, code), file in zip(links, stored, strict=True)
        ),
    )


def _reviews(
    ctx: "Context",
    parts: list[Participation],
    own: dict[int, dict[str, Own]],
    targets: dict[int, dict[str, Decimal]],
    people: "People",
    clock: Clock,
) -> tuple[dict[int, list[tuple[str, Decimal]]], dict[int, Any]]:
    """One internal general evaluator an agency (20 agencies each) with the initial approval;
    the agency's own answer, a fifth of the judgements scored lower with notes of deficiencies.

    Returns the lowered gauges (code, score) and the evaluator of each participation."""
    assignments = _insert(
        Assignment,
        (
            Assignment(
                participation=p,
                evaluator=people.evaluators[index // PER_EVALUATOR],
                scope=EvaluatorScope.GENERAL,
                origin=EvaluatorOrigin.INTERNAL,
                assigned_by=people.staff,
                assigned_at=clock.at(8, 0, 9),
                # The initial approval: readiness counts the agency approved once every active
                # assignment has it.
                approved_at=clock.at(8, -1 - index % 4, 15),
            )
            for index, p in enumerate(parts)
        ),
    )
    lowered: dict[int, list[tuple[str, Decimal]]] = {}
    rows = []
    for assignment in assignments:
        p = assignment.participation
        rng = _rng(p.agency.code, ctx.year, "review")
        mine = lowered.setdefault(p.pk, [])
        for indicator, gauge, _by_mou in ctx.gauges:
            data, score, status = own[p.pk][gauge.code]
            notes = ""
            if "score" in data and rng.random() < LOWERED:
                data = {**data, "score": float(data["score"]) // 2}
                result = self_score(
                    ctx.engine, indicator, gauge, data, targets[p.pk].get(gauge.code)
                )
                score, status, notes = result.score, result.status, DEFICIENCY
                if score is not None:
                    mine.append((gauge.code, score))
            rows.append(
                Review(
                    assignment=assignment,
                    participation=p,
                    part=Part.GENERAL,
                    gauge_code=gauge.code,
                    data=data,
                    score=score,
                    status=status,
                    deficiencies=notes,
                    version=1,
                    updated_at=clock.at(8, rng.randint(1, 24), rng.randint(8, 16)),
                    updated_by=assignment.evaluator,
                )
            )
        if len(rows) >= BATCH:
            _insert(Review, rows)
            rows = []
    _insert(Review, rows)
    return lowered, {a.participation_id: a.evaluator for a in assignments}


def _objections(
    ctx: "Context",
    cycle: Cycle,
    parts: list[Participation],
    own: dict[int, dict[str, Own]],
    lowered: dict[int, list[tuple[str, Decimal]]],
    evaluator_of: dict[int, Any],
    people: "People",
    clock: Clock,
) -> None:
    """Filed in the first days of step 9 against a lowered score; routed the next day to the
    expert group (the staff member and the expert: no evaluator who scored the gauge, as
    ``objection_route`` requires); decided by the expert in the window's last days, or
    withdrawn. None is left open: an open objection holds the final approval up."""
    group = ExpertGroup.objects.create(
        cycle=cycle, name=EXPERT_GROUP, created_by=people.staff, created_at=clock.at(9, 0, 8)
    )
    group.members.set([people.staff, people.expert])
    rng = _rng(cycle.province.code if cycle.province else "", ctx.year, "objections")
    candidates = [p for p in parts if lowered[p.pk]]
    wanted = max(1, round(len(parts) * OBJECTING))
    rows: list[Objection] = []
    for p in rng.sample(candidates, min(wanted, len(candidates))):
        user = people.agency_users[p.agency_id]
        for code, score in rng.sample(
            lowered[p.pk], min(rng.choice((1, 1, 2)), len(lowered[p.pk]))
        ):
            fate = (
                FIRST_FATES[len(rows)]
                if len(rows) < len(FIRST_FATES)
                else rng.choices(FATES, weights=FATE_WEIGHTS)[0]
            )
            filed = clock.at(9, rng.randint(0, 3), rng.randint(8, 14))
            objection = Objection(
                participation=p,
                part=Part.GENERAL,
                gauge_code=code,
                reasoning=rng.choice(REASONING),
                filed_by=user,
                filed_at=filed,
                original_evaluator=evaluator_of[p.pk],
                source=REVIEW,
                old_score=score,
                state=fate,
            )
            if fate == ObjectionState.WITHDRAWN:
                objection.withdrawn_by = user
                objection.withdrawn_at = filed + dt.timedelta(hours=rng.randint(20, 30))
            else:
                objection.group = group
                objection.routed_by, objection.routed_at = people.staff, filed + dt.timedelta(1)
                objection.decided_by = people.expert
                objection.decided_at = clock.at(9, -rng.randint(1, 3), rng.randint(9, 15))
            if fate == ObjectionState.ACCEPTED:
                data, self_scored, _status = own[p.pk][code]
                objection.reasons, objection.answer = ACCEPTED, data
                objection.new_score = self_scored
            elif fate == ObjectionState.REJECTED:
                objection.reasons = REJECTED
            rows.append(objection)
    _insert(Objection, rows)
