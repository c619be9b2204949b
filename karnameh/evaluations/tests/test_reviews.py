"""Saving an evaluator's score: who may, which gauges, until when, with which notes.

Every refusal also asserts that nothing changed (reviews, notes, approvals, audit events,
notifications).
"""

from decimal import Decimal

import pytest
import time_machine

from karnameh.accounts.models import Role
from karnameh.assessments.services import Conflict
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.models import AssessmentState
from karnameh.cycles.tests.builders import after_step, open_cycle, step_day
from karnameh.evaluations.models import Review
from karnameh.evaluations.reviews import review_preview, review_save
from karnameh.evaluations.services import assignment_remove
from karnameh.results.models import Approval, Stage

from .helpers import evaluator
from .scoring import (
    ASSESSED,
    JUDGED,
    LATER,
    OTHER_AXIS,
    approve_directly,
    assign,
    during,
    judge,
    own,
    snapshot,
    transferred,
)


@pytest.fixture
def cycle(demo):
    return open_cycle()


@pytest.fixture
def p(cycle):
    return transferred(cycle)


def test_the_evaluator_saves_a_score_computed_by_the_engine_and_audited(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    assign(p, person, axes=["2"])
    own(p, JUDGED, 12)
    # when
    with during(cycle):
        saved = judge(p, person, JUDGED, "۱۴٫۵")
    # then
    review = Review.objects.get()
    assert (saved["version"], saved["changed"], saved["status"]) == (1, True, "scored")
    assert (review.score, review.data, review.part) == (Decimal("14.5"), {"score": 14.5}, "general")
    event = AuditEvent.objects.filter(action="review.save").get()
    assert event.changes["score"] == [None, "14.50"]


def test_saving_the_same_answer_again_changes_nothing(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    assign(p, person)
    with during(cycle):
        judge(p, person, JUDGED, 10)
        events = AuditEvent.objects.count()
        # when
        again = judge(p, person, JUDGED, 10)
    # then
    assert (again["changed"], again["version"]) == (False, 1)
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("score", "notes", "saved"),
    [
        ("12", "", True),  # equal to the self-score: no notes needed
        ("11.99", "", False),  # just below: notes required
        ("11.99", "مستندات ناقص است.", True),
        ("20", "", True),
    ],
)
def test_deficiencies_are_required_below_the_self_score_only(
    cycle, p, demo_user, score, notes, saved
):
    # given
    person = demo_user("evaluator")
    assign(p, person)
    own(p, JUDGED, 12)
    before = snapshot()
    # when
    with during(cycle):
        if saved:
            judge(p, person, JUDGED, score, notes=notes)
        else:
            with pytest.raises(DomainError) as refused:
                judge(p, person, JUDGED, score, notes=notes)
    # then
    if saved:
        assert Review.objects.get().deficiencies == notes
    else:
        assert refused.value.code == "deficiencies_required"
        assert "۲.۱۰.۱" in refused.value.message and "۱۱٫۹۹" in refused.value.message
        assert snapshot() == before


def test_without_an_answer_the_self_score_is_zero_and_no_note_is_needed(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    assign(p, person)
    # when
    with during(cycle):
        judge(p, person, JUDGED, 0)
    # then
    assert Review.objects.get().score == 0


def test_a_gauge_outside_the_assigned_axes_is_refused(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    assign(p, person, axes=["2"])
    before = snapshot()
    # when
    with during(cycle), pytest.raises(Forbidden) as refused:
        judge(p, person, OTHER_AXIS, 5)
    # then
    assert "۱" in refused.value.message and "۲" in refused.value.message
    assert snapshot() == before


@pytest.mark.parametrize(("gauge", "code"), [(LATER, "later"), (ASSESSED, "assessing_body")])
def test_convergence_and_assessing_body_gauges_are_not_the_evaluators(
    cycle, p, demo_user, gauge, code
):
    # given
    person = demo_user("evaluator")
    assign(p, person)
    before = snapshot()
    # when
    with during(cycle), pytest.raises(DomainError) as refused:
        judge(p, person, gauge, 5)
    # then
    assert refused.value.code == code
    assert snapshot() == before


def test_an_unknown_gauge_is_refused(cycle, p, demo_user):
    person = demo_user("evaluator")
    assign(p, person)
    with during(cycle), pytest.raises(DomainError) as refused:
        judge(p, person, "9.9.9", 5)
    assert refused.value.code == "not_found"


def test_the_evaluation_closes_with_step_8_unless_the_agency_has_an_extension(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    assign(p, person)
    with time_machine.travel(step_day(cycle, 8), tick=False):
        judge(p, person, JUDGED, 5)
    before = snapshot()
    # when: a minute after step 8 closed
    with time_machine.travel(after_step(cycle, 8), tick=False):
        with pytest.raises(DomainError) as refused:
            judge(p, person, JUDGED, 6)
        # then
        assert refused.value.code == "locked"
        assert snapshot() == before
        # given an extension for this agency, the same save goes through
        p.extended_until = after_step(cycle, 8, minutes=60 * 24)
        p.save(update_fields=["extended_until"])
        judge(p, person, JUDGED, 6)
    assert Review.objects.get().score == 6


def test_a_minute_before_step_8_closes_the_save_goes_through(cycle, p, demo_user):
    person = demo_user("evaluator")
    assign(p, person)
    with time_machine.travel(after_step(cycle, 8, minutes=-1), tick=False):
        judge(p, person, JUDGED, 5)
    assert Review.objects.count() == 1


@pytest.mark.parametrize(
    "state",
    [AssessmentState.DRAFT, AssessmentState.SUBMITTED, AssessmentState.HQ_APPROVED],
)
def test_a_self_assessment_not_transferred_cannot_be_scored(cycle, p, demo_user, state):
    # given
    person = demo_user("evaluator")
    assign(p, person)
    p.state = state
    p.save(update_fields=["state"])
    before = snapshot()
    # when
    with during(cycle), pytest.raises(DomainError) as refused:
        judge(p, person, JUDGED, 5)
    # then
    assert refused.value.code == "not_transferred"
    assert snapshot() == before


@pytest.mark.parametrize(
    "username",
    ["staff", "deputy", "council", "agency", "office", "hq", "national", "assessor", "admin"],
)
def test_only_the_assigned_evaluator_scores(cycle, p, demo_user, username):
    # given
    assign(p, demo_user("evaluator"))
    before = snapshot()
    # when
    with during(cycle), pytest.raises(Forbidden):
        judge(p, demo_user(username), JUDGED, 5)
    # then
    assert snapshot() == before


def test_an_evaluator_of_the_other_part_or_another_agency_may_not_score(cycle, p, demo_user):
    # given
    general = demo_user("evaluator")
    specific = evaluator("spec", scope="specific")
    assign(p, general)
    assign(transferred(cycle, "AR-EF"), evaluator("ef-eval"))
    assign(p, specific, scope="specific")
    before = snapshot()
    # when / then
    with during(cycle):
        for person in (specific, evaluator("idle")):
            with pytest.raises(Forbidden):
                judge(p, person, JUDGED, 5)
    assert snapshot() == before


def test_a_removed_assignment_or_an_evaluator_role_withdrawn_scores_nothing(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    assignment = assign(p, person)
    other = evaluator("gone")
    assign(p, other)
    assignment_remove(actor=demo_user("staff"), assignment=assignment, reason="جابه‌جایی")
    other.roles.filter(role=Role.EVALUATOR).update(is_active=False)
    before = snapshot()
    # when / then
    with during(cycle):
        for actor in (person, other):
            with pytest.raises(Forbidden):
                judge(p, actor, JUDGED, 5)
    assert snapshot() == before


def test_after_the_initial_approval_the_scores_no_longer_change(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    approve_directly(assign(p, person))
    before = snapshot()
    # when
    with during(cycle), pytest.raises(DomainError) as refused:
        judge(p, person, JUDGED, 5)
    # then
    assert refused.value.code == "approved"
    assert snapshot() == before


def test_after_the_deputys_final_approval_the_scores_are_locked(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    assign(p, person)
    with during(cycle):
        Approval.objects.create(
            cycle=cycle,
            stage=Stage.DEPUTY,
            approved_by=demo_user("deputy"),
            approved_at=step_day(cycle, 8),
        )
        before = snapshot()
        # when
        with pytest.raises(DomainError) as refused:
            judge(p, person, JUDGED, 5)
    # then
    assert refused.value.code == "scores_locked"
    assert snapshot() == before


def test_a_save_from_an_older_version_is_a_conflict_and_saves_nothing(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    assign(p, person)
    with during(cycle):
        judge(p, person, JUDGED, 10)
        before = snapshot()
        # when
        with pytest.raises(Conflict) as conflict:
            judge(p, person, JUDGED, 15, version=0)
    # then
    assert conflict.value.status_code == 409
    assert conflict.value.theirs["data"] == {"score": 10}
    assert conflict.value.mine["data"] == {"score": 15}
    assert snapshot() == before


def test_a_retried_request_key_is_applied_once(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    assign(p, person)

    def send():
        return review_save(
            actor=person,
            participation=p,
            part="general",
            gauge_code=JUDGED,
            data={"score": 8},
            version=0,
            key="retry-1",
        )

    # when
    with during(cycle):
        first = send()
        second = send()
    # then
    assert first["version"] == second["version"] == 1
    assert second["replayed"] is True
    assert Review.objects.count() == 1
    assert AuditEvent.objects.filter(action="review.save").count() == 1


def test_bad_figures_are_refused_by_the_agencys_own_checks(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    assign(p, person)
    before = snapshot()
    # when
    with during(cycle), pytest.raises(DomainError) as refused:
        judge(p, person, JUDGED, 25)
    # then
    assert refused.value.code == "bad_answer"
    assert "۲۰" in refused.value.message
    assert snapshot() == before


def test_the_preview_scores_like_the_save_and_saves_nothing(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    assign(p, person)
    before = snapshot()
    # when
    result = review_preview(
        actor=person, participation=p, part="general", gauge_code=JUDGED, data={"score": "7.5"}
    )
    # then
    assert (result.score, result.status) == (Decimal("7.5"), "scored")
    assert snapshot() == before


@pytest.mark.parametrize("username", ["staff", "agency", "hq"])
def test_only_the_evaluator_previews(cycle, p, demo_user, username):
    assign(p, demo_user("evaluator"))
    with pytest.raises(Forbidden):
        review_preview(
            actor=demo_user(username),
            participation=p,
            part="general",
            gauge_code=JUDGED,
            data={"score": 1},
        )


def test_a_specific_evaluator_needs_a_specific_catalogue(cycle, p, demo_user):
    # given: AR-ED has no specific catalogue in this cycle
    spec = evaluator("spec3", scope="specific")
    assign(p, spec, scope="specific")
    # when
    with during(cycle), pytest.raises(DomainError) as refused:
        review_save(
            actor=spec,
            participation=p,
            part="specific",
            gauge_code="1.1.1",
            data={},
            version=0,
        )
    # then
    assert refused.value.code == "not_found"
