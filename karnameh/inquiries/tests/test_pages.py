"""The pages: every role's answer, sending and answering through forms, overdue marks, the
embargo of answers and the cost of the lists."""

import datetime as dt

import pytest
import time_machine

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.agencies.models import Agency
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.evaluations.models import Assignment
from karnameh.inquiries.models import How, Inquiry, State
from karnameh.inquiries.services import inquiry_answer
from tests.test_persian_digits import ascii_digits_shown

from .helpers import PDF, WELFARE, assessor, client, inquiry, letter, sent_cycle, state


def _assign(cycle, code: str, user: User) -> None:
    Assignment.objects.create(
        participation=participation(cycle, code),
        evaluator=user,
        scope="general",
        origin="internal",
        assigned_by=User.objects.get(username="staff"),
        assigned_at=dt.datetime(2024, 8, 1, tzinfo=dt.UTC),
    )


def _answered(demo_user, cycle) -> Inquiry:
    found = inquiry(cycle, "accessibility", "AR-ED")
    inquiry_answer(actor=demo_user("assessor"), inquiry=found, answers=WELFARE)
    return found


def _paths(cycle, found: Inquiry) -> dict[str, str]:
    return {
        "inbox": "/inquiries/",
        "cycle": f"/inquiries/cycle/{cycle.pk}/",
        "agency": f"/inquiries/cycle/{cycle.pk}/AR-ED/",
        "detail": f"/inquiries/{found.pk}/",
    }


EXPECTED = {
    # username: inbox, cycle, agency, detail
    "admin": (403, 200, 200, 200),
    "staff": (403, 200, 200, 200),
    "deputy": (403, 403, 200, 200),
    "council": (403, 403, 200, 200),
    "assessor": (200, 404, 404, 200),
    "evaluator": (403, 403, 403, 404),
    "agency": (403, 403, 403, 404),
    "office": (403, 403, 403, 404),
    "hq": (403, 403, 403, 404),
    "national": (403, 403, 403, 404),
}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_pages_per_role(demo, demo_user, username):
    # given
    cycle = sent_cycle()
    paths = _paths(cycle, _answered(demo_user, cycle))
    # when
    got = tuple(
        client(demo_user(username)).get(paths[page]).status_code
        for page in ("inbox", "cycle", "agency", "detail")
    )
    # then
    assert got == EXPECTED[username]


def test_an_assigned_evaluator_sees_the_agencys_inquiries_and_answers(demo, demo_user):
    # given
    cycle = sent_cycle()
    found = _answered(demo_user, cycle)
    _assign(cycle, "AR-ED", demo_user("evaluator"))
    reader = client(demo_user("evaluator"))
    # when
    agency = reader.get(f"/inquiries/cycle/{cycle.pk}/AR-ED/")
    detail = reader.get(f"/inquiries/{found.pk}/")
    other = reader.get(f"/inquiries/cycle/{cycle.pk}/AR-EF/")
    # then
    assert (agency.status_code, detail.status_code, other.status_code) == (200, 200, 403)
    assert 'data-testid="score-6.5.2"' in agency.content.decode()
    assert "answer-form" not in detail.content.decode()


def test_another_provinces_pages_are_not_found(demo, demo_user):
    # given
    cycle = sent_cycle(province="ilam", agencies=("IL-ED",))
    found = Inquiry.objects.filter(cycle=cycle).first()
    staff = client(demo_user("staff"))
    # when
    got = [
        staff.get(path).status_code
        for path in (
            f"/inquiries/cycle/{cycle.pk}/",
            f"/inquiries/cycle/{cycle.pk}/IL-ED/",
            f"/inquiries/{found.pk}/",
        )
    ]
    # then
    assert got == [404, 404, 404]


def test_nobody_outside_sees_an_answer(demo, demo_user):
    # given: the welfare directorate answered for AR-ED
    cycle = sent_cycle()
    found = _answered(demo_user, cycle)
    outsiders = [demo_user(name) for name in ("hq", "national", "agency", "office", "evaluator")]
    outsiders.append(assessor("green", "environment"))
    ef = User.objects.create_user(username="ef", password="x")
    RoleAssignment.objects.create(
        user=ef, role=Role.AGENCY, agency=Agency.objects.get(code="AR-EF")
    )
    outsiders.append(ef)
    paths = [*_paths(cycle, found).values(), f"/inquiries/{found.pk}/letter/file/"]
    # when
    seen = [
        (person.username, path)
        for person in outsiders
        for path in paths
        if (response := client(person).get(path)).status_code == 200
        and "score-6.5" in response.content.decode()
    ]
    # then
    assert seen == []
    assert (
        "score-6.5.2" in client(demo_user("staff")).get(f"/inquiries/{found.pk}/").content.decode()
    )


