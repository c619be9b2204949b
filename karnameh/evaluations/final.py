"""The organization's score of an agency: which answer counts for each gauge, scored by the engine.

For every gauge of each part, the answer that counts is, first found:

1. the latest **accepted objection** decision on that gauge (the expert group's answer);
2. for a gauge the catalogue gives to an assessing body, that body's **inquiry** answer;
3. the **review** of an evaluator whose part has its initial approval (تایید اولیه): the
   internal evaluator's before the external's (the organization's own expert decides; the
   external's score and the gap stay on record, and a large gap needs a consensus note);
4. for the convergence gauge (7.1.3), the self-assessment total of that part, and only once
   every other gauge has its answer and no objection is open ("once everything else is final").

Everything else is *missing* (0 points). The engine scores the whole part in one pass, so
not-applicable scaling and convergence come out exactly as in ``karnameh score``; the general
part is weighted by the agency type's weights and the parts composed by the cycle's
composition (``scoring.weights``). Nothing here writes: ``results.services`` fixes the totals.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from karnameh.accounts.models import EvaluatorOrigin
from karnameh.agreements.models import Target
from karnameh.agreements.selectors import IN_FORCE
from karnameh.assessments.models import Answer, Part
from karnameh.assessments.scoring import LATER, Sheet, part_result, sheets, with_target
from karnameh.cycles.models import Participation
from karnameh.inquiries.selectors import answered_gauges_of
from karnameh.objections.selectors import accepted_gauges_of, open_objections_of
from karnameh.scoring import CatalogueResult, Scorer
from karnameh.scoring.model import effective_assessor
from karnameh.scoring.numbers import written
from karnameh.scoring.weights import (
    Composed,
    check_composition,
    check_weights,
    compose,
    weighted_total,
)
from karnameh.scoring.weights import Part as WeightedPart

from .models import Assignment, Review

REVIEW, INQUIRY, OBJECTION, CONVERGENCE = "review", "inquiry", "objection", "convergence"


@dataclass
class PartCard:
    """One part (general or specific) of an agency's score."""

    sheet: Sheet
    result: CatalogueResult  # the organization's score, by the engine
    self_result: CatalogueResult  # the agency's self-assessment, by the same engine
    sources: dict[str, str] = field(default_factory=dict)  # gauge code -> where its answer came
    reviews: dict[str, Review] = field(default_factory=dict)  # gauge code -> the review used
    weighted: Decimal = Decimal(0)  # the part's total after the agency type's weights
    given: dict[str, Any] = field(default_factory=dict)  # gauge code -> the answer that counts
    convergence: list[str] = field(default_factory=list)  # gauges scored once the rest is final

    @property
    def part(self) -> str:
        return self.sheet.part

    def pending(self) -> list[str]:
        """Gauges that have no answer yet (convergence excluded: it waits for the rest)."""
        return [
            gauge.code
            for axis in self.sheet.engine.axes
            for indicator in axis.indicators
            for gauge in indicator.gauges
            if gauge.code not in self.sources and gauge.rule.kind not in LATER
        ]


@dataclass
class Scorecard:
    participation: Participation
    parts: list[PartCard]
    open_objections: int
    composed: Composed

    def part(self, name: str) -> PartCard | None:
        return next((p for p in self.parts if p.part == name), None)

    @property
    def complete(self) -> bool:
        """Every gauge has its final answer and no objection waits for a decision."""
        return not self.open_objections and not any(p.pending() for p in self.parts)


def prevailing(reviews: Iterable[Review]) -> dict[tuple[str, str], Review]:
    """(part, gauge) -> the review that counts: approved parts only, internal before external."""
    chosen: dict[tuple[str, str], Review] = {}
    for review in reviews:
        assignment = review.assignment
        if assignment.removed_at is not None or assignment.approved_at is None or not review.data:
            continue
        key = (review.part, review.gauge_code)
        held = chosen.get(key)
        if held is None or _rank(review) < _rank(held):
            chosen[key] = review
    return chosen


def _rank(review: Review) -> tuple[int, Any]:
    internal = review.assignment.origin == EvaluatorOrigin.INTERNAL
    return (0 if internal else 1, review.assignment.assigned_at)


def part_weights(participation: Participation, sheet: Sheet) -> dict[str, Decimal]:
    if sheet.part != Part.GENERAL:
        return check_weights(sheet.engine, {})
    cycle = participation.cycle
    stored: dict[str, Any] = next(
        (
            w.weights
            for w in cycle.weight_sets.all()
            if w.agency_type_id == participation.agency.agency_type_id
        ),
        {},
    )
    return check_weights(sheet.engine, stored)


