"""Consensus notes on large gaps, the evaluator's initial approval, and the staff's return."""

import pytest

from karnameh.accounts.models import User
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.tests.builders import open_cycle
from karnameh.evaluations.models import Assignment, Consensus
from karnameh.evaluations.reviews import consensus_write, initial_approve, initial_return
from karnameh.notifications.models import Notification

from .helpers import evaluator
from .scoring import (
    JUDGED,
    approve_directly,
    assign,
    during,
    judge,
    own,
    review_all,
    snapshot,
    transferred,
)

# Axis 7 has six gauges an evaluator scores (7.1.3, convergence, is not one of them).
AXIS = ["7"]
SEVEN_ONE_ONE = "7.1.1"  # judgement, max 20: with the default 20 % gap, the limit is 4


@pytest.fixture
def cycle(demo):
    return open_cycle()


@pytest.fixture
def p(cycle):
    return transferred(cycle)


def _pair(p, demo_user):
    internal = demo_user("evaluator")
    external = evaluator("ext", origin="external")
    return assign(p, internal, axes=AXIS), assign(p, external, axes=AXIS)


def _write(p, actor, note="پس از گفت‌وگو، امتیاز ارزیاب داخلی پذیرفته شد."):
    return consensus_write(
        actor=actor, participation=p, part="general", gauge_code=SEVEN_ONE_ONE, note=note
    )


@pytest.mark.parametrize(("external_score", "needed"), [(14, False), ("13.5", True), (10, True)])
def test_a_consensus_note_is_needed_only_above_the_cycles_gap(
    cycle, p, demo_user, external_score, needed
):
    # given: the internal evaluator gives 18; the limit is 20 % of 20 = 4
    inside, outside = _pair(p, demo_user)
    with during(cycle):
        review_all(p, inside)
        review_all(p, outside)
        judge(p, inside.evaluator, SEVEN_ONE_ONE, 18)
        judge(p, outside.evaluator, SEVEN_ONE_ONE, external_score)
        before = snapshot()
        # when
        if needed:
            with pytest.raises(DomainError) as refused:
                initial_approve(actor=inside.evaluator, assignment=inside)
        else:
            initial_approve(actor=inside.evaluator, assignment=inside)
    # then
    if needed:
        assert refused.value.code == "not_ready"
        assert "۷.۱.۱" in refused.value.message
        assert snapshot() == before
    else:
        assert Assignment.objects.get(pk=inside.pk).approved_at is not None


def test_on_the_gap_itself_no_note_may_be_written(cycle, p, demo_user):
    # given
    inside, outside = _pair(p, demo_user)
    with during(cycle):
        judge(p, inside.evaluator, SEVEN_ONE_ONE, 18)
        judge(p, outside.evaluator, SEVEN_ONE_ONE, 14)
        before = snapshot()
        # when
        with pytest.raises(DomainError) as refused:
            _write(p, inside.evaluator)
    # then
    assert refused.value.code == "no_gap"
    assert snapshot() == before


@pytest.mark.parametrize("writer", ["internal", "external", "staff"])
def test_either_evaluator_or_staff_writes_the_note_and_then_approval_passes(
    cycle, p, demo_user, writer
):
    # given
    inside, outside = _pair(p, demo_user)
    actor = {"internal": inside.evaluator, "external": outside.evaluator}.get(
        writer, demo_user("staff")
    )
    with during(cycle):
        review_all(p, inside)
        judge(p, inside.evaluator, SEVEN_ONE_ONE, 18)
        judge(p, outside.evaluator, SEVEN_ONE_ONE, 10)
        # when
        _write(p, actor)
        _write(p, actor, note="یادداشت بازنگری‌شده")
        initial_approve(actor=inside.evaluator, assignment=inside)
    # then
    note = Consensus.objects.get()
    assert (note.note, note.written_by) == ("یادداشت بازنگری‌شده", actor)
    assert AuditEvent.objects.filter(action="review.consensus").count() == 2


@pytest.mark.parametrize(
    "username", ["agency", "office", "hq", "national", "assessor", "deputy", "council", "idle"]
)
def test_nobody_else_writes_a_consensus_note(cycle, p, demo_user, username):
    # given
    inside, outside = _pair(p, demo_user)
    actor = evaluator("idle") if username == "idle" else demo_user(username)
    with during(cycle):
        judge(p, inside.evaluator, SEVEN_ONE_ONE, 18)
        judge(p, outside.evaluator, SEVEN_ONE_ONE, 10)
        before = snapshot()
        # when
        with pytest.raises(Forbidden):
            _write(p, actor)
    # then
    assert snapshot() == before


def test_an_evaluator_whose_axes_miss_the_gauge_writes_no_note(cycle, p, demo_user):
    inside, outside = _pair(p, demo_user)
    third = evaluator("axis2", origin="external")
    assign(p, third, axes=["2"])
    with during(cycle):
        judge(p, inside.evaluator, SEVEN_ONE_ONE, 18)
        judge(p, outside.evaluator, SEVEN_ONE_ONE, 10)
        with pytest.raises(Forbidden):
            _write(p, third)
    assert not Consensus.objects.exists()


def test_an_empty_note_is_refused(cycle, p, demo_user):
    inside, outside = _pair(p, demo_user)
    with during(cycle):
        judge(p, inside.evaluator, SEVEN_ONE_ONE, 18)
        judge(p, outside.evaluator, SEVEN_ONE_ONE, 10)
        with pytest.raises(DomainError) as refused:
            _write(p, inside.evaluator, note="   ")
    assert refused.value.code == "note_required"
    assert not Consensus.objects.exists()