def test_the_staff_page_marks_overdue_inquiries_with_the_days_late(demo, demo_user):
    # given
    cycle = sent_cycle()
    _answered(demo_user, cycle)
    found = inquiry(cycle, "green", "AR-EF")
    # when: three days after the last day
    with time_machine.travel(found.due_at + dt.timedelta(days=2, hours=9), tick=False):
        response = client(demo_user("staff")).get(f"/inquiries/cycle/{cycle.pk}/")
    # then
    page = response.content.decode()
    row = page.split('data-testid="inquiry-green-AR-EF"')[1].split("</tr>")[0]
    assert 'class="table-danger"' in row
    assert 'data-testid="overdue"' in row and "۳" in row
    answered = page.split('data-testid="inquiry-accessibility-AR-ED"')[1].split("</tr>")[0]
    assert 'data-testid="state-answered"' in answered
    assert response.context["late"] == 23
    assert ascii_digits_shown(page) == []


def test_staff_send_from_the_page(demo, demo_user):
    # given
    cycle = open_cycle(agencies=("AR-ED", "AR-EF"))
    staff = client(demo_user("staff"))
    # when
    first = staff.post(f"/inquiries/cycle/{cycle.pk}/send/")
    again = staff.post(f"/inquiries/cycle/{cycle.pk}/send/", follow=True)
    # then
    assert first.status_code == 302
    assert Inquiry.objects.filter(cycle=cycle).count() == 16
    assert again.status_code == 200
    assert Inquiry.objects.filter(cycle=cycle).count() == 16


@pytest.mark.parametrize("username", ["evaluator", "agency", "deputy"])
def test_others_cannot_send_from_the_page(demo, demo_user, username):
    # given
    cycle = open_cycle(agencies=("AR-ED",))
    before = state()
    # when
    response = client(demo_user(username)).post(f"/inquiries/cycle/{cycle.pk}/send/")
    # then
    assert response.status_code == 403
    assert state() == before


def _form(answers: dict, **extra) -> dict:
    data = {f"g{code}-score": value for code, value in answers.items()}
    return {**data, **extra}


def test_the_body_answers_through_the_page(demo, demo_user):
    # given
    cycle = sent_cycle()
    found = inquiry(cycle, "accessibility", "AR-ED")
    reader = client(demo_user("assessor"))
    form = reader.get(f"/inquiries/{found.pk}/")
    # when
    response = reader.post(
        f"/inquiries/{found.pk}/answer/",
        _form({"6.5.1": "۷", "6.5.2": "۵٫۵", "6.5.3": "0", "6.5.4": "7.5"}, key="k-page"),
    )
    # then
    assert 'name="g6.5.1-score"' in form.content.decode()
    assert response.status_code == 302
    found.refresh_from_db()
    assert (found.state, found.how) == (State.ANSWERED, How.SYSTEM)
    assert found.scores["6.5.2"] == "5.5"
    shown = reader.get(f"/inquiries/{found.pk}/").content.decode()
    assert 'data-testid="score-6.5.2"' in shown
    assert ascii_digits_shown(shown) == []


def test_a_score_above_the_max_is_refused_on_the_page_and_saves_nothing(demo, demo_user):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    before = state()
    # when
    response = client(demo_user("assessor")).post(
        f"/inquiries/{found.pk}/answer/", _form({**{k: 1 for k in WELFARE}, "6.5.1": "9"})
    )
    # then
    assert response.status_code == 400
    assert 'data-testid="error"' in response.content.decode()
    assert "۶.۵.۱" in response.content.decode()
    assert state() == before


def test_the_body_corrects_through_the_page_with_a_reason(demo, demo_user):
    # given
    cycle = sent_cycle()
    found = _answered(demo_user, cycle)
    reader = client(demo_user("assessor"))
    values = {code: data["score"] for code, data in WELFARE.items()}
    # when
    refused = reader.post(
        f"/inquiries/{found.pk}/answer/", _form({**values, "6.5.3": "6"}, version="1")
    )
    done = reader.post(
        f"/inquiries/{found.pk}/answer/",
        _form({**values, "6.5.3": "6"}, version="1", reason="بازدید دوم"),
    )
    # then
    assert refused.status_code == 400
    assert done.status_code == 302
    found.refresh_from_db()
    assert (found.version, found.scores["6.5.3"]) == (2, "6")


