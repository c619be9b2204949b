"""Filing, in-person objections, withdrawal, routing and decisions: every role, every refusal."""

from decimal import Decimal

import pytest
from django.utils import timezone

from karnameh.accounts.models import Role, RoleAssignment
from karnameh.agencies.models import Agency
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.evaluations.final import OBJECTION, REVIEW, scorecard
from karnameh.evaluations.tests.helpers import evaluator
from karnameh.notifications.models import Notification
from karnameh.objections.groups import meeting_record
from karnameh.objections.models import Objection
from karnameh.objections.selectors import accepted_gauges, open_objections
from karnameh.objections.services import (
    objection_decide,
    objection_file,
    objection_record,
    objection_route,
    objection_withdraw,
)
from karnameh.results.models import Approval

from .builders import (
    GAUGE,
    OVER,
    ROLES,
    WITHIN,
    ardabil,
    file,
    group,
    in_window,
    pdf,
    scored,
    state,
    user,
)


@pytest.fixture
def cycle(demo):
    found = open_cycle()
    scored(found)
    return found


def _general_total(p) -> Decimal:
    card = scorecard(p).part("general")
    assert card is not None
    return card.result.total


def _routed(cycle, *members):
    objection = file(cycle)
    member = members[0] if members else ardabil(Role.STAFF)
    team = group(cycle, member, *members[1:])
    return objection_route(actor=user("staff"), objection=objection, group=team), member


# Filing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["agency", "office"])
def test_the_agency_files_an_objection_to_a_scored_gauge(cycle, username):
    # given
    audit = AuditEvent.objects.count()
    # when
    objection = file(cycle, actor=user(username))
    # then
    assert (objection.state, objection.in_person, objection.source) == ("filed", False, REVIEW)
    assert objection.filed_by == user(username)
    assert objection.original_evaluator == user("evaluator")
    assert objection.old_score == Decimal(0)
    assert [f.name for f in objection.evidence.all()] == ["مستند.pdf"]
    assert AuditEvent.objects.count() == audit + 1
    assert AuditEvent.objects.order_by("pk").last().action == "objection.file"
    told = Notification.objects.filter(kind="objection_filed")
    assert {n.user.username for n in told} == {"staff"}
    assert open_objections(participation(cycle, "AR-ED")) == 1


@pytest.mark.parametrize("username", [r for r in ROLES if r not in ("agency", "office")])
def test_only_the_agency_itself_files(cycle, username):
    # given
    before = state()
    # when
    with pytest.raises(Forbidden):
        file(cycle, actor=user(username))
    # then
    assert state() == before


def test_another_agency_may_not_object_for_this_one(cycle):
    # given
    other = ardabil(Role.STAFF)
    RoleAssignment.objects.filter(user=other).update(
        role=Role.AGENCY, province=None, agency=Agency.objects.get(code="AR-EF")
    )
    before = state()
    # when
    with pytest.raises(Forbidden):
        file(cycle, actor=other)
    # then
    assert state() == before


@pytest.mark.parametrize(
    ("gauge", "code"),
    [("3.1.6", "not_scored"), ("7.1.3", "not_scored"), ("99.9.9", "not_found")],
)
def test_a_gauge_without_a_score_is_refused(cycle, gauge, code):
    # given
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        file(cycle, gauge=gauge)
    # then
    assert refused.value.code == code
    assert state() == before


def test_a_review_without_the_initial_approval_is_no_score_yet(demo):
    # given
    cycle = open_cycle()
    scored(cycle, approved=False)
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        file(cycle)
    # then
    assert refused.value.code == "not_scored"
    assert "۳.۱.۴" in refused.value.message
    assert state() == before


def test_the_reasoning_is_required(cycle):
    before = state()
    with pytest.raises(DomainError) as refused:
        file(cycle, reasoning="   ")
    assert refused.value.code == "reasoning_required"
    assert state() == before


def test_one_open_objection_per_gauge_and_another_once_it_is_withdrawn(cycle):
    # given
    first = file(cycle)
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        file(cycle, actor=user("office"))
    # then
    assert refused.value.code == "already_open"
    assert state() == before
    with in_window(cycle):
        objection_withdraw(actor=user("agency"), objection=first)
    assert file(cycle).state == "filed"