def test_approval_lists_the_gauges_still_without_a_score(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    assignment = assign(p, person, axes=AXIS)
    with during(cycle):
        judge(p, person, SEVEN_ONE_ONE, 10)
        before = snapshot()
        # when
        with pytest.raises(DomainError) as refused:
            initial_approve(actor=person, assignment=assignment)
    # then
    message = refused.value.message
    for code in ("۷.۱.۲", "۷.۱.۴", "۷.۱.۵", "۷.۲.۱", "۷.۲.۲"):
        assert code in message
    assert "۷.۱.۳" not in message and "۷.۱.۱" not in message
    assert snapshot() == before


def test_approval_needs_the_deficiencies_of_a_score_below_the_self_score(cycle, p, demo_user):
    # given: reviewed without notes, then the agency's self-score rose (returned and resubmitted)
    person = demo_user("evaluator")
    assignment = assign(p, person, axes=AXIS)
    with during(cycle):
        review_all(p, assignment)
        judge(p, person, SEVEN_ONE_ONE, 10)
        own(p, SEVEN_ONE_ONE, 15)
        before = snapshot()
        # when
        with pytest.raises(DomainError) as refused:
            initial_approve(actor=person, assignment=assignment)
    # then
    assert "۷.۱.۱" in refused.value.message
    assert snapshot() == before


def test_the_initial_approval_closes_the_part_and_tells_the_agency_without_a_score(
    cycle, p, demo_user
):
    # given
    person = demo_user("evaluator")
    assignment = assign(p, person, axes=AXIS)
    with during(cycle):
        review_all(p, assignment)
        own(p, SEVEN_ONE_ONE, 18)
        judge(p, person, SEVEN_ONE_ONE, "12.5", notes="صورت‌جلسه‌ها امضا ندارند.")
        # when
        initial_approve(actor=person, assignment=assignment)
    # then
    assert Assignment.objects.get(pk=assignment.pk).approved_at is not None
    assert AuditEvent.objects.filter(action="evaluation.initial_approve").count() == 1
    told = Notification.objects.filter(kind="initial_approval")
    assert {n.user.username for n in told} == {"agency", "office"}
    for notice in told:
        assert notice.url == f"/evaluations/{cycle.pk}/AR-ED/scores/"
        assert "۱۲" not in notice.title + notice.body and "12" not in notice.title + notice.body


def test_an_approval_is_given_once(cycle, p, demo_user):
    person = demo_user("evaluator")
    assignment = assign(p, person, axes=AXIS)
    approve_directly(assignment)
    before = snapshot()
    with during(cycle), pytest.raises(DomainError) as refused:
        initial_approve(actor=person, assignment=assignment)
    assert refused.value.code == "already_approved"
    assert snapshot() == before


@pytest.mark.parametrize(
    "username",
    ["staff", "deputy", "council", "agency", "office", "hq", "national", "assessor", "admin"],
)
def test_only_the_evaluator_gives_their_initial_approval(cycle, p, demo_user, username):
    # given
    person = demo_user("evaluator")
    assignment = assign(p, person, axes=AXIS)
    with during(cycle):
        review_all(p, assignment)
        before = snapshot()
        # when
        with pytest.raises(Forbidden):
            initial_approve(actor=demo_user(username), assignment=assignment)
    # then
    assert snapshot() == before


def test_staff_return_an_approved_part_with_a_reason_and_the_evaluator_scores_again(
    cycle, p, demo_user
):
    # given
    person = demo_user("evaluator")
    assignment = assign(p, person)
    with during(cycle):
        judge(p, person, JUDGED, 10)
        approve_directly(assignment)
        # when
        initial_return(
            actor=demo_user("staff"), assignment=assignment, reason="نماگر ۲.۱۰.۱ بازبینی شود."
        )
        judge(p, person, JUDGED, 11)
    # then
    assert Assignment.objects.get(pk=assignment.pk).approved_at is None
    event = AuditEvent.objects.get(action="evaluation.initial_return")
    assert event.reason == "نماگر ۲.۱۰.۱ بازبینی شود."
    notice = Notification.objects.get(kind="initial_return")
    assert notice.user == person and "بازبینی" in notice.body


@pytest.mark.parametrize(
    ("approved", "reason", "code"),
    [(True, " ", "reason_required"), (False, "دلیل", "not_approved")],
)
def test_a_return_needs_an_approval_and_a_reason(cycle, p, demo_user, approved, reason, code):
    assignment = assign(p, demo_user("evaluator"))
    if approved:
        approve_directly(assignment)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        initial_return(actor=demo_user("staff"), assignment=assignment, reason=reason)
    assert refused.value.code == code
    assert snapshot() == before


@pytest.mark.parametrize(
    "username", ["evaluator", "deputy", "council", "agency", "office", "hq", "national", "assessor"]
)
def test_only_staff_return_a_part(cycle, p, demo_user, username):
    assignment = assign(p, demo_user("evaluator"))
    approve_directly(assignment)
    before = snapshot()
    with pytest.raises(Forbidden):
        initial_return(actor=demo_user(username), assignment=assignment, reason="دلیل")
    assert snapshot() == before


def test_staff_of_another_province_return_nothing(cycle, p, demo_user):
    from karnameh.accounts.models import Role, RoleAssignment
    from karnameh.agencies.models import Province

    ilam = User.objects.create_user(username="ilam-staff", password="x")
    RoleAssignment.objects.create(
        user=ilam, role=Role.STAFF, province=Province.objects.get(code="ilam")
    )
    assignment = assign(p, demo_user("evaluator"))
    approve_directly(assignment)
    before = snapshot()
    with pytest.raises(Forbidden):
        initial_return(actor=ilam, assignment=assignment, reason="دلیل")
    assert snapshot() == before
