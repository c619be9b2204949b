"""The workflow's rules beyond who: reasons, minutes, stale pages, deadlines, retries, audit."""

import pytest
import time_machine

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.agencies.models import Agency
from karnameh.assessments.services import participation_extend
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.models import AssessmentState as S
from karnameh.cycles.models import Participation
from karnameh.cycles.tests.builders import after_step, open_cycle, participation, step_day
from karnameh.files.models import StoredFile
from karnameh.notifications.models import Notification

from .test_transitions import at_state, move, snapshot


@pytest.fixture
def cycle(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return open_cycle(agencies=("AR-ED", "AR-EF", "ED"))


def person(username: str, role: str, agency_code: str) -> User:
    user = User.objects.create(username=username, first_name="کاربر", last_name=username)
    RoleAssignment.objects.create(user=user, role=role, agency=Agency.objects.get(code=agency_code))
    return user


def test_the_whole_road_with_an_hq_and_the_office_cannot_transfer(cycle, demo_user):
    # given: AR-EF, whose HQ is EF; its office and an HQ user of EF
    office = person("ef_office", Role.PERFORMANCE_OFFICE, "AR-EF")
    hq = person("ef_hq", Role.HQ, "EF")
    agency = person("ef_agency", Role.AGENCY, "AR-EF")
    p = participation(cycle, "AR-EF")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        move(agency, p, "submit")
        move(office, p, "office_approve")
        # when: the office tries to transfer before the HQ approved
        before = snapshot(p)
        with pytest.raises(Forbidden):
            move(office, p, "transfer")
        assert snapshot(p) == before
        move(hq, p, "hq_approve")
        with pytest.raises(Forbidden):
            move(office, p, "transfer")
        # then: the HQ transfers
        assert move(hq, p, "transfer")["state"] == S.TRANSFERRED
    p.refresh_from_db()
    assert p.transferred_by == hq and p.hq_approved_by == hq and p.office_approved_by == office


def test_without_an_hq_above_the_office_transfers_after_the_council(cycle, demo_user):
    # given: the HQ «ED» itself taking part: nobody above it
    office = person("ed_office", Role.PERFORMANCE_OFFICE, "ED")
    p = participation(cycle, "ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        move(office, p, "submit")
        move(office, p, "office_approve")
        # when: the office transfers straight after the council's approval
        result = move(office, p, "transfer")
        # then
        assert result["state"] == S.TRANSFERRED
        # and the HQ user of ED is not "the HQ above" its own HQ
        p2 = at_state(participation(cycle, "ED"), S.OFFICE_APPROVED)
        with pytest.raises(Forbidden):
            move(demo_user("hq"), p2, "hq_approve")


@pytest.mark.parametrize(
    ("name", "source", "role"),
    [
        ("withdraw", S.SUBMITTED, "agency"),
        ("office_return", S.SUBMITTED, "office"),
        ("office_revoke", S.OFFICE_APPROVED, "office"),
        ("hq_return", S.OFFICE_APPROVED, "hq"),
        ("hq_revoke", S.HQ_APPROVED, "hq"),
        ("return_transfer", S.TRANSFERRED, "staff"),
    ],
)
def test_going_back_needs_a_reason(cycle, demo_user, name, source, role):
    # given
    p = at_state(participation(cycle, "AR-ED"), source)
    before = snapshot(p)
    # when: no reason (blank after trimming)
    with time_machine.travel(step_day(cycle, 6), tick=False), pytest.raises(DomainError) as refused:
        move(demo_user(role), p, name, reason="   ")
    # then: refused with the reason named, nothing changed
    assert refused.value.code == "refused"
    assert snapshot(p) == before


def test_the_councils_approval_needs_its_minutes_and_keeps_them(cycle, demo_user):
    p = at_state(participation(cycle, "AR-ED"), S.SUBMITTED)
    before = snapshot(p)
    with time_machine.travel(step_day(cycle, 6), tick=False):
        # when: no minutes attached
        with pytest.raises(DomainError):
            move(demo_user("office"), p, "office_approve", minutes=None)
        assert snapshot(p) == before and not StoredFile.objects.exists()
        # when: with the minutes
        move(demo_user("office"), p, "office_approve")
    # then: stored, linked, and named in the audit event
    p.refresh_from_db()
    assert p.office_minutes is not None and p.office_minutes.name == "صورتجلسه.pdf"
    event = AuditEvent.objects.get(action="assessment.office_approve")
    assert event.changes["minutes"] == [None, "صورتجلسه.pdf"]


def test_a_return_sends_it_back_with_the_note_and_clears_the_approvals(cycle, demo_user):
    p = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        move(demo_user("agency"), p, "submit")
        move(demo_user("office"), p, "office_approve")
        # when: the HQ returns it
        move(demo_user("hq"), p, "hq_return", reason="شاخص ۲٫۱ مستند ندارد")
    # then: a draft again, the note kept for the agency, the council's approval undone
    p.refresh_from_db()
    assert p.state == S.DRAFT and p.return_note == "شاخص ۲٫۱ مستند ندارد"
    assert p.office_approved_at is None and p.office_minutes is None
    # and the agency's users are told, with the reason
    returned = Notification.objects.filter(kind="returned", user=demo_user("agency"))
    assert returned.count() == 1 and "۲٫۱" in returned.get().body


def test_a_page_opened_before_someone_else_acted_is_refused(cycle, demo_user):
    # given: the office opened the page at version 1, then the agency withdrew and resubmitted
    p = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        move(demo_user("agency"), p, "submit")
        seen = Participation.objects.get(pk=p.pk).version
        move(demo_user("agency"), p, "withdraw")
        move(demo_user("agency"), p, "submit")
        before = snapshot(p)
        # when: the office approves what it saw
        with pytest.raises(DomainError) as refused:
            move(demo_user("office"), p, "office_approve", version=seen)
    # then: stale, nothing changed
    assert refused.value.code == "stale"
    assert snapshot(p) == before


def test_a_retried_submit_with_the_same_key_gives_the_same_receipt_once(cycle, demo_user):
    p = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        # when: the same submission arrives twice
        first = move(demo_user("agency"), p, "submit", key="submit-1", version=0)
        again = move(demo_user("agency"), p, "submit", key="submit-1", version=0)
    # then: one receipt, one version, one audit event; the retry is flagged
    assert again["receipt"] == first["receipt"] and again["replayed"] is True
    p.refresh_from_db()
    assert p.version == 1 and p.receipt == first["receipt"]
    assert AuditEvent.objects.filter(action="assessment.submit").count() == 1
    # and the receipt is told to the agency's other users and the office asked to approve
    assert (
        Notification.objects.filter(kind="approval_needed", user=demo_user("office")).count() == 1
    )


def test_submission_closes_with_step_6_and_an_extension_reopens_it(cycle, demo_user):
    p = participation(cycle, "AR-ED")
    with time_machine.travel(after_step(cycle, 6), tick=False):
        before = snapshot(p)
        # when: a minute after step 6 ended
        with pytest.raises(DomainError) as refused:
            move(demo_user("agency"), p, "submit")
        # then: refused, naming the last day; nothing changed
        assert refused.value.code == "locked" and "۱۴۰۳/۰۴/۱۲" in refused.value.message
        assert snapshot(p) == before
        # when: staff extend for three days
        participation_extend(
            actor=demo_user("staff"),
            participation=p,
            until=after_step(cycle, 6, minutes=3 * 24 * 60),
            reason="قطعی برق",
        )
        p.refresh_from_db()
        # then: the agency can submit
        assert move(demo_user("agency"), p, "submit")["state"] == S.SUBMITTED


def test_approvals_stay_open_after_step_6_and_close_with_step_7(cycle, demo_user):
    p = at_state(participation(cycle, "AR-ED"), S.SUBMITTED)
    with time_machine.travel(after_step(cycle, 6), tick=False):
        # when: the council's approval is recorded after step 6, inside step 7
        move(demo_user("office"), p, "office_approve")
    with time_machine.travel(after_step(cycle, 7), tick=False):
        before = snapshot(p)
        # when: the HQ approves after step 7 ended
        with pytest.raises(DomainError) as refused:
            move(demo_user("hq"), p, "hq_approve")
        # then: refused and nothing changed
        assert refused.value.code == "locked"
        assert snapshot(p) == before
        participation_extend(
            actor=demo_user("staff"),
            participation=p,
            until=after_step(cycle, 7, minutes=60),
            reason="تأخیر ستاد",
        )
        p.refresh_from_db()
        # then: the extension reopens the approvals
        assert move(demo_user("hq"), p, "hq_approve")["state"] == S.HQ_APPROVED


def test_the_organization_returns_a_transferred_one_even_after_the_deadlines(cycle, demo_user):
    p = at_state(participation(cycle, "AR-ED"), S.TRANSFERRED)
    with time_machine.travel(after_step(cycle, 7, minutes=60 * 24 * 30), tick=False):
        result = move(demo_user("staff"), p, "return_transfer", reason="مستندات ناقص")
    assert result["state"] == S.DRAFT
    assert AuditEvent.objects.get(action="assessment.return_transfer").reason == "مستندات ناقص"


def test_a_transition_not_from_this_state_is_refused_by_name(cycle, demo_user):
    p = participation(cycle, "AR-ED")
    before = snapshot(p)
    with time_machine.travel(step_day(cycle, 6), tick=False), pytest.raises(DomainError) as refused:
        move(demo_user("agency"), p, "withdraw")
    assert refused.value.code == "bad_state"
    assert snapshot(p) == before