# In person --------------------------------------------------------------------------------


def test_staff_record_an_objection_brought_in_person(cycle):
    # when
    with in_window(cycle):
        objection = objection_record(
            actor=user("staff"),
            participation=participation(cycle, "AR-ED"),
            part="general",
            gauge_code=GAUGE,
            reasoning="نمایندهٔ دستگاه حضوری اعتراض کرد.",
            representative="آقای رحیمی",
            uploads=[pdf()],
        )
    # then
    assert objection.in_person and objection.recorded_by == user("staff")
    assert objection.filed_by is None
    assert objection.representative == "آقای رحیمی"
    assert AuditEvent.objects.order_by("pk").last().action == "objection.record"


@pytest.mark.parametrize("username", [r for r in ROLES if r not in ("staff", "admin")])
def test_only_staff_record_in_person_objections(cycle, username):
    before = state()
    with in_window(cycle), pytest.raises(Forbidden):
        objection_record(
            actor=user(username),
            participation=participation(cycle, "AR-ED"),
            part="general",
            gauge_code=GAUGE,
            reasoning="دلیل",
        )
    assert state() == before


def test_in_person_objections_keep_the_same_rules(cycle):
    # given: outside the window, and on a gauge with no score
    before = state()
    # when / then
    with pytest.raises(DomainError) as late:
        objection_record(
            actor=user("staff"),
            participation=participation(cycle, "AR-ED"),
            part="general",
            gauge_code=GAUGE,
            reasoning="دلیل",
        )
    with in_window(cycle), pytest.raises(DomainError) as unscored:
        objection_record(
            actor=user("staff"),
            participation=participation(cycle, "AR-ED"),
            part="general",
            gauge_code="3.1.6",
            reasoning="دلیل",
        )
    assert (late.value.code, unscored.value.code) == ("window_closed", "not_scored")
    assert state() == before


# Withdrawal -------------------------------------------------------------------------------


@pytest.mark.parametrize("username", [r for r in ROLES if r not in ("agency", "office")])
def test_only_the_agency_withdraws(cycle, username):
    objection = file(cycle)
    before = state()
    with pytest.raises(Forbidden):
        objection_withdraw(actor=user(username), objection=objection)
    assert state() == before


def test_a_decided_objection_can_no_longer_be_withdrawn(cycle):
    # given
    objection, member = _routed(cycle)
    objection_decide(actor=member, objection=objection, accepted=False, reasons="مستند نیست.")
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        objection_withdraw(actor=user("agency"), objection=objection)
    # then
    assert refused.value.code == "wrong_state"
    assert state() == before


# Routing ----------------------------------------------------------------------------------


def test_staff_route_to_a_group_and_its_members_are_told(cycle):
    # given
    objection = file(cycle)
    member = ardabil(Role.EVALUATOR)
    team = group(cycle, member, ardabil(Role.STAFF))
    # when
    routed = objection_route(actor=user("staff"), objection=objection, group=team)
    # then
    assert (routed.state, routed.group) == ("routed", team)
    told = Notification.objects.filter(kind="objection_routed")
    assert {n.user_id for n in told} == {m.pk for m in team.members.all()}
    assert AuditEvent.objects.order_by("pk").last().action == "objection.route"


def test_a_group_with_the_original_evaluator_is_refused_naming_them(cycle):
    # given
    objection = file(cycle)
    team = group(cycle, ardabil(Role.STAFF), user("evaluator"))
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        objection_route(actor=user("staff"), objection=objection, group=team)
    # then
    assert refused.value.code == "conflict_of_interest"
    assert user("evaluator").display_name in refused.value.message
    assert state() == before


def test_any_evaluator_who_reviewed_that_gauge_is_excluded_too(cycle):
    # given: an external evaluator also reviewed 3.1.4 of AR-ED (not the review that counts)
    external = evaluator("ext", origin="external")
    scored(cycle, who=external, gauges={GAUGE: OVER}, approved=False)
    objection = file(cycle)
    team = group(cycle, ardabil(Role.STAFF), external)
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        objection_route(actor=user("staff"), objection=objection, group=team)
    # then
    assert external.display_name in refused.value.message
    assert state() == before


