"""Feedback pages: the agency's forms and list, tracking, the staff's list and answer form."""

import pytest
from django.test import Client

from karnameh.audit.models import AuditEvent
from karnameh.feedback.models import Feedback
from karnameh.feedback.services import feedback_answer
from tests.test_persian_digits import ascii_digits_shown

from .helpers import ALL_FIVE, agency_user, complaint, ilam_staff, state


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_agency_user_sends_a_complaint_and_reads_its_tracking_number(demo, demo_user):
    # given
    client = _client(demo_user("agency"))
    # when
    response = client.post(
        "/feedback/new/complaint/", {"subject": "کندی سامانه", "body": "صفحه باز نمی‌شود."}
    )
    # then
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/feedback/{feedback.tracking_number}/"
    assert (feedback.kind, feedback.agency.code) == ("complaint", "AR-ED")
    page = client.get(response["Location"]).content.decode()
    persian = feedback.tracking_number.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert persian in page
    assert "کندی سامانه" in page


def test_the_survey_form_asks_the_five_questions_and_stores_the_ratings(demo, demo_user):
    # given
    client = _client(demo_user("office"))
    form = client.get("/feedback/new/survey/").content.decode()
    data = {f"rating_{key}": str(value) for key, value in ALL_FIVE.items()}
    # when
    response = client.post("/feedback/new/survey/", {"subject": "نظرسنجی", **data})
    # then
    assert all(f'name="rating_{key}"' in form for key in ALL_FIVE)
    assert response.status_code == 302
    assert Feedback.objects.get().ratings == ALL_FIVE


def test_a_survey_without_a_rating_shows_the_form_again_and_saves_nothing(demo, demo_user):
    # given
    data = {f"rating_{key}": str(value) for key, value in ALL_FIVE.items() if key != "system"}
    # when
    response = _client(demo_user("agency")).post(
        "/feedback/new/survey/", {"subject": "نظرسنجی", **data}
    )
    # then
    assert response.status_code == 200
    assert 'id="id_rating_system"' in response.content.decode()
    assert "invalid-feedback" in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("staff", "/feedback/new/complaint/", 403),
        ("hq", "/feedback/new/survey/", 403),
        ("evaluator", "/feedback/", 403),
        ("agency", "/feedback/new/praise/", 404),
    ],
)
def test_pages_refused_to_the_wrong_roles(demo, demo_user, username, path, status):
    # when
    response = _client(demo_user(username)).post(path, {"subject": "x", "body": "y"})
    # then
    assert response.status_code == status
    assert not Feedback.objects.exists()


def test_each_side_lists_only_its_own_with_counts_and_filters(demo, demo_user):
    # given
    mine = complaint(demo_user("agency"))
    complaint(demo_user("agency"), kind="suggestion")
    other_agency = complaint(agency_user("AR-EF"), "AR-EF")
    ilam = complaint(agency_user("IL-ED"), "IL-ED")
    # when
    agency_page = _client(demo_user("agency")).get("/feedback/").content.decode()
    staff_page = _client(demo_user("staff")).get("/feedback/?kind=complaint").content.decode()
    # then
    assert f"/feedback/{mine.tracking_number}/" in agency_page
    assert f"/feedback/{other_agency.tracking_number}/" not in agency_page
    assert f"/feedback/{other_agency.tracking_number}/" in staff_page
    assert f"/feedback/{ilam.tracking_number}/" not in staff_page
    # Three in Ardabil: two complaints (shown) and a suggestion (counted, filtered out).
    assert staff_page.count('href="/feedback/FB-') == 2
    assert "(۲)" in staff_page.split('data-testid="kind-complaint"')[1].split("</a>")[0]
    assert "(۱)" in staff_page.split('data-testid="kind-suggestion"')[1].split("</a>")[0]
    assert "(۳)" in staff_page.split('data-testid="status-open"')[1].split("</a>")[0]


def test_another_provinces_or_agencys_feedback_is_not_found(demo, demo_user):
    # given
    ilam = complaint(agency_user("IL-ED"), "IL-ED")
    other_agency = complaint(agency_user("AR-EF"), "AR-EF")
    before = state()
    # when
    staff = _client(demo_user("staff"))
    seen = staff.get(f"/feedback/{ilam.tracking_number}/")
    answered = staff.post(f"/feedback/{ilam.tracking_number}/answer/", {"answer": "x"})
    closed = staff.post(f"/feedback/{ilam.tracking_number}/close/")
    by_agency = _client(demo_user("agency")).get(f"/feedback/{other_agency.tracking_number}/")
    # then
    assert [seen.status_code, answered.status_code, closed.status_code] == [404, 404, 404]
    assert by_agency.status_code == 404
    assert state() == before
    assert not AuditEvent.objects.filter(action__in=["feedback.answer", "feedback.close"])


