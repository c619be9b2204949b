"""Feedback services: who may write, answer and close; what a survey must hold; the audit."""

import pytest
import time_machine
from django.utils import translation

from karnameh.agencies.models import Agency
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.tests.builders import open_cycle
from karnameh.feedback.models import Feedback, FeedbackStatus
from karnameh.feedback.services import feedback_answer, feedback_close, feedback_create
from karnameh.notifications.models import Notification

from .helpers import ALL_FIVE, agency_user, complaint, ilam_staff, state


def test_an_agency_user_sends_a_complaint_with_a_tracking_number_of_the_jalali_year(
    demo, demo_user
):
    # given: 1403/03/12
    with time_machine.travel("2024-06-01 08:00Z", tick=False):
        # when
        feedback = complaint(demo_user("agency"))
    # then
    feedback.refresh_from_db()
    assert feedback.tracking_number == f"FB-1403-{feedback.pk:06d}"
    assert (feedback.status, feedback.agency.code, feedback.author.username) == (
        "open",
        "AR-ED",
        "agency",
    )
    event = AuditEvent.objects.get(action="feedback.create")
    assert event.changes["kind"] == "complaint"
    assert event.target_id == str(feedback.pk)


def test_the_performance_office_sends_a_survey_with_all_five_ratings(demo, demo_user):
    # given
    cycle = open_cycle()
    # when
    feedback = feedback_create(
        actor=demo_user("office"),
        kind="survey",
        agency=Agency.objects.get(code="AR-ED"),
        subject="نظرسنجی دوره",
        body="",
        ratings={**ALL_FIVE, "system": "3"},
        cycle=cycle,
    )
    # then
    assert Feedback.objects.get(pk=feedback.pk).ratings == ALL_FIVE
    assert feedback.cycle == cycle


@pytest.mark.parametrize(
    ("ratings", "named"),
    [
        ({k: v for k, v in ALL_FIVE.items() if k != "fairness"}, "Fairness of the evaluation"),
        ({**ALL_FIVE, "training": 6}, "Quality of the training workshops"),
        ({**ALL_FIVE, "training": 0}, "Quality of the training workshops"),
        ({**ALL_FIVE, "system": 4.5}, "Usefulness of the system"),
        ({**ALL_FIVE, "system": True}, "Usefulness of the system"),
        ({**ALL_FIVE, "price": 3}, "price"),
        (None, "Clarity of the circular and the indicators"),
    ],
)
def test_a_survey_missing_or_with_a_bad_rating_is_refused_naming_the_question(
    demo, demo_user, ratings, named
):
    # when: in English, so that the message names the question as written in the code
    with translation.override("en"), pytest.raises(DomainError) as refused:
        feedback_create(
            actor=demo_user("agency"),
            kind="survey",
            agency=Agency.objects.get(code="AR-ED"),
            subject="نظرسنجی",
            body="",
            ratings=ratings,
        )
    # then
    assert named in refused.value.message
    assert not Feedback.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"subject": "  "},
        {"body": ""},
        {"ratings": ALL_FIVE},
        {"kind": "praise"},
        {"subject": "x" * 201},
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(demo, demo_user, values):
    # when
    with pytest.raises(DomainError):
        complaint(demo_user("agency"), **values)
    # then
    assert not Feedback.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("username", "code"), [("hq", "AR-ED"), ("staff", "AR-ED"), ("agency", "AR-EF")]
)
def test_only_the_agencys_own_users_may_write_for_it(demo, demo_user, username, code):
    # when
    with pytest.raises(Forbidden):
        complaint(demo_user(username), code)
    # then
    assert not Feedback.objects.exists()


def test_a_cycle_the_author_does_not_see_is_refused(demo, demo_user):
    # given: a draft cycle, which agencies do not see yet
    cycle = open_cycle(published=False)
    # when
    with pytest.raises(DomainError):
        complaint(demo_user("agency"), cycle=cycle)
    # then
    assert not Feedback.objects.exists()


def test_staff_answer_and_the_author_is_notified(demo, demo_user):
    # given
    feedback = complaint(demo_user("agency"))
    # when
    answered = feedback_answer(
        actor=demo_user("staff"), feedback=feedback, answer="پیگیری شد.", ip="10.0.0.1"
    )
    # then
    answered.refresh_from_db()
    assert (answered.status, answered.answer, answered.answered_by) == (
        "answered",
        "پیگیری شد.",
        demo_user("staff"),
    )
    assert answered.answered_at is not None
    note = Notification.objects.get(kind="feedback_answered")
    assert note.user == demo_user("agency")
    assert note.url == f"/feedback/{feedback.tracking_number}/"
    event = AuditEvent.objects.get(action="feedback.answer")
    assert (event.changes["status"], event.ip) == (["open", "answered"], "10.0.0.1")


@pytest.mark.parametrize("who", ["ilam", "agency", "deputy", "evaluator"])
def test_only_staff_of_the_agencys_province_may_answer(demo, demo_user, who):
    # given
    feedback = complaint(demo_user("agency"))
    before = state()
    actor = ilam_staff() if who == "ilam" else demo_user(who)
    # when
    with pytest.raises(Forbidden):
        feedback_answer(actor=actor, feedback=feedback, answer="نه")
    # then
    assert state() == before
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="feedback.answer").exists()


def test_an_empty_answer_or_a_second_answer_is_refused(demo, demo_user):
    # given
    feedback = complaint(demo_user("agency"))
    # when
    with pytest.raises(DomainError):
        feedback_answer(actor=demo_user("staff"), feedback=feedback, answer="  ")
    feedback_answer(actor=demo_user("staff"), feedback=feedback, answer="اول")
    before = state()
    with pytest.raises(DomainError) as refused:
        feedback_answer(actor=demo_user("staff"), feedback=feedback, answer="دوم")
    # then
    assert refused.value.code == "not_open"
    assert state() == before
    assert Notification.objects.count() == 1


@pytest.mark.parametrize("username", ["agency", "office", "staff"])
def test_either_side_closes_and_a_second_close_is_refused(demo, demo_user, username):
    # given
    feedback = complaint(demo_user("agency"))
    # when
    closed = feedback_close(actor=demo_user(username), feedback=feedback)
    with pytest.raises(DomainError) as refused:
        feedback_close(actor=demo_user(username), feedback=feedback)
    # then
    assert closed.status == FeedbackStatus.CLOSED
    assert refused.value.code == "already_closed"
    assert AuditEvent.objects.filter(action="feedback.close").count() == 1


def test_another_agency_may_not_close(demo, demo_user):
    # given
    feedback = complaint(demo_user("agency"))
    before = state()
    # when
    with pytest.raises(Forbidden):
        feedback_close(actor=agency_user("AR-EF"), feedback=feedback)
    # then
    assert state() == before
