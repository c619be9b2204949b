"""Final approval, the council's approval, reopening and publication: every role, every refusal."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.agencies.models import Province
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.models import AssessmentState, Cycle
from karnameh.cycles.tests.builders import after_step, open_cycle, participation, step_day
from karnameh.evaluations.models import Assignment, Review
from karnameh.notifications.models import Notification
from karnameh.results.locks import refuse_if_locked, scores_locked
from karnameh.results.models import Approval, Release, Result, Stage
from karnameh.results.services import council_approve, final_approve, publish, reopen

from .builders import evaluate

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = (
    "admin",
    "staff",
    "evaluator",
    "agency",
    "office",
    "hq",
    "assessor",
    "deputy",
    "council",
    "national",
)


def minutes() -> SimpleUploadedFile:
    return SimpleUploadedFile("صورت‌جلسه.pdf", PDF, content_type="application/pdf")


def state() -> tuple[Any, ...]:
    """Everything a refused action must leave as it was."""
    return (
        list(Approval.objects.order_by("pk").values_list("stage", "withdrawn_at")),
        list(Result.objects.order_by("pk").values_list("participation", "final", "fixed_at")),
        Release.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


@pytest.fixture
def cycle(demo: Any) -> Cycle:
    found = open_cycle()
    evaluate(found)
    return found


def user(name: str) -> User:
    return User.objects.get(username=name)


def approved(cycle: Cycle) -> None:
    with time_machine.travel(after_step(cycle, 9), tick=False):
        final_approve(actor=user("deputy"), cycle=cycle)


def test_the_deputy_approves_once_the_objection_window_has_closed(cycle: Cycle) -> None:
    before = AuditEvent.objects.count()
    approved(cycle)
    results = {r.participation.agency.code: r for r in Result.objects.all()}
    assert set(results) == {"AR-ED", "AR-EF", "AR-TAX", "AR-WEL"}
    ed = results["AR-ED"]
    # The agreed answers make the self-assessment equal the final score of every other gauge:
    # convergence (7.1.3) is full, its 10 points of 1000 are 1 point of 100 the agency did not
    # score itself.
    assert ed.final == ed.self_total + Decimal(1)
    assert Decimal(0) < ed.final <= Decimal(100)
    assert ed.general_max == Decimal(1000)
    assert scores_locked(cycle)
    with pytest.raises(DomainError, match="معاون"):
        refuse_if_locked(cycle)
    event = AuditEvent.objects.get(action="results.approve")
    assert Decimal(str(event.changes["results"]["AR-ED"])) == ed.final
    assert AuditEvent.objects.count() == before + 1
    # The council hears of it; no notice carries a score.
    notices = Notification.objects.filter(kind="results_deputy")
    assert {n.user.username for n in notices} == {"staff", "council"}
    assert all(str(ed.final) not in n.title + n.body for n in notices)


def test_the_final_approval_waits_for_the_objection_window(cycle: Cycle) -> None:
    before = state()
    window = time_machine.travel(step_day(cycle, 9, offset=3), tick=False)
    with window, pytest.raises(DomainError, match="اعتراض"):
        final_approve(actor=user("deputy"), cycle=cycle)
    assert state() == before


def test_the_final_approval_names_what_holds_it_up(cycle: Cycle) -> None:
    ed = participation(cycle, "AR-ED")
    Review.objects.filter(participation=ed, gauge_code="1.1.1").delete()
    tax = participation(cycle, "AR-TAX")
    Assignment.objects.filter(participation=tax).update(approved_at=None)
    before = state()
    later = time_machine.travel(after_step(cycle, 9), tick=False)
    with later, pytest.raises(DomainError) as refused:
        final_approve(actor=user("deputy"), cycle=cycle)
    message = refused.value.message
    assert ed.agency.name in message and "۱.۱.۱" in message
    assert tax.agency.name in message and "ev-results" in message
    assert state() == before


def test_an_agency_that_never_transferred_does_not_hold_the_cycle_up(cycle: Cycle) -> None:
    wel = participation(cycle, "AR-WEL")
    wel.state = AssessmentState.DRAFT
    wel.save(update_fields=["state"])
    Review.objects.filter(participation=wel).delete()
    approved(cycle)
    assert Result.objects.get(participation=wel).general == Decimal(0)


@pytest.mark.parametrize("name", [r for r in ROLES if r != "deputy"])
def test_only_the_deputy_gives_the_final_approval(cycle: Cycle, name: str) -> None:
    before = state()
    with time_machine.travel(after_step(cycle, 9), tick=False), pytest.raises(Forbidden):
        final_approve(actor=user(name), cycle=cycle)
    assert state() == before


def test_a_deputy_of_another_province_may_not_approve(cycle: Cycle) -> None:
    other = User.objects.create_user(username="ilam-deputy", password="x")
    RoleAssignment.objects.create(
        user=other, role=Role.DEPUTY, province=Province.objects.get(code="ilam")
    )
    before = state()
    with time_machine.travel(after_step(cycle, 9), tick=False), pytest.raises(Forbidden):
        final_approve(actor=other, cycle=cycle)
    assert state() == before


def test_the_final_approval_is_given_once(cycle: Cycle) -> None:
    approved(cycle)
    before = state()
    with pytest.raises(DomainError) as again:
        final_approve(actor=user("deputy"), cycle=cycle)
    assert again.value.code == "already_approved"
    assert state() == before


def test_the_council_approves_after_the_deputy_with_minutes(cycle: Cycle) -> None:
    before = state()
    with pytest.raises(DomainError) as early:
        council_approve(actor=user("council"), cycle=cycle, minutes=minutes())
    assert early.value.code == "no_final_approval"
    assert state() == before
    approved(cycle)
    before = state()
    with pytest.raises(DomainError) as bare:
        council_approve(actor=user("council"), cycle=cycle, minutes=None)
    assert bare.value.code == "minutes_required"
    assert state() == before
    approval = council_approve(actor=user("council"), cycle=cycle, minutes=minutes(), note="ok")
    assert approval.stage == Stage.COUNCIL and approval.minutes is not None
    assert AuditEvent.objects.filter(action="results.council").count() == 1


def test_two_different_people_approve(cycle: Cycle) -> None:
    """One account holding both roles may not record the council's approval of its own."""
    deputy = user("deputy")
    RoleAssignment.objects.create(
        user=deputy, role=Role.COUNCIL, province=Province.objects.get(code="ardabil")
    )
    approved(cycle)
    before = state()
    with pytest.raises(DomainError) as refused:
        council_approve(actor=deputy, cycle=cycle, minutes=minutes())
    assert refused.value.code == "same_person"
    assert state() == before