def test_staff_answer_on_the_page_and_the_author_reads_it(demo, demo_user):
    # given
    feedback = complaint(demo_user("agency"))
    staff = _client(demo_user("staff"))
    form = staff.get(f"/feedback/{feedback.tracking_number}/").content.decode()
    # when
    response = staff.post(f"/feedback/{feedback.tracking_number}/answer/", {"answer": "انجام شد"})
    page = _client(demo_user("agency")).get(f"/feedback/{feedback.tracking_number}/")
    # then
    assert 'name="answer"' in form
    assert response.status_code == 302
    assert "انجام شد" in page.content.decode()
    assert 'name="answer"' not in page.content.decode()


def test_an_agency_user_may_not_answer_its_own_feedback(demo, demo_user):
    # given
    feedback = complaint(demo_user("agency"))
    before = state()
    # when
    response = _client(demo_user("agency")).post(
        f"/feedback/{feedback.tracking_number}/answer/", {"answer": "خودم"}
    )
    # then
    assert response.status_code == 403
    assert state() == before


def test_the_author_closes_on_the_page(demo, demo_user):
    # given
    feedback = complaint(demo_user("agency"))
    # when
    response = _client(demo_user("office")).post(f"/feedback/{feedback.tracking_number}/close/")
    # then
    assert response.status_code == 302
    assert Feedback.objects.get().status == "closed"


def test_track_by_number_finds_own_and_not_others(demo, demo_user):
    # given
    mine = complaint(demo_user("agency"))
    other = complaint(agency_user("AR-EF"), "AR-EF")
    client = _client(demo_user("agency"))
    typed = mine.tracking_number.lower().replace("-", " ")
    persian = mine.tracking_number.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    # when
    found = client.get("/feedback/track/", {"number": typed})
    found_persian = client.get("/feedback/track/", {"number": persian})
    not_mine = client.get("/feedback/track/", {"number": str(other.tracking_number)})
    nonsense = client.get("/feedback/track/", {"number": "سلام"})
    # then
    assert found["Location"] == f"/feedback/{mine.tracking_number}/"
    assert found_persian["Location"] == f"/feedback/{mine.tracking_number}/"
    assert not_mine.status_code == 200
    assert "invalid-feedback" in not_mine.content.decode()
    assert f"/feedback/{other.tracking_number}/" not in not_mine.content.decode()
    assert "invalid-feedback" in nonsense.content.decode()


def _answered_survey(demo_user):
    survey = complaint(demo_user("agency"), kind="survey", body="", ratings=ALL_FIVE)
    feedback_answer(actor=demo_user("staff"), feedback=survey, answer="سپاس از ۲ نکته")
    return survey


@pytest.mark.parametrize("username", ["agency", "staff"])
def test_pages_show_only_persian_digits(demo, demo_user, username):
    # given
    survey = _answered_survey(demo_user)
    client = _client(demo_user(username))
    paths = ["/feedback/", "/feedback/?kind=survey", f"/feedback/{survey.tracking_number}/"]
    paths += ["/feedback/track/?number=FB-1403-999999"]
    if username == "agency":
        paths += ["/feedback/new/survey/", "/feedback/new/complaint/"]
    for path in paths:
        # when
        response = client.get(path)
        # then
        assert response.status_code == 200, path
        assert ascii_digits_shown(response.content.decode()) == [], path


def _queries(client: Client, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(20) as captured:
        response = client.get("/feedback/")
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("username", ["agency", "staff"])
def test_the_list_costs_the_same_with_few_or_many(
    demo, demo_user, username, django_assert_max_num_queries
):
    # given
    client = _client(demo_user(username))
    _answered_survey(demo_user)
    few = _queries(client, django_assert_max_num_queries)
    # when
    for _ in range(15):
        _answered_survey(demo_user)
        complaint(demo_user("office"), kind="suggestion")
    many = _queries(client, django_assert_max_num_queries)
    # then
    assert many == few


def test_an_ilam_staff_member_sees_ilam_only(demo, demo_user):
    # given
    ilam = complaint(agency_user("IL-ED"), "IL-ED")
    ardabil = complaint(demo_user("agency"))
    # when
    page = _client(ilam_staff()).get("/feedback/").content.decode()
    # then
    assert f"/feedback/{ilam.tracking_number}/" in page
    assert f"/feedback/{ardabil.tracking_number}/" not in page