def test_a_member_of_the_agency_itself_is_excluded(cycle):
    objection = file(cycle)
    insider = evaluator("insider", works_for="AR-ED")
    team = group(cycle, insider)
    before = state()
    with pytest.raises(DomainError) as refused:
        objection_route(actor=user("staff"), objection=objection, group=team)
    assert refused.value.code == "conflict_of_interest"
    assert state() == before


@pytest.mark.parametrize("username", [r for r in ROLES if r not in ("staff", "admin")])
def test_only_staff_route(cycle, username):
    objection = file(cycle)
    team = group(cycle)
    before = state()
    with pytest.raises(Forbidden):
        objection_route(actor=user(username), objection=objection, group=team)
    assert state() == before


def test_a_group_of_another_cycle_is_refused(cycle):
    objection = file(cycle)
    other = open_cycle(year=1404)
    team = group(other)
    before = state()
    with pytest.raises(DomainError) as refused:
        objection_route(actor=user("staff"), objection=objection, group=team)
    assert refused.value.code == "wrong_group"
    assert state() == before


# Decisions --------------------------------------------------------------------------------


def test_an_accepted_decision_gives_the_new_score_the_engine_computes(cycle):
    # given
    p = participation(cycle, "AR-ED")
    objection, member = _routed(cycle)
    total = _general_total(p)
    # when
    decided = objection_decide(
        actor=member,
        objection=objection,
        accepted=True,
        reasons="پست‌های مصوب جدید پذیرفته شد.",
        data=WITHIN,
    )
    # then
    assert decided.state == "accepted"
    assert (decided.old_score, decided.new_score) == (Decimal(0), Decimal(10))
    card = scorecard(p).part("general")
    assert card is not None
    assert card.sources[GAUGE] == OBJECTION
    assert card.result.gauge(GAUGE).score == Decimal(10)
    assert card.result.total == total + Decimal(10)
    assert accepted_gauges(p) == {("general", GAUGE): WITHIN}
    assert open_objections(p) == 0


def test_a_rejected_decision_leaves_the_score_as_it_was(cycle):
    p = participation(cycle, "AR-ED")
    objection, member = _routed(cycle)
    total = _general_total(p)
    decided = objection_decide(
        actor=member, objection=objection, accepted=False, reasons="مستند تازه‌ای نیامد."
    )
    assert (decided.state, decided.new_score, decided.answer) == ("rejected", None, {})
    card = scorecard(p).part("general")
    assert card is not None
    assert card.sources[GAUGE] == REVIEW
    assert card.result.total == total


@pytest.mark.parametrize("accepted", [True, False])
def test_the_agency_hears_of_the_decision_without_its_score(cycle, accepted):
    objection, member = _routed(cycle)
    objection_decide(
        actor=member, objection=objection, accepted=accepted, reasons="دلایل", data=WITHIN
    )
    told = Notification.objects.filter(kind="objection_decided")
    assert {n.user.username for n in told} == {"agency", "office"}
    assert all("۱۰" not in n.title + n.body and "10" not in n.title + n.body for n in told)
    assert all(n.url == f"/objections/{cycle.pk}/{objection.pk}/" for n in told)


@pytest.mark.parametrize("accepted", [True, False])
def test_reasons_are_required_both_ways(cycle, accepted):
    objection, member = _routed(cycle)
    before = state()
    with pytest.raises(DomainError) as refused:
        objection_decide(
            actor=member, objection=objection, accepted=accepted, reasons=" ", data=WITHIN
        )
    assert refused.value.code == "reasons_required"
    assert state() == before


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (None, "answer_required"),
        ({"fields": {"posts": "100"}}, "bad_answer"),
        ({"x": 1}, "bad_answer"),
    ],
)
def test_an_acceptance_needs_an_answer_that_scores(cycle, data, code):
    objection, member = _routed(cycle)
    before = state()
    with pytest.raises(DomainError) as refused:
        objection_decide(actor=member, objection=objection, accepted=True, reasons="د", data=data)
    assert refused.value.code == code
    assert state() == before


