"""Sending a cycle's inquiries: who may, what goes to whom, when it is due, sending twice."""

import datetime as dt

import pytest
import time_machine

from karnameh.accounts.models import User
from karnameh.agencies.models import Agency
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import CycleStatus, Participation
from karnameh.cycles.tests.builders import open_cycle
from karnameh.inquiries.models import Inquiry, State
from karnameh.inquiries.services import due_for, inquiries_send
from karnameh.notifications.models import Notification

from .helpers import assessor, inquiry, lock, sent_at, sent_cycle, state

EIGHT = ["accrual", "setad", "business", "sada", "prayer", "samad", "accessibility", "green"]


def test_staff_send_the_eight_standing_inquiries_to_every_agency(demo):
    # when
    cycle = sent_cycle()
    # then
    rows = Inquiry.objects.filter(cycle=cycle)
    assert rows.count() == 8 * 3
    assert sorted({i.topic.code for i in rows}) == sorted(EIGHT)
    assert set(rows.values_list("state", flat=True)) == {State.SENT}
    assert AuditEvent.objects.filter(action="inquiry.send").count() == 1


@pytest.mark.parametrize(
    ("topic", "gauges"),
    [
        ("accrual", ["4.2.1", "4.2.2", "4.2.3", "4.2.4", "4.2.5", "4.2.6"]),
        ("sada", ["5.2.1"]),
        ("setad", ["4.1.1"]),
        ("business", ["5.1.1", "5.1.2"]),
        ("green", ["5.3.1", "5.3.2", "5.3.3", "5.3.4"]),
        ("prayer", ["6.3.1"]),
        ("samad", ["6.4.1", "6.4.2", "6.4.3"]),
        ("accessibility", ["6.5.1", "6.5.2", "6.5.3", "6.5.4"]),
    ],
)
def test_each_topic_feeds_the_gauges_the_catalogue_gives_its_body(demo, topic, gauges):
    # when
    cycle = sent_cycle(agencies=("AR-ED",))
    # then: finance answers two topics, split by the codes each names
    assert inquiry(cycle, topic, "AR-ED").gauges == gauges


def test_the_answer_is_due_at_the_end_of_the_seventh_day_in_tehran(demo):
    # given
    cycle = sent_cycle(agencies=("AR-ED",))
    sent = sent_at(cycle)
    # when
    found = inquiry(cycle, "green", "AR-ED")
    # then
    last = sent.date() + dt.timedelta(days=7)
    assert found.due_at == dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), TEHRAN)
    assert found.last_day() == last
    assert due_for(sent, 7) == found.due_at


def test_sending_twice_adds_only_what_is_missing(demo, demo_user):
    # given
    cycle = sent_cycle(agencies=("AR-ED", "AR-EF"))
    before = state()
    # when: nothing missing
    again = inquiries_send(actor=demo_user("staff"), cycle=cycle)
    # then
    assert again == []
    assert state() == before
    # when: an agency joined since
    Participation.objects.create(cycle=cycle, agency=Agency.objects.get(code="AR-TAX"))
    later = inquiries_send(actor=demo_user("staff"), cycle=cycle)
    # then
    assert {i.participation.agency.code for i in later} == {"AR-TAX"}
    assert len(later) == 8
    assert Inquiry.objects.filter(cycle=cycle).count() == 24
    assert AuditEvent.objects.filter(action="inquiry.send").count() == 2


def test_the_bodies_users_are_told_once_per_topic(demo, demo_user):
    # given: a second welfare user, and a finance user (two topics)
    assessor("welfare2", "welfare")
    assessor("finance1", "finance")
    # when
    sent_cycle()
    # then
    told = Notification.objects.filter(kind="inquiry")
    assert sorted(told.values_list("user__username", flat=True)) == [
        "assessor",
        "finance1",
        "finance1",
        "welfare2",
    ]
    assert "۳" in told.filter(user__username="assessor").get().body


@pytest.mark.parametrize(
    "username", ["evaluator", "agency", "office", "hq", "assessor", "deputy", "council", "national"]
)
def test_only_staff_of_the_province_send(demo, demo_user, username):
    # given
    cycle = open_cycle()
    before = state()
    # when
    with pytest.raises(Forbidden):
        inquiries_send(actor=demo_user(username), cycle=cycle)
    # then
    assert state() == before


def test_staff_of_another_province_may_not_send(demo, demo_user):
    # given
    cycle = open_cycle(province="ilam", agencies=("IL-ED",))
    before = state()
    # when
    with pytest.raises(Forbidden):
        inquiries_send(actor=demo_user("staff"), cycle=cycle)
    # then
    assert state() == before


def test_the_administrator_may_send(demo, demo_user):
    # when
    made = inquiries_send(actor=demo_user("admin"), cycle=open_cycle(agencies=("AR-ED",)))
    # then
    assert len(made) == 8


@pytest.mark.parametrize("case", ["draft", "closed", "locked", "no_agencies"])
def test_a_cycle_that_cannot_take_inquiries_is_refused(demo, demo_user, case):
    # given
    cycle = open_cycle(agencies=() if case == "no_agencies" else ("AR-ED",))
    if case in ("draft", "closed"):
        cycle.status = CycleStatus.DRAFT if case == "draft" else CycleStatus.CLOSED
        cycle.save(update_fields=["status"])
    if case == "locked":
        lock(cycle)
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        inquiries_send(actor=demo_user("staff"), cycle=cycle)
    # then
    assert (
        refused.value.code
        == {
            "draft": "not_open",
            "closed": "not_open",
            "locked": "scores_locked",
            "no_agencies": "no_agencies",
        }[case]
    )
    assert state() == before


def test_sent_at_and_by_are_recorded(demo, demo_user):
    # given
    cycle = open_cycle(agencies=("AR-ED",))
    moment = sent_at(cycle)
    # when
    with time_machine.travel(moment, tick=False):
        inquiries_send(actor=demo_user("staff"), cycle=cycle)
    # then
    found = inquiry(cycle, "prayer", "AR-ED")
    assert found.sent_at == moment
    assert found.sent_by == User.objects.get(username="staff")
