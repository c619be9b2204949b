"""The agency's provisional scores: ``final.scorecard`` laid out by axis for the page and the API.

Nothing shows before an evaluator's initial approval of this agency: until then no score of
the organization exists for it (final.py ignores unapproved reviews, and an assessing body's
answer alone is not a provisional score). Every reader passes ``scores.view`` first.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from karnameh.accounts.permissions import require
from karnameh.cycles.models import Participation
from karnameh.cycles.selectors import visible_participation
from karnameh.scoring import Axis, Gauge, Indicator

from .final import CONVERGENCE, INQUIRY, OBJECTION, REVIEW, PartCard, Scorecard, scorecard
from .models import Assignment

SOURCE_LABELS = {
    REVIEW: _("evaluator"),
    INQUIRY: _("assessing body (inquiry)"),
    OBJECTION: _("objection decision"),
    CONVERGENCE: _("convergence with the final score"),
}


@dataclass
class CardGauge:
    indicator: Indicator
    gauge: Gauge
    self_score: Decimal
    score: Decimal | None  # None: no answer that counts yet
    source: str | None
    deficiencies: str

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS.get(self.source or "", ""))


@dataclass
class CardAxis:
    part: str
    axis: Axis
    self_score: Decimal
    score: Decimal
    rows: list[CardGauge] = field(default_factory=list)


@dataclass
class Provisional:
    participation: Participation
    approved: bool  # some evaluator gave the initial approval: there is something to show
    card: Scorecard | None = None
    axes: list[CardAxis] = field(default_factory=list)

    @property
    def shown(self) -> int:
        return sum(1 for axis in self.axes for row in axis.rows if row.source)


def _axes(card: PartCard) -> list[CardAxis]:
    counted = {g.code: g for g in card.result.gauges()}
    own = {g.code: g for g in card.self_result.gauges()}
    scores = {a.code: a.score for a in card.result.axes}
    self_scores = {a.code: a.score for a in card.self_result.axes}
    found = []
    for axis in card.sheet.engine.axes:
        block = CardAxis(
            card.part,
            axis,
            self_scores.get(axis.code, Decimal(0)),
            scores.get(axis.code, Decimal(0)),
        )
        for indicator in axis.indicators:
            for gauge in indicator.gauges:
                source = card.sources.get(gauge.code)
                review = card.reviews.get(gauge.code)
                block.rows.append(
                    CardGauge(
                        indicator=indicator,
                        gauge=gauge,
                        self_score=own[gauge.code].score if gauge.code in own else Decimal(0),
                        score=counted[gauge.code].score if source else None,
                        source=source,
                        deficiencies=review.deficiencies if review is not None else "",
                    )
                )
        found.append(block)
    return found


def has_approval(participation: Participation) -> bool:
    return Assignment.objects.filter(
        participation=participation, removed_at__isnull=True, approved_at__isnull=False
    ).exists()


def provisional(participation: Participation) -> Provisional:
    if not has_approval(participation):
        return Provisional(participation, approved=False)
    card = scorecard(participation)
    axes = [block for part in card.parts for block in _axes(part)]
    return Provisional(participation, approved=True, card=card, axes=axes)


def scores_participation(user: Any, cycle: int, agency: str) -> Participation:
    """The agency whose scores the user may read: 404 out of sight, 403 under the embargo."""
    participation = visible_participation(user, cycle, agency)
    require(user, "scores.view", participation)
    return participation