def test_staff_enter_an_answer_from_a_letter_on_the_page(demo, demo_user):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    staff = client(demo_user("staff"))
    form = staff.get(f"/inquiries/{found.pk}/").content.decode()
    values = {code: data["score"] for code, data in WELFARE.items()}
    # when
    without = staff.post(f"/inquiries/{found.pk}/letter/", _form(values))
    response = staff.post(
        f"/inquiries/{found.pk}/letter/",
        _form(values, reference="۱۲۳/ب", letter=letter()),
    )
    # then
    assert f'action="/inquiries/{found.pk}/letter/"' in form
    assert without.status_code == 400
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.how == How.LETTER
    download = staff.get(f"/inquiries/{found.pk}/letter/file/")
    assert download.status_code == 200
    assert download.getvalue() == PDF


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("staff", "answer", 403),
        ("assessor", "letter", 403),
        ("evaluator", "answer", 404),
        ("agency", "letter", 404),
    ],
)
def test_a_refused_post_changes_nothing(demo, demo_user, username, path, status):
    # given
    found = inquiry(sent_cycle(), "accessibility", "AR-ED")
    values = {code: data["score"] for code, data in WELFARE.items()}
    before = state()
    # when
    response = client(demo_user(username)).post(
        f"/inquiries/{found.pk}/{path}/", _form(values, letter=letter())
    )
    # then
    assert response.status_code == status
    assert state() == before


def test_an_electronic_topic_shows_the_other_systems_link(demo, demo_user):
    # given
    found = inquiry(sent_cycle(), "setad", "AR-ED")
    body = assessor("setad-user", "ecommerce")
    # when
    page = client(body).get(f"/inquiries/{found.pk}/").content.decode()
    inbox = client(body).get("/inquiries/").content.decode()
    # then
    assert 'href="http://setadiran.ir"' in page
    assert 'href="http://setadiran.ir"' in inbox


def test_the_inbox_lists_the_bodys_inquiries_in_every_province(demo, demo_user):
    # given
    ardabil = sent_cycle()
    ilam = sent_cycle(province="ilam", agencies=("IL-ED",))
    _answered(demo_user, ardabil)
    reader = client(demo_user("assessor"))
    # when
    everything = reader.get("/inquiries/").context["inquiries"]
    answered = reader.get("/inquiries/?state=answered").context["inquiries"]
    open_ = reader.get("/inquiries/?state=open").context["inquiries"]
    # then
    assert {i.topic.code for i in everything} == {"accessibility"}
    assert {i.cycle_id for i in everything} == {ardabil.pk, ilam.pk}
    assert len(everything) == 4
    assert [i.participation.agency.code for i in answered] == ["AR-ED"]
    assert len(open_) == 3


def _count(reader, path: str, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(30) as captured:
        response = reader.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_lists_cost_the_same_for_one_or_many_agencies(
    demo, demo_user, django_assert_max_num_queries
):
    # given
    small = sent_cycle(agencies=("AR-ED",))
    large = sent_cycle(agencies=("AR-ED", "AR-EF", "AR-TAX", "AR-WEL"), year=1404)
    staff = client(demo_user("staff"))
    body = client(demo_user("assessor"))
    # when
    few = _count(staff, f"/inquiries/cycle/{small.pk}/", django_assert_max_num_queries)
    many = _count(staff, f"/inquiries/cycle/{large.pk}/", django_assert_max_num_queries)
    inbox_few = _count(body, "/inquiries/?state=answered", django_assert_max_num_queries)
    inbox_many = _count(body, "/inquiries/", django_assert_max_num_queries)
    agency_few = _count(staff, f"/inquiries/cycle/{small.pk}/AR-ED/", django_assert_max_num_queries)
    _answered(demo_user, small)
    agency_many = _count(
        staff, f"/inquiries/cycle/{small.pk}/AR-ED/", django_assert_max_num_queries
    )
    # then
    assert many == few
    assert inbox_many == inbox_few
    assert agency_many == agency_few
