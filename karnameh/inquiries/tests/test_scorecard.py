"""The body's answer feeds the organization's score: the scorecard's source is the inquiry."""

from decimal import Decimal

from karnameh.cycles.tests.builders import participation
from karnameh.evaluations.final import INQUIRY, scorecard
from karnameh.inquiries.models import How
from karnameh.inquiries.selectors import answered_gauges
from karnameh.inquiries.services import inquiry_answer, inquiry_correct

from .helpers import WELFARE, inquiry, letter, sent_cycle


def test_an_answer_is_what_counts_for_the_gauges_it_feeds(demo, demo_user):
    # given
    cycle = sent_cycle(agencies=("AR-ED", "AR-EF"))
    p = participation(cycle, "AR-ED")
    before = scorecard(p).part("general")
    # when
    inquiry_answer(
        actor=demo_user("assessor"),
        inquiry=inquiry(cycle, "accessibility", "AR-ED"),
        answers=WELFARE,
    )
    # then
    card = scorecard(p).part("general")
    assert "6.5.1" not in before.sources
    assert {code: card.sources[code] for code in WELFARE} == dict.fromkeys(WELFARE, INQUIRY)
    indicator = next(i for a in card.result.axes for i in a.indicators if i.code == "6.5")
    scores = {g.code: g.score for a in card.result.axes for i in a.indicators for g in i.gauges}
    assert scores["6.5.2"] == Decimal("5.5")
    assert card.result.total > before.result.total
    assert indicator.score == Decimal(20)  # 7 + 5.5 + 0 + 7.5
    # another agency's scorecard is untouched
    assert "6.5.1" not in scorecard(participation(cycle, "AR-EF")).part("general").sources


def test_a_correction_changes_the_score_that_counts(demo, demo_user):
    # given
    cycle = sent_cycle(agencies=("AR-ED",))
    found = inquiry(cycle, "accessibility", "AR-ED")
    inquiry_answer(
        actor=demo_user("staff"), inquiry=found, answers=WELFARE, how=How.LETTER, letter=letter()
    )
    # when
    inquiry_correct(
        actor=demo_user("assessor"),
        inquiry=found,
        answers={**WELFARE, "6.5.3": {"score": 6}},
        version=1,
        reason="بازدید دوم",
    )
    # then
    p = participation(cycle, "AR-ED")
    assert answered_gauges(p)[("general", "6.5.3")] == {"score": 6}
    card = scorecard(p).part("general")
    scores = {g.code: g.score for a in card.result.axes for i in a.indicators for g in i.gauges}
    assert scores["6.5.3"] == Decimal(6)


def test_unanswered_inquiries_feed_nothing(demo):
    # given
    cycle = sent_cycle(agencies=("AR-ED",))
    # then
    assert answered_gauges(participation(cycle, "AR-ED")) == {}
