"""Expert groups (create, members) and their meetings: every role, every refusal."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from karnameh.accounts.models import Role
from karnameh.agencies.models import Province
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.common.factories import user_with_role
from karnameh.cycles.tests.builders import open_cycle
from karnameh.objections.groups import group_create, group_members, meeting_record
from karnameh.objections.services import objection_route

from .builders import ROLES, ardabil, file, group, pdf, scored, state, user


@pytest.fixture
def cycle(demo):
    return open_cycle()


def _today() -> dt.date:
    return timezone.now().date()


@pytest.mark.parametrize("username", ["staff", "admin"])
def test_staff_create_a_group_of_staff_and_evaluators(cycle, username):
    # given
    members = [ardabil(Role.STAFF), user("evaluator")]
    # when
    made = group_create(
        actor=user(username), cycle=cycle, name=" گروه منابع انسانی ", members=members
    )
    # then
    assert made.name == "گروه منابع انسانی"
    assert set(made.members.all()) == set(members)
    event = AuditEvent.objects.order_by("pk").last()
    assert event.action == "objection.group_create"


@pytest.mark.parametrize("username", [r for r in ROLES if r not in ("staff", "admin")])
def test_only_staff_create_groups(cycle, username):
    before = state()
    with pytest.raises(Forbidden):
        group_create(actor=user(username), cycle=cycle, name="گروه", members=[user("staff")])
    assert state() == before


@pytest.mark.parametrize(
    ("who", "code"),
    [("agency", "not_eligible"), ("deputy", "not_eligible"), ("ilam", "not_eligible")],
)
def test_members_are_the_provinces_staff_and_evaluators(cycle, who, code):
    person = (
        user_with_role(Role.STAFF, province=Province.objects.get(code="ilam"))
        if who == "ilam"
        else user(who)
    )
    before = state()
    with pytest.raises(DomainError) as refused:
        group_create(actor=user("staff"), cycle=cycle, name="گروه", members=[person])
    assert refused.value.code == code
    assert person.display_name in refused.value.message
    assert state() == before


@pytest.mark.parametrize(("name", "code"), [("", "name_required"), ("گروه", "duplicate")])
def test_a_group_needs_a_name_of_its_own(cycle, name, code):
    group(cycle, name="گروه")
    before = state()
    with pytest.raises(DomainError) as refused:
        group_create(actor=user("staff"), cycle=cycle, name=name, members=[user("staff")])
    assert refused.value.code == code
    assert state() == before


def test_a_group_needs_members(cycle):
    before = state()
    with pytest.raises(DomainError) as refused:
        group_create(actor=user("staff"), cycle=cycle, name="گروه", members=[])
    assert refused.value.code == "no_members"
    assert state() == before


def test_staff_change_the_members(cycle):
    team = group(cycle)
    other = ardabil(Role.EVALUATOR)
    changed = group_members(actor=user("staff"), group=team, members=[other])
    assert list(changed.members.all()) == [other]
    assert AuditEvent.objects.order_by("pk").last().action == "objection.group_members"


@pytest.mark.parametrize("username", [r for r in ROLES if r not in ("staff", "admin")])
def test_only_staff_change_the_members(cycle, username):
    team = group(cycle)
    before = state()
    with pytest.raises(Forbidden):
        group_members(actor=user(username), group=team, members=[user("staff")])
    assert state() == before


def test_the_original_evaluator_cannot_join_a_group_deciding_their_gauge(cycle):
    # given
    scored(cycle)
    objection = file(cycle)
    team = group(cycle)
    objection_route(actor=user("staff"), objection=objection, group=team)
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        group_members(
            actor=user("staff"), group=team, members=[*team.members.all(), user("evaluator")]
        )
    # then
    assert refused.value.code == "conflict_of_interest"
    assert user("evaluator").display_name in refused.value.message
    assert state() == before


@pytest.mark.parametrize("who", ["staff", "member"])
def test_staff_or_a_member_record_a_meeting_with_its_minutes(cycle, who):
    # given
    member = ardabil(Role.EVALUATOR)
    team = group(cycle, member, ardabil(Role.STAFF))
    actor = member if who == "member" else user("staff")
    # when
    meeting = meeting_record(
        actor=actor,
        group=team,
        held_on=_today(),
        present=[member],
        minutes=pdf("صورت‌جلسه.pdf"),
        notes="دو اعتراض بررسی شد.",
    )
    # then
    assert list(meeting.present.all()) == [member]
    assert meeting.minutes.name == "صورت‌جلسه.pdf"
    assert AuditEvent.objects.order_by("pk").last().action == "objection.meeting"


@pytest.mark.parametrize("username", [r for r in ROLES if r not in ("staff", "admin")])
def test_nobody_else_records_a_meeting(cycle, username):
    member = ardabil(Role.STAFF)
    team = group(cycle, member)
    before = state()
    with pytest.raises(Forbidden):
        meeting_record(
            actor=user(username), group=team, held_on=_today(), present=[member], minutes=pdf()
        )
    assert state() == before


@pytest.mark.parametrize("problem", ["stranger", "nobody", "no_minutes", "future", "no_date"])
def test_a_meeting_is_refused_whole(cycle, problem):
    member = ardabil(Role.STAFF)
    team = group(cycle, member)
    present = [member]
    minutes: SimpleUploadedFile | None = pdf()
    held_on: dt.date | None = _today()
    if problem == "stranger":
        present = [member, user("evaluator")]
    elif problem == "nobody":
        present = []
    elif problem == "no_minutes":
        minutes = None
    elif problem == "future":
        held_on = _today() + dt.timedelta(days=3)
    elif problem == "no_date":
        held_on = None
    before = state()
    with pytest.raises(DomainError) as refused:
        meeting_record(
            actor=user("staff"), group=team, held_on=held_on, present=present, minutes=minutes
        )
    assert refused.value.code in {
        "not_members",
        "no_members",
        "minutes_required",
        "future",
        "date_required",
    }
    if problem == "stranger":
        assert user("evaluator").display_name in refused.value.message
    assert state() == before