@pytest.mark.parametrize("name", [r for r in ROLES if r != "council"])
def test_only_a_council_member_records_the_councils_approval(cycle: Cycle, name: str) -> None:
    approved(cycle)
    before = state()
    with pytest.raises(Forbidden):
        council_approve(actor=user(name), cycle=cycle, minutes=minutes())
    assert state() == before


def both(cycle: Cycle) -> None:
    approved(cycle)
    council_approve(actor=user("council"), cycle=cycle, minutes=minutes())


def test_publication_needs_both_approvals(cycle: Cycle) -> None:
    before = state()
    with pytest.raises(DomainError, match="معاون"):
        publish(actor=user("staff"), cycle=cycle)
    assert state() == before
    approved(cycle)
    before = state()
    with pytest.raises(DomainError, match="شورا"):
        publish(actor=user("staff"), cycle=cycle)
    assert state() == before


@pytest.mark.parametrize("name", ["staff", "deputy"])
def test_staff_or_the_deputy_publish_and_everyone_is_told(cycle: Cycle, name: str) -> None:
    both(cycle)
    publish(actor=user(name), cycle=cycle)
    assert Release.objects.get(cycle=cycle).released_by == user(name)
    told = set(
        Notification.objects.filter(kind="results_published").values_list(
            "user__username", flat=True
        )
    )
    assert {"agency", "office", "hq", "national", "staff", "council"} <= told
    assert "assessor" not in told
    with pytest.raises(DomainError) as again:
        publish(actor=user(name), cycle=cycle)
    assert again.value.code == "released"


