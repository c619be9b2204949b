"""Overdue inquiries with frozen time: the red mark's days, and the daily reminders."""

import datetime as dt
from io import StringIO

import time_machine
from django.core.management import call_command

from karnameh.audit.models import AuditEvent
from karnameh.cycles.deadlines import TEHRAN
from karnameh.inquiries.models import Inquiry
from karnameh.inquiries.reminders import inquiries_remind
from karnameh.inquiries.services import inquiry_answer
from karnameh.notifications.models import Notification

from .helpers import WELFARE, assessor, inquiry, lock, sent_at, sent_cycle


def _day(cycle, days: int, hour: int = 9) -> dt.datetime:
    """``days`` after the day of sending, at ``hour`` in Tehran."""
    day = sent_at(cycle).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), TEHRAN)


def test_an_inquiry_is_overdue_from_the_midnight_after_its_seventh_day(demo):
    # given
    cycle = sent_cycle(agencies=("AR-ED",))
    found = inquiry(cycle, "green", "AR-ED")
    last_moment = found.due_at - dt.timedelta(seconds=1)
    # then
    assert not found.is_overdue(last_moment)
    assert found.days_late(last_moment) == 0
    assert found.is_overdue(found.due_at)
    assert found.days_late(found.due_at) == 1
    assert found.days_late(_day(cycle, 10, hour=23)) == 3


def test_an_answered_inquiry_is_never_overdue(demo, demo_user):
    # given
    cycle = sent_cycle(agencies=("AR-ED",))
    found = inquiry(cycle, "accessibility", "AR-ED")
    inquiry_answer(actor=demo_user("assessor"), inquiry=found, answers=WELFARE)
    found.refresh_from_db()
    # then
    assert not found.is_overdue(_day(cycle, 30))
    assert found.days_late(_day(cycle, 30)) == 0


def test_overdue_inquiries_are_reminded_once_a_day(demo):
    # given: three agencies, the welfare user and a second one
    cycle = sent_cycle()
    assessor("welfare2", "welfare")
    # when
    with time_machine.travel(_day(cycle, 7), tick=False):
        early = inquiries_remind()
    with time_machine.travel(_day(cycle, 8), tick=False):
        first = inquiries_remind()
        again = inquiries_remind()
    with time_machine.travel(_day(cycle, 9, hour=1), tick=False):
        next_day = inquiries_remind()
    # then: 8 topics × 3 agencies; welfare's two users hear once per run, not per agency
    assert early.inquiries == 0
    assert first.inquiries == 24
    assert again.inquiries == 0
    assert next_day.inquiries == 24
    welfare = Inquiry.objects.filter(cycle=cycle, topic__code="accessibility")
    assert set(welfare.values_list("reminders", flat=True)) == {2}
    told = Notification.objects.filter(kind="inquiry_overdue", user__username="welfare2")
    assert told.count() == 2
    assert "۳" in told.first().title
    assert AuditEvent.objects.filter(action="inquiry.remind").count() == 48


def test_answered_and_locked_inquiries_are_not_reminded(demo, demo_user):
    # given
    cycle = sent_cycle(agencies=("AR-ED",))
    inquiry_answer(
        actor=demo_user("assessor"),
        inquiry=inquiry(cycle, "accessibility", "AR-ED"),
        answers=WELFARE,
    )
    locked = sent_cycle(agencies=("AR-EF",), year=1404)
    lock(locked)
    # when
    with time_machine.travel(_day(cycle, 8), tick=False):
        sent = inquiries_remind()
    # then: the other seven topics of the first cycle only
    assert sent.inquiries == 7
    assert not Notification.objects.filter(kind="inquiry_overdue", user__username="assessor")


def test_the_remind_command_also_reminds_overdue_inquiries(demo):
    # given
    cycle = sent_cycle(agencies=("AR-ED",))
    out = StringIO()
    # when
    with time_machine.travel(_day(cycle, 8), tick=False):
        call_command("remind", stdout=out)
        call_command("remind", stdout=out)
    # then: said only when something was sent
    lines = out.getvalue().splitlines()
    assert lines[1] == "Overdue inquiries reminded: 8 (notifications: 1)."
    assert len(lines) == 3
