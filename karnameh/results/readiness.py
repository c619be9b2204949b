"""Is a cycle ready for the deputy's final approval? What still stands in the way, agency by agency.

An agency whose self-assessment was transferred is ready when every evaluator assigned to it
has given their initial approval, every gauge has the answer that counts (evaluations.final),
every counted score below the agency's self-score has notes of deficiencies, and none of its
objections waits for a decision. An agency that never transferred its
self-assessment is scored as it stands (what it did not enter scores nothing) and is listed as
such; it does not hold the cycle up. The objection window (step 9) must also have closed.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.common.text import persian_digits
from karnameh.cycles.deadlines import step_closes
from karnameh.cycles.models import AssessmentState, Cycle, Participation
from karnameh.evaluations.final import Scorecard, load_inputs, scorecard
from karnameh.evaluations.models import Assignment
from karnameh.evaluations.scope import needs_deficiencies
from karnameh.scoring import collector_paused


@dataclass
class AgencyReadiness:
    participation: Participation
    card: Scorecard
    transferred: bool
    unapproved: list[Assignment] = field(default_factory=list)
    # Gauges whose counted review is below the agency's self-score with no notes of
    # deficiencies: the agency changed its answers after the evaluator's initial approval (a
    # returned self-assessment, transferred again). Seed 002 wants notes for each.
    unnoted: list[str] = field(default_factory=list)

    @property
    def pending(self) -> list[str]:
        return [code for part in self.card.parts for code in part.pending()]

    @property
    def unnoted_text(self) -> str:
        return _("gauges scored below the self-score without notes of deficiencies: %(codes)s") % {
            "codes": persian_digits("، ".join(self.unnoted))
        }

    @property
    def ready(self) -> bool:
        if not self.transferred:
            return True
        return not self.unapproved and self.card.complete and not self.unnoted


@dataclass
class Readiness:
    cycle: Cycle
    agencies: list[AgencyReadiness]
    window_closes: dt.datetime | None
    now: dt.datetime

    @property
    def window_open(self) -> bool:
        return self.window_closes is None or self.now < self.window_closes

    @property
    def blocked(self) -> list[AgencyReadiness]:
        return [a for a in self.agencies if not a.ready]

    @property
    def ready(self) -> bool:
        return not self.window_open and not self.blocked


def participations(cycle: Cycle) -> list[Participation]:
    return list(
        cycle.participations.select_related(
            "agency", "agency__agency_type", "specific_catalogue"
        ).order_by("agency__code")
    )


def readiness(cycle: Cycle, *, now: dt.datetime | None = None) -> Readiness:
    with collector_paused():  # a whole cycle's answers and reviews, read and scored
        return _readiness(cycle, now or timezone.now())


def _readiness(cycle: Cycle, now: dt.datetime) -> Readiness:
    steps = {step.number: step for step in cycle.steps.all()}
    unapproved: dict[int, list[Assignment]] = {}
    for assignment in Assignment.objects.filter(
        participation__cycle=cycle, removed_at__isnull=True, approved_at__isnull=True
    ).select_related("evaluator"):
        unapproved.setdefault(assignment.participation_id, []).append(assignment)
    rows = []
    prefetch_related_objects([cycle], "weight_sets")
    found = participations(cycle)
    inputs = load_inputs(found)
    for p in found:
        p.cycle = cycle  # one cycle object: its weight sets are read once
        p._steps = steps  # type: ignore[attr-defined]  # shared with cycles.deadlines
        card = scorecard(p, inputs[p.pk])
        transferred = p.state == AssessmentState.TRANSFERRED
        own = {(a.part, a.gauge_code): a.score for a in inputs[p.pk].answers}
        unnoted = [
            code
            for part in card.parts
            for code, review in part.reviews.items()
            if needs_deficiencies(review.score, own.get((part.part, code)))
            and not review.deficiencies.strip()
        ]
        rows.append(AgencyReadiness(p, card, transferred, unapproved.get(p.pk, []), unnoted))
    return Readiness(cycle, rows, step_closes(steps, 9), now)
