"""Reading an evaluator's part: each gauge of their scope beside the agency's answer.

``review_sheet(assignment)`` is the one reading of an assignment that the review pages, the
API and ``initial_approve`` share: the gauges of its scope with the agency's self-score, this
evaluator's review, the other evaluators' reviews of the same gauge, the gap between the
internal and the external score and its consensus note. It reads a fixed number of rows
(answers, reviews, notes) whatever the number of gauges.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from karnameh.accounts.models import EvaluatorOrigin
from karnameh.accounts.permissions import require
from karnameh.assessments.models import Answer
from karnameh.assessments.scoring import sheets
from karnameh.cycles.models import Cycle, Participation
from karnameh.cycles.selectors import visible_participation
from karnameh.scoring import Axis, Gauge, Indicator

from .models import Assignment, Consensus, Review
from .scope import REVIEWED, gap_limit, needs_consensus, needs_deficiencies, scope_gauges


@dataclass
class ReviewRow:
    part: str
    axis: Axis
    indicator: Indicator
    gauge: Gauge
    answer: Answer | None
    review: Review | None  # this assignment's
    others: list[Review]  # other active evaluators' reviews of the gauge
    consensus: Consensus | None
    limit: Decimal  # the largest gap that needs no consensus note
    internal: Decimal | None = None  # the internal evaluator's score (first assigned)
    external: Decimal | None = None  # the external evaluator's score (first assigned)

    @property
    def self_score(self) -> Decimal:
        """The agency's self-score as stored with its answer; no answer scores zero."""
        if self.answer is None or self.answer.score is None:
            return Decimal(0)
        return self.answer.score

    @property
    def score(self) -> Decimal | None:
        return self.review.score if self.review is not None else None

    @property
    def reviewed(self) -> bool:
        return self.review is not None and self.review.status in REVIEWED

    @property
    def deficiencies_required(self) -> bool:
        return needs_deficiencies(self.score, self.self_score)

    @property
    def deficiencies_missing(self) -> bool:
        noted = self.review is not None and bool(self.review.deficiencies.strip())
        return self.deficiencies_required and not noted

    @property
    def gap(self) -> Decimal | None:
        if self.internal is None or self.external is None:
            return None
        return abs(self.internal - self.external)

    @property
    def needs_consensus(self) -> bool:
        return needs_consensus(self.internal, self.external, self.limit)

    @property
    def consensus_missing(self) -> bool:
        return self.needs_consensus and self.consensus is None


@dataclass
class ReviewSheet:
    assignment: Assignment
    rows: list[ReviewRow] = field(default_factory=list)

    @property
    def participation(self) -> Participation:
        return self.assignment.participation

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def reviewed(self) -> int:
        return sum(row.reviewed for row in self.rows)

    def row(self, code: str) -> ReviewRow | None:
        return next((row for row in self.rows if row.gauge.code == code), None)

    def unreviewed(self) -> list[str]:
        return [row.gauge.code for row in self.rows if not row.reviewed]

    def deficiencies_missing(self) -> list[str]:
        return [row.gauge.code for row in self.rows if row.reviewed and row.deficiencies_missing]

    def consensus_missing(self) -> list[str]:
        return [row.gauge.code for row in self.rows if row.consensus_missing]

    @property
    def approvable(self) -> bool:
        return not (self.unreviewed() or self.deficiencies_missing() or self.consensus_missing())


def scores_by_origin(reviews: list[Review]) -> tuple[Decimal | None, Decimal | None]:
    """The first-assigned internal and external evaluators' scores of one gauge."""
    found: dict[str, Decimal | None] = {}
    for review in sorted(reviews, key=lambda r: (r.assignment.assigned_at, r.assignment_id)):
        if review.status in REVIEWED and review.assignment.origin not in found:
            found[review.assignment.origin] = review.score
    return found.get(EvaluatorOrigin.INTERNAL), found.get(EvaluatorOrigin.EXTERNAL)


def review_sheet(assignment: Assignment, *, only: str | None = None) -> ReviewSheet:
    """The assignment's gauges (``only``: just that gauge's row) with everything beside them."""
    p = assignment.participation
    answers = {
        (a.part, a.gauge_code): a
        for a in Answer.objects.filter(participation=p, part=assignment.scope)
    }
    reviews: dict[str, list[Review]] = defaultdict(list)
    for review in Review.objects.filter(
        participation=p, part=assignment.scope, assignment__removed_at__isnull=True
    ).select_related("assignment", "assignment__evaluator", "updated_by"):
        reviews[review.gauge_code].append(review)
    notes = {
        c.gauge_code: c
        for c in Consensus.objects.filter(participation=p, part=assignment.scope).select_related(
            "written_by"
        )
    }
    percent = p.cycle.consensus_gap
    sheet = ReviewSheet(assignment)
    for found in sheets(p):
        for axis, indicator, gauge in scope_gauges(assignment, found):
            if only is not None and gauge.code != only:
                continue
            held = reviews.get(gauge.code, [])
            internal, external = scores_by_origin(held)
            sheet.rows.append(
                ReviewRow(
                    part=found.part,
                    axis=axis,
                    indicator=indicator,
                    gauge=gauge,
                    answer=answers.get((found.part, gauge.code)),
                    review=next((r for r in held if r.assignment_id == assignment.pk), None),
                    others=[r for r in held if r.assignment_id != assignment.pk],
                    consensus=notes.get(gauge.code),
                    limit=gap_limit(percent, gauge.max_score),
                    internal=internal,
                    external=external,
                )
            )
    return sheet


def reviewed_assignment(user: Any, cycle: int, pk: int) -> Assignment:
    """An active assignment whose reviews the user reads: 404 unless its agency is visible."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("evaluator", "participation__agency"),
        pk=pk,
        participation__cycle_id=cycle,
        removed_at__isnull=True,
    )
    p = visible_participation(user, cycle, assignment.participation.agency.code)
    assignment.participation = p
    require(user, "evaluation.reviews", assignment)
    require(user, "scores.view", p)
    return assignment


def own_assignment(user: Any, participation: Participation, part: str) -> Assignment | None:
    found = (
        Assignment.objects.filter(
            participation=participation, evaluator_id=user.pk, scope=part, removed_at__isnull=True
        )
        .select_related("evaluator")
        .first()
    )
    if found is not None:
        found.participation = participation
    return found


def assignments_of(participation: Participation) -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        participation=participation, removed_at__isnull=True
    ).select_related("evaluator")


def with_progress(cycle: Cycle, queryset: QuerySet[Participation]) -> QuerySet[Participation]:
    """Participations with their active assignments, each counting its reviewed gauges."""
    reviewed = Count("reviews", filter=Q(reviews__status__in=REVIEWED))
    return queryset.select_related("specific_catalogue").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(removed_at__isnull=True)
            .select_related("evaluator")
            .annotate(reviewed=reviewed)
            .order_by("scope", "evaluator__username"),
            to_attr="active",
        )
    )


def attach_totals(participation: Participation, cycle: Cycle) -> list[Assignment]:
    """The active assignments of a participation from ``with_progress``, each given its number
    of gauges (``total``) from the compiled catalogues."""
    participation.cycle = cycle
    found = sheets(participation)
    active: list[Assignment] = participation.active  # type: ignore[attr-defined]
    for assignment in active:
        assignment.participation = participation
        assignment.total = sum(len(scope_gauges(assignment, s)) for s in found)  # type: ignore[attr-defined]
    return active
