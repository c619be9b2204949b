import datetime as dt
from io import StringIO

import time_machine
from django.core.management import call_command

from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import AssessmentState, Participation
from karnameh.cycles.tests.builders import open_cycle, step_day
from karnameh.notifications.models import Notification, Reminder
from karnameh.notifications.reminders import send_reminders


def _told(kind: str = "deadline") -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def _state(cycle, code: str, state: str) -> None:
    Participation.objects.filter(cycle=cycle, agency__code=code).update(state=state)


def test_entry_deadline_a_week_ahead_reminds_the_agency_once(demo):
    # given: step 6 closes when step 7 opens
    cycle = open_cycle(agencies=["AR-ED"])

    # when
    with time_machine.travel(step_day(cycle, 7, offset=-7), tick=False):
        first = send_reminders()
    with time_machine.travel(step_day(cycle, 7, offset=-7, hour=18), tick=False):
        again = send_reminders()

    # then
    assert (first.reminders, first.notifications) == (1, 2)
    assert (again.reminders, again.notifications) == (0, 0)
    assert _told() == ["agency", "office"]
    row = Notification.objects.filter(kind="deadline").first()
    assert row is not None
    assert row.url == f"/assessments/{cycle.pk}/AR-ED/"
    assert "۱۴۰۳/۰۴/۱۲" in row.body  # the last day of step 6
    assert Reminder.objects.count() == 1


def test_no_reminder_on_days_that_are_not_7_3_or_1_ahead(demo):
    # given
    cycle = open_cycle(agencies=["AR-ED"])

    # when
    with time_machine.travel(step_day(cycle, 7, offset=-5), tick=False):
        sent = send_reminders()

    # then
    assert sent.reminders == 0
    assert Notification.objects.count() == 0


def test_the_last_day_and_three_days_ahead_each_remind(demo):
    # given
    cycle = open_cycle(agencies=["AR-ED"])

    # when
    with time_machine.travel(step_day(cycle, 7, offset=-3), tick=False):
        send_reminders()
    with time_machine.travel(step_day(cycle, 7, offset=-1), tick=False):
        send_reminders()

    # then
    assert _told() == ["agency", "agency", "office", "office"]


def test_a_submitted_self_assessment_is_not_reminded_of_entry_but_the_office_of_approval(demo):
    # given: step 7 (approval and transfer) closes when step 8 opens
    cycle = open_cycle(agencies=["AR-ED"])
    _state(cycle, "AR-ED", AssessmentState.SUBMITTED)

    # when
    with time_machine.travel(step_day(cycle, 7, offset=-7), tick=False):
        entry = send_reminders()
    with time_machine.travel(step_day(cycle, 8, offset=-1), tick=False):
        approval = send_reminders()

    # then
    assert entry.reminders == 0
    assert approval.reminders == 1
    assert _told() == ["office"]


def test_council_approved_waits_for_the_hq_and_hq_approved_too(demo):
    # given
    cycle = open_cycle(agencies=["AR-ED"])
    _state(cycle, "AR-ED", AssessmentState.OFFICE_APPROVED)

    # when
    with time_machine.travel(step_day(cycle, 8, offset=-7), tick=False):
        send_reminders()
    _state(cycle, "AR-ED", AssessmentState.HQ_APPROVED)
    with time_machine.travel(step_day(cycle, 8, offset=-3), tick=False):
        send_reminders()

    # then
    assert _told() == ["hq", "hq"]


def test_transferred_and_draft_cycles_get_no_reminders(demo):
    # given
    transferred = open_cycle(agencies=["AR-ED"])
    _state(transferred, "AR-ED", AssessmentState.TRANSFERRED)
    draft = open_cycle(province="ilam", agencies=["IL-ED"], published=False)

    # when
    with time_machine.travel(step_day(transferred, 8, offset=-1), tick=False):
        late = send_reminders()
    with time_machine.travel(step_day(draft, 7, offset=-1), tick=False):
        drafted = send_reminders()

    # then
    assert (late.reminders, drafted.reminders) == (0, 0)
    assert Notification.objects.count() == 0


def test_an_extension_moves_the_reminders_to_the_new_deadline(demo):
    # given: a week more than planned for entry
    cycle = open_cycle(agencies=["AR-ED"])
    with time_machine.travel(step_day(cycle, 7, offset=-7), tick=False):
        send_reminders()
    new_end = step_day(cycle, 7, offset=7, hour=0)
    Participation.objects.filter(cycle=cycle).update(extended_until=new_end)

    # when: seven days before the new deadline, which is the old deadline's day
    with time_machine.travel(step_day(cycle, 7), tick=False):
        send_reminders()

    # then: (step 7 also opens that day, a reminder of its own)
    assert _told() == ["agency", "agency", "office", "office"]
    assert Reminder.objects.filter(key__startswith="deadline:").count() == 2


def test_a_step_opening_today_tells_its_responsible_role_in_the_province(demo):
    # given
    cycle = open_cycle(agencies=["AR-ED"])
    open_cycle(province="ilam", agencies=["IL-ED"], start=dt.date(2024, 3, 20))

    # when: step 8 (evaluation) is the evaluators'
    with time_machine.travel(step_day(cycle, 8), tick=False):
        first = send_reminders()
        again = send_reminders()

    # then: Ardabil's evaluator; Ilam has none in the demo
    assert _told("step_opening") == ["evaluator"]
    assert again.reminders == 0
    row = Notification.objects.get(kind="step_opening")
    assert row.url == f"/cycles/{cycle.pk}/"
    assert "۸" in row.title
    assert first.reminders >= 1


def test_the_self_assessment_step_opening_tells_the_participating_agencies(demo):
    # given
    cycle = open_cycle(agencies=["AR-ED", "AR-TAX"])

    # when
    with time_machine.travel(step_day(cycle, 6, hour=1), tick=False):
        send_reminders()

    # then
    assert _told("step_opening") == ["agency", "office"]


def test_the_day_is_tehrans_not_utc(demo):
    # given: 23:00 UTC the evening before is already step 8's first day in Tehran
    cycle = open_cycle(agencies=["AR-ED"])
    first_day = cycle.steps.get(number=8).planned_start
    moment = dt.datetime.combine(first_day, dt.time(0, 30), tzinfo=TEHRAN)

    # when
    with time_machine.travel(moment, tick=False):
        send_reminders()

    # then
    assert _told("step_opening") == ["evaluator"]


def test_the_remind_command_reports_what_it_sent(demo):
    # given
    cycle = open_cycle(agencies=["AR-ED"])
    out = StringIO()

    # when
    with time_machine.travel(step_day(cycle, 7, offset=-7), tick=False):
        call_command("remind", stdout=out)
        call_command("remind", stdout=out)

    # then
    assert out.getvalue().splitlines() == [
        "Reminders sent: 1 (notifications: 2).",
        "Reminders sent: 0 (notifications: 0).",
    ]


def test_the_remind_task_can_be_queued(demo):
    # given: tests run tasks at once (ImmediateBackend)
    cycle = open_cycle(agencies=["AR-ED"])
    out = StringIO()

    # when
    with time_machine.travel(step_day(cycle, 7, offset=-7), tick=False):
        call_command("remind", "--enqueue", stdout=out)

    # then
    assert out.getvalue().startswith("Reminders queued as task")
    assert _told() == ["agency", "office"]