@pytest.mark.parametrize(
    "name", ["admin", "evaluator", "agency", "office", "hq", "assessor", "council", "national"]
)
def test_no_one_else_publishes(cycle: Cycle, name: str) -> None:
    both(cycle)
    before = state()
    with pytest.raises(Forbidden):
        publish(actor=user(name), cycle=cycle)
    assert state() == before


def test_the_deputy_reopens_with_a_reason_and_approves_again(cycle: Cycle) -> None:
    both(cycle)
    before = state()
    with pytest.raises(DomainError) as bare:
        reopen(actor=user("deputy"), cycle=cycle, reason="  ")
    assert bare.value.code == "reason"
    assert state() == before
    withdrawn = reopen(actor=user("deputy"), cycle=cycle, reason="خطای ورود در نماگر ۱.۱.۱")
    assert {a.stage for a in withdrawn} == {Stage.DEPUTY, Stage.COUNCIL}
    assert not scores_locked(cycle)
    refuse_if_locked(cycle)  # scores may change again
    event = AuditEvent.objects.get(action="results.reopen")
    assert event.changes["reason"] == "خطای ورود در نماگر ۱.۱.۱"
    assert (
        Notification.objects.filter(kind="results_reopened", user__username="evaluator").count()
        == 0
    )
    assert (
        Notification.objects.filter(kind="results_reopened", user__username="ev-results").count()
        == 1
    )
    # A second round: the deputy approves again and the totals are fixed again.
    final_approve(actor=user("deputy"), cycle=cycle)
    assert Approval.objects.filter(cycle=cycle, withdrawn_at__isnull=True).count() == 1


@pytest.mark.parametrize("name", [r for r in ROLES if r != "deputy"])
def test_only_the_deputy_reopens(cycle: Cycle, name: str) -> None:
    both(cycle)
    before = state()
    with pytest.raises(Forbidden):
        reopen(actor=user(name), cycle=cycle, reason="x")
    assert state() == before


def test_nothing_to_reopen_and_nothing_after_publication(cycle: Cycle) -> None:
    before = state()
    with pytest.raises(DomainError) as nothing:
        reopen(actor=user("deputy"), cycle=cycle, reason="x")
    assert nothing.value.code == "not_approved"
    assert state() == before
    both(cycle)
    publish(actor=user("staff"), cycle=cycle)
    before = state()
    with pytest.raises(DomainError) as late:
        reopen(actor=user("deputy"), cycle=cycle, reason="x")
    assert late.value.code == "released"
    assert state() == before


def test_a_second_approval_rewrites_each_result_in_place_with_the_new_scores(
    cycle: Cycle,
) -> None:
    # given: approved scores, then reopened and one gauge of AR-ED re-evaluated to zero
    approved(cycle)
    first = Result.objects.get(participation__agency__code="AR-ED")
    reopen(actor=user("deputy"), cycle=cycle, reason="بازبینی سنجه «۶.۴.۱»")
    review = Review.objects.get(
        participation=first.participation, part="general", gauge_code="6.4.1"
    )
    review.data = {"fields": {"received": 200, "handled": 0}}
    review.score, review.deficiencies = Decimal(0), 'هیچ درخواستی "رسیدگی" نشده\\است'
    review.save()
    before = next(g for g in first.gauges if g["code"] == "6.4.1")
    assert before["score"] != 0  # the random answer scored something
    # when: the deputy approves again, a day later (the results are written in one upsert)
    with time_machine.travel(after_step(cycle, 9) + dt.timedelta(days=1), tick=False):
        final_approve(actor=user("deputy"), cycle=cycle)
    # then: the same four rows, AR-ED's rewritten: the gauge scores nothing, the total drops
    assert Result.objects.count() == 4
    again = Result.objects.get(participation__agency__code="AR-ED")
    assert again.pk == first.pk
    after = next(g for g in again.gauges if g["code"] == "6.4.1")
    assert after["score"] == 0
    assert after["title"] == before["title"] and after["self"] == before["self"]
    assert again.final < first.final
    assert again.fixed_at == first.fixed_at + dt.timedelta(days=1)
    assert [g["code"] for g in again.gauges] == [g["code"] for g in first.gauges]