@pytest.mark.parametrize("username", ROLES)
def test_only_a_member_of_its_group_decides(cycle, username):
    objection, _member = _routed(cycle)
    before = state()
    with pytest.raises(Forbidden):
        objection_decide(
            actor=user(username), objection=objection, accepted=True, reasons="د", data=WITHIN
        )
    assert state() == before


def test_the_original_evaluator_never_decides_even_if_added_later(cycle):
    # given: the evaluator slipped into the group after routing (outside the services)
    objection, _member = _routed(cycle)
    objection.group.members.add(user("evaluator"))
    before = state()
    # when
    with pytest.raises(Forbidden) as refused:
        objection_decide(
            actor=user("evaluator"), objection=objection, accepted=True, reasons="د", data=WITHIN
        )
    # then
    assert "۳.۱.۴" in refused.value.message
    assert state() == before


def test_an_objection_not_yet_routed_is_not_decided(cycle):
    objection = file(cycle)
    member = ardabil(Role.STAFF)
    objection.group = group(cycle, member)
    objection.save(update_fields=["group"])
    before = state()
    with pytest.raises(DomainError) as refused:
        objection_decide(actor=member, objection=objection, accepted=False, reasons="د")
    assert refused.value.code == "wrong_state"
    assert state() == before


def test_a_decision_in_a_meeting_of_the_group(cycle):
    # given
    objection, member = _routed(cycle)
    meeting = meeting_record(
        actor=user("staff"),
        group=objection.group,
        held_on=timezone.now().date(),
        present=[member],
        minutes=pdf("صورت‌جلسه.pdf"),
    )
    other = meeting_record(
        actor=user("staff"),
        group=group(cycle, member, name="گروه دیگر"),
        held_on=timezone.now().date(),
        present=[member],
        minutes=pdf(),
    )
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        objection_decide(
            actor=member, objection=objection, accepted=False, reasons="د", meeting=other
        )
    assert refused.value.code == "wrong_meeting"
    assert state() == before
    decided = objection_decide(
        actor=member, objection=objection, accepted=False, reasons="د", meeting=meeting
    )
    # then
    assert decided.meeting == meeting


def test_the_latest_accepted_decision_on_a_gauge_counts(cycle):
    p = participation(cycle, "AR-ED")
    first, member = _routed(cycle)
    objection_decide(actor=member, objection=first, accepted=True, reasons="د", data=WITHIN)
    second = file(cycle)
    routed = objection_route(actor=user("staff"), objection=second, group=first.group)
    assert routed.old_score == Decimal(10) and routed.source == OBJECTION
    objection_decide(actor=member, objection=routed, accepted=True, reasons="د", data=OVER)
    assert accepted_gauges(p) == {("general", GAUGE): OVER}
    assert scorecard(p).part("general").result.gauge(GAUGE).score == Decimal(0)


# The lock after the deputy's final approval --------------------------------------------------


def test_nothing_changes_once_the_deputy_has_approved(cycle):
    # given
    routed, member = _routed(cycle)
    Approval.objects.create(
        cycle=cycle, stage="deputy", approved_by=user("deputy"), approved_at=timezone.now()
    )
    before = state()
    p = participation(cycle, "AR-ED")
    # when / then
    attempts = [
        lambda: objection_decide(actor=member, objection=routed, accepted=False, reasons="د"),
        lambda: objection_withdraw(actor=user("agency"), objection=routed),
        lambda: objection_route(actor=user("staff"), objection=routed, group=routed.group),
        lambda: objection_file(
            actor=user("agency"),
            participation=p,
            part="general",
            gauge_code="1.1.1",
            reasoning="د",
        ),
        lambda: objection_record(
            actor=user("staff"),
            participation=p,
            part="general",
            gauge_code="1.1.1",
            reasoning="د",
        ),
    ]
    for attempt in attempts:
        with in_window(cycle), pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.code == "scores_locked"
    assert state() == before
    assert Objection.objects.count() == 1
