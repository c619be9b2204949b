"""A transferred self-assessment with evaluators assigned, for the tests of scoring (step 8).

cycle = open_cycle(); p = transferred(cycle)     # AR-ED, self-assessment transferred
own(p, JUDGED, 12)                               # the agency's self-score of 2.10.1: 12
a = assign(p, demo_user("evaluator"), axes=["2"])
with during(cycle): review_save(...)             # inside step 8
"""

import random
from decimal import Decimal
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone

from karnameh.accounts.models import User
from karnameh.agreements.models import Agreement, AgreementStatus, Target
from karnameh.agreements.selectors import targets_needed
from karnameh.assessments.answers import clean_answer
from karnameh.assessments.models import Answer
from karnameh.assessments.scoring import sheets
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError
from karnameh.cycles.models import AssessmentState, Cycle, Participation
from karnameh.cycles.tests.builders import participation, step_day
from karnameh.evaluations.models import Assignment, Consensus, Review
from karnameh.evaluations.reviews import review_preview, review_save
from karnameh.evaluations.scope import REVIEWED, scope_gauges
from karnameh.evaluations.services import assignment_add
from karnameh.notifications.models import Notification
from karnameh.scoring.sample import random_answer

JUDGED = "2.10.1"  # judgement, max 20, axis 2
SECOND = "2.11.1"  # judgement, max 20, axis 2
OTHER_AXIS = "1.1.2"  # judgement, axis 1
LATER = "7.1.3"  # convergence
ASSESSED = "4.1.1"  # scored by an assessing body (e-commerce centre)


def transferred(cycle: Cycle, code: str = "AR-ED") -> Participation:
    p = participation(cycle, code)
    p.state = AssessmentState.TRANSFERRED
    p.save(update_fields=["state"])
    return p


def with_targets(p: Participation) -> None:
    """An MoU set by the organization with a target for every gauge that needs one, so that
    every gauge can be scored (without it, a target gauge's answer is "missing")."""
    mou = Agreement.objects.create(participation=p, version=1, status=AgreementStatus.IMPOSED)
    Target.objects.bulk_create(
        Target(agreement=mou, part=part, gauge_code=gauge.code, value=Decimal(80))
        for part, _indicator, gauge in targets_needed(p)
    )


def own(p: Participation, gauge: str, score: float | str) -> Answer:
    """The agency's own answer of a judgement gauge, with its self-score."""
    return Answer.objects.create(
        participation=p,
        part="general",
        gauge_code=gauge,
        data={"score": score},
        score=Decimal(str(score)),
        status="scored",
        version=1,
    )


def assign(p: Participation, person: User, *, axes: Any = (), scope: str = "general") -> Assignment:
    return assignment_add(
        actor=User.objects.get(username="staff"),
        participation=p,
        evaluator=person,
        scope=scope,
        axes=list(axes),
    )


def during(cycle: Cycle, number: int = 8) -> Any:
    return time_machine.travel(step_day(cycle, number), tick=False)


def judge(
    p: Participation,
    person: User,
    gauge: str,
    score: float | str,
    *,
    notes: str = "",
    version: int | None = None,
) -> dict[str, Any]:
    if version is None:
        found = Review.objects.filter(
            participation=p, gauge_code=gauge, assignment__evaluator=person
        ).first()
        version = found.version if found else 0
    return review_save(
        actor=person,
        participation=p,
        part="general",
        gauge_code=gauge,
        data={"score": score},
        deficiencies=notes,
        version=version,
    )


def review_all(p: Participation, assignment: Assignment, *, seed: int = 3) -> int:
    """The evaluator scores every gauge of their scope (believable random answers)."""
    rng = random.Random(seed)
    count = 0
    for sheet in sheets(p):
        for _axis, indicator, gauge in scope_gauges(assignment, sheet):
            # A few draws find a scorable answer; a gauge that never yields one is a fault
            # to name, not a loop to wait on.
            data = next(
                (
                    found
                    for _ in range(50)
                    if (found := _scored_answer(rng, p, assignment, sheet.part, indicator, gauge))
                ),
                None,
            )
            assert data is not None, f"no scorable answer drawn for gauge {gauge.code}"
            review_save(
                actor=assignment.evaluator,
                participation=p,
                part=sheet.part,
                gauge_code=gauge.code,
                data=data,
                deficiencies="",
                version=0,
            )
            count += 1
    return count


def _scored_answer(
    rng: random.Random,
    p: Participation,
    assignment: Assignment,
    part: str,
    indicator: Any,
    gauge: Any,
) -> dict[str, Any] | None:
    raw = random_answer(rng, indicator, gauge)
    if not raw:
        return None
    raw.pop("target", None)
    try:
        data = clean_answer(indicator, gauge, raw)
        result = review_preview(
            actor=assignment.evaluator, participation=p, part=part, gauge_code=gauge.code, data=data
        )
    except DomainError:
        return None
    return data if data and result.status in REVIEWED else None


def approve_directly(assignment: Assignment) -> None:
    assignment.approved_at = timezone.now()
    assignment.save(update_fields=["approved_at"])


def snapshot() -> tuple[Any, ...]:
    """Everything a refused change must leave as it was."""
    return (
        list(
            Review.objects.order_by("pk").values_list(
                "gauge_code", "data", "score", "deficiencies", "version"
            )
        ),
        list(Consensus.objects.order_by("pk").values_list("gauge_code", "note")),
        list(Assignment.objects.order_by("pk").values_list("pk", "approved_at", "removed_at")),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