@dataclass
class Inputs:
    """What one agency's scorecard is computed from, read in bulk for a whole cycle's page."""

    targets: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    inquired: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    objected: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    waiting: int = 0


ANSWER_READ = ("participation_id", "part", "gauge_code", "data", "score")


def load_inputs(participations: list[Participation]) -> dict[int, Inputs]:
    """Everything the scorecards of many agencies need, in seven queries whatever their number."""
    found = {p.pk: Inputs() for p in participations}
    for pk, given in answered_gauges_of(found).items():
        found[pk].inquired = given
    for pk, given in accepted_gauges_of(found).items():
        found[pk].objected = given
    for pk, count in open_objections_of(found).items():
        found[pk].waiting = count
    targets = Target.objects.filter(
        agreement__participation__in=found, agreement__status__in=IN_FORCE
    ).order_by("agreement__version")
    for target in targets.values_list("agreement__participation_id", "part", "gauge_code", "value"):
        found[target[0]].targets[(target[1], target[2])] = target[3]
    # Only what scoring reads: the national recomputation loads 306,900 answers, and each
    # column left out (the editor, the times) is that many values not parsed.
    for answer in Answer.objects.filter(participation__in=found).only(*ANSWER_READ):
        found[answer.participation_id].answers.append(answer)
    # An agency's assignments are few and its reviews many: each assignment (and evaluator) is
    # read once and shared by its reviews, not built again on every review row.
    for review in Review.objects.filter(
        participation__in=found,
        assignment__removed_at__isnull=True,
        assignment__approved_at__isnull=False,
    ).prefetch_related(Prefetch("assignment", Assignment.objects.select_related("evaluator"))):
        found[review.participation_id].reviews.append(review)
    return found


def scorecard(participation: Participation, inputs: Inputs | None = None) -> Scorecard:
    """The organization's score of one agency as it stands now (provisional until approved)."""
    got = inputs or load_inputs([participation])[participation.pk]
    targets, answers = got.targets, got.answers
    chosen = prevailing(got.reviews)
    inquired, objected, waiting = got.inquired, got.objected, got.waiting
    cards: list[PartCard] = []
    given: dict[str, dict[str, Any]] = {}
    for found in sheets(participation):
        card = _card(found, answers, targets, chosen, inquired, objected)
        given[card.part] = card.given
        cards.append(card)
    final = not waiting and not any(card.pending() for card in cards)
    for card in cards:
        for code in card.convergence:
            # Only now: the gap is measured against every other gauge's final score.
            if final:
                given[card.part][code] = {"self_total": written(card.self_result.total)}
                card.sources[code] = CONVERGENCE
        card.result = Scorer(card.sheet.engine).score(given[card.part])
        card.weighted = weighted_total(card.result, part_weights(participation, card.sheet)).total
    composition = check_composition(participation.cycle.composition)
    parts = {c.part: WeightedPart(c.weighted, c.result.max) for c in cards}
    return Scorecard(participation, cards, waiting, compose(composition, parts))


def _card(
    found: Sheet,
    answers: list[Answer],
    targets: dict[tuple[str, str], Decimal],
    chosen: dict[tuple[str, str], Review],
    inquired: dict[tuple[str, str], dict[str, Any]],
    objected: dict[tuple[str, str], dict[str, Any]],
) -> PartCard:
    """One part's answers that count, gauge by gauge (not yet scored)."""
    self_result = part_result(found, answers, targets)
    card = PartCard(found, self_result, self_result)
    for _axis, indicator, gauge in _gauges(found):
        key = (found.part, gauge.code)
        if gauge.rule.kind in LATER:
            card.convergence.append(gauge.code)
            continue
        if key in objected:
            data, card.sources[gauge.code] = objected[key], OBJECTION
        elif effective_assessor(indicator, gauge) and key in inquired:
            data, card.sources[gauge.code] = inquired[key], INQUIRY
        elif key in chosen:
            data, card.sources[gauge.code] = chosen[key].data, REVIEW
            card.reviews[gauge.code] = chosen[key]
        else:
            continue
        card.given[gauge.code] = with_target(data, targets.get(key))
    return card


def _gauges(sheet: Sheet) -> Iterable[tuple[Any, Any, Any]]:
    for axis in sheet.engine.axes:
        for indicator in axis.indicators:
            for gauge in indicator.gauges:
                yield axis, indicator, gauge
