"""A cycle evaluated end to end, as rows, for the tests of approvals, the embargo and the demo.

``evaluate(cycle)`` transfers every participation, assigns one internal general evaluator with
an initial approval, and gives every gauge the evaluator's answer (the agency's own answer when
``agree``: then the self-assessment total equals the final one and convergence is full).
"""

import random
from typing import Any

from django.utils import timezone

from karnameh.accounts.models import User
from karnameh.assessments.models import Answer
from karnameh.assessments.scoring import LATER, self_score, sheets
from karnameh.cycles.models import AssessmentState, Cycle
from karnameh.evaluations.models import Assignment, Review
from karnameh.evaluations.tests.helpers import evaluator
from karnameh.scoring.sample import random_answer


def evaluate(cycle: Cycle, *, seed: int = 7, agree: bool = True, who: User | None = None) -> User:
    staff = User.objects.get(username="staff")
    reviewer = who or evaluator("ev-results", origin="internal")
    rng = random.Random(seed)
    now = timezone.now()
    for p in cycle.participations.select_related("cycle", "agency"):
        p.state = AssessmentState.TRANSFERRED
        p.save(update_fields=["state"])
        assignment = Assignment.objects.create(
            participation=p,
            evaluator=reviewer,
            scope="general",
            origin="internal",
            assigned_by=staff,
            assigned_at=now,
            approved_at=now,
        )
        for sheet in sheets(p):
            for axis in sheet.engine.axes:
                for indicator in axis.indicators:
                    for gauge in indicator.gauges:
                        if gauge.rule.kind in LATER:
                            continue
                        data = _answer(rng, indicator, gauge)
                        result = self_score(sheet.engine, indicator, gauge, data, None)
                        Review.objects.create(
                            assignment=assignment,
                            participation=p,
                            part=sheet.part,
                            gauge_code=gauge.code,
                            data=data,
                            score=result.score,
                            status=result.status,
                        )
                        if agree:
                            Answer.objects.create(
                                participation=p,
                                part=sheet.part,
                                gauge_code=gauge.code,
                                data=data,
                                score=result.score,
                                status=result.status,
                            )
    return reviewer


def _answer(rng: random.Random, indicator: Any, gauge: Any) -> dict[str, Any]:
    answer = None
    while answer is None:  # random_answer leaves about one gauge in a hundred unanswered
        answer = random_answer(rng, indicator, gauge)
    return answer
