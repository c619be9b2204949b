"""The review pages, the gauge page, the board's progress and return, per role."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.agencies.models import Agency, Province
from karnameh.assessments.services import evidence_add
from karnameh.cycles.models import AssessmentState
from karnameh.cycles.tests.builders import open_cycle, step_day
from karnameh.evaluations.models import Assignment, Consensus, Review
from tests.test_persian_digits import ascii_digits_shown

from .helpers import evaluator
from .scoring import (
    JUDGED,
    SECOND,
    approve_directly,
    assign,
    client_for,
    during,
    judge,
    own,
    review_all,
    snapshot,
    transferred,
    with_targets,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cycle(demo):
    return open_cycle()


@pytest.fixture
def p(cycle):
    return transferred(cycle)


@pytest.fixture
def assignment(p, demo_user):
    return assign(p, demo_user("evaluator"), axes=["2"])


def _user(username: str, role: str, **scope) -> User:
    person = User.objects.create_user(username=username, password="x")
    RoleAssignment.objects.create(user=person, role=role, **scope)
    return person


def _outsider(demo_user, name: str) -> User:
    if name == "idle":
        return evaluator("idle")
    if name == "ilam-staff":
        return _user("ilam-staff", Role.STAFF, province=Province.objects.get(code="ilam"))
    if name == "other-agency":
        return _user("ef-user", Role.AGENCY, agency=Agency.objects.get(code="AR-EF"))
    return demo_user(name)


def _evidence(p, agency: User, name: str):
    """Evidence the agency attached while entering (step 6), before the transfer."""
    p.state = AssessmentState.DRAFT
    p.save(update_fields=["state"])
    with during(p.cycle, 6):
        found = evidence_add(
            actor=agency,
            participation=p,
            part="general",
            gauge_code=JUDGED,
            upload=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        )
    p.state = AssessmentState.TRANSFERRED
    p.save(update_fields=["state"])
    return found


ROLES = [
    ("evaluator", 200),
    ("staff", 200),
    ("idle", 404),
    ("ilam-staff", 404),
    ("other-agency", 404),
    ("assessor", 404),
    ("agency", 403),
    ("office", 403),
    ("hq", 403),
    ("national", 403),
    ("deputy", 403),
]


@pytest.mark.parametrize(("username", "status"), ROLES)
@pytest.mark.parametrize("tail", ["", f"{JUDGED}/"])
def test_review_pages_per_role(cycle, assignment, demo_user, username, status, tail):
    # when
    response = client_for(_outsider(demo_user, username)).get(
        f"/evaluations/{cycle.pk}/review/{assignment.pk}/{tail}"
    )
    # then
    assert response.status_code == status


def test_the_review_page_lists_the_scope_with_self_scores_and_the_approval_state(
    cycle, p, assignment, demo_user
):
    # given
    person = demo_user("evaluator")
    own(p, JUDGED, 12)
    with during(cycle):
        judge(p, person, JUDGED, "9.5", notes="مستند کافی نیست.")
        # when
        page = client_for(person).get(f"/evaluations/{cycle.pk}/review/{assignment.pk}/")
    body = page.content.decode()
    # then
    rows = re.findall(r'data-testid="row-([\d.]+)"', body)
    assert JUDGED in rows and "1.1.1" not in rows and "4.1.1" not in rows
    assert len(rows) == 25  # axis 2 of the demo catalogue: 25 gauges, none an assessing body's
    assert "۹٫۵" in body and "۱۲" in body
    assert 'data-testid="problems"' in body and 'data-testid="approve"' in body
    assert ascii_digits_shown(body) == []


def test_the_gauge_page_shows_the_agencys_answer_evidence_and_a_queued_live_score(
    cycle, p, assignment, demo_user, settings, tmp_path
):
    # given
    settings.MEDIA_ROOT = tmp_path
    own(p, JUDGED, 12)
    evidence = _evidence(p, demo_user("agency"), "گزارش.pdf")
    client = client_for(demo_user("evaluator"))
    # when
    with during(cycle):
        page = client.get(f"/evaluations/{cycle.pk}/review/{assignment.pk}/{JUDGED}/")
        download = client.get(f"/assessments/{cycle.pk}/AR-ED/evidence/{evidence.pk}/")
    body = page.content.decode()
    # then
    assert page.status_code == 200 and download.status_code == 200
    assert f"/assessments/{cycle.pk}/AR-ED/evidence/{evidence.pk}/" in body
    assert 'data-testid="self-score">۱۲<' in body
    assert 'hx-sync="this:queue last"' in body and "replace" not in body.split("hx-sync")[1][:30]
    assert 'name="deficiencies"' in body and 'name="score"' in body
    assert ascii_digits_shown(body) == []


def test_the_gauge_page_shows_a_self_score_with_a_fraction(cycle, p, assignment, demo_user):
    """A self-score of 12.5 is stored as the JSON number 12.5 (``scoring.numbers.written``)."""
    # given
    own(p, JUDGED, 12.5)
    client = client_for(demo_user("evaluator"))
    # when
    with during(cycle):
        page = client.get(f"/evaluations/{cycle.pk}/review/{assignment.pk}/{JUDGED}/")
    body = page.content.decode()
    # then: the agency's answer reads 12.5 in Persian digits, as its self-score does
    assert page.status_code == 200
    assert 'data-testid="self-score">۱۲٫۵<' in body
    assert body.count("۱۲٫۵") >= 2
    assert ascii_digits_shown(body) == []


def test_an_unassigned_evaluator_downloads_no_evidence(cycle, p, assignment, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evidence = _evidence(p, User.objects.get(username="agency"), "a.pdf")
    response = client_for(evaluator("idle")).get(
        f"/assessments/{cycle.pk}/AR-ED/evidence/{evidence.pk}/"
    )
    assert response.status_code == 404


def test_the_evaluator_saves_from_the_gauge_page_without_javascript(
    cycle, p, assignment, demo_user
):
    # given
    client = client_for(demo_user("evaluator"))
    url = f"/evaluations/{cycle.pk}/review/{assignment.pk}/{JUDGED}/"
    # when
    with during(cycle):
        response = client.post(url, {"score": "۱۶", "deficiencies": "", "version": "0"})
    # then
    assert response.status_code == 302
    assert Review.objects.get().score == 16


def test_a_missing_note_of_deficiencies_is_refused_on_the_page_and_saves_nothing(
    cycle, p, assignment, demo_user
):
    # given
    own(p, JUDGED, 12)
    before = snapshot()
    # when
    with during(cycle):
        response = client_for(demo_user("evaluator")).post(
            f"/evaluations/{cycle.pk}/review/{assignment.pk}/{JUDGED}/",
            {"score": "8", "version": "0"},
        )
    # then
    assert response.status_code == 400
    assert 'data-testid="error"' in response.content.decode()
    assert snapshot() == before


def test_a_conflict_on_the_page_shows_both_answers(cycle, p, assignment, demo_user):
    # given
    person = demo_user("evaluator")
    with during(cycle):
        judge(p, person, JUDGED, 10)
        before = snapshot()
        # when
        response = client_for(person).post(
            f"/evaluations/{cycle.pk}/review/{assignment.pk}/{JUDGED}/",
            {"score": "15", "version": "0"},
        )
    # then
    assert response.status_code == 409
    assert 'data-testid="conflict"' in response.content.decode()
    assert snapshot() == before


def test_the_live_score_scores_what_is_typed_and_saves_nothing(cycle, p, assignment, demo_user):
    before = snapshot()
    response = client_for(demo_user("evaluator")).post(
        f"/evaluations/{cycle.pk}/review/{assignment.pk}/{JUDGED}/score/", {"score": "۷٫۵"}
    )
    body = response.content.decode()
    assert 'data-testid="score">۷٫۵<' in body
    assert snapshot() == before


@pytest.mark.parametrize("username", ["staff", "agency"])
def test_the_live_score_is_the_evaluators_alone(cycle, assignment, demo_user, username):
    response = client_for(demo_user(username)).post(
        f"/evaluations/{cycle.pk}/review/{assignment.pk}/{JUDGED}/score/", {"score": "1"}
    )
    assert response.status_code == 403


def test_staff_read_the_review_read_only(cycle, p, assignment, demo_user):
    with during(cycle):
        judge(p, demo_user("evaluator"), JUDGED, 10)
        body = (
            client_for(demo_user("staff"))
            .get(f"/evaluations/{cycle.pk}/review/{assignment.pk}/{JUDGED}/")
            .content.decode()
        )
    assert "disabled" in body and "hx-post" not in body
    assert 'data-testid="approve"' not in body


def test_approval_from_the_page_shows_the_refusal_then_succeeds(cycle, p, demo_user):
    # given
    person = demo_user("evaluator")
    assignment = assign(p, person, axes=["7"])
    client = client_for(person)
    url = f"/evaluations/{cycle.pk}/review/{assignment.pk}/"
    with during(cycle):
        # when
        refused = client.post(f"{url}approve/", follow=True)
        review_all(p, assignment)
        done = client.post(f"{url}approve/", follow=True)
    # then
    assert "۷.۱.۱" in refused.content.decode()
    assert 'data-testid="approved"' in done.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).approved_at is not None


def test_the_consensus_form_appears_on_a_large_gap_and_saves_the_note(cycle, p, demo_user):
    # given
    inside = assign(p, demo_user("evaluator"), axes=["2"])
    outside = assign(p, evaluator("ext", origin="external"), axes=["2"])
    client = client_for(outside.evaluator)
    url = f"/evaluations/{cycle.pk}/review/{outside.pk}/{JUDGED}/"
    with during(cycle):
        judge(p, inside.evaluator, JUDGED, 18)
        judge(p, outside.evaluator, JUDGED, 9)
        # when
        page = client.get(url).content.decode()
        saved = client.post(f"{url}consensus/", {"note": "توافق شد: ۱۶."})
    # then
    assert 'data-testid="consensus-form"' in page and 'data-testid="gap"' in page
    assert saved.status_code == 302
    assert Consensus.objects.get().note == "توافق شد: ۱۶."


def test_the_board_shows_each_assignments_progress_and_staff_return_from_it(
    cycle, p, assignment, demo_user
):
    # given
    with during(cycle):
        judge(p, demo_user("evaluator"), JUDGED, 10)
        judge(p, demo_user("evaluator"), SECOND, 10)
    approve_directly(assignment)
    client = client_for(demo_user("staff"))
    # when
    board = client.get(f"/evaluations/{cycle.pk}/").content.decode()
    returned = client.post(
        f"/evaluations/{cycle.pk}/review/{assignment.pk}/return/",
        {"reason": "بازبینی شود", "next": "board"},
    )
    # then
    assert "۲ از ۲۵" in board
    assert 'data-testid="approved"' in board
    assert returned.status_code == 302 and returned["Location"] == f"/evaluations/{cycle.pk}/"
    assert Assignment.objects.get(pk=assignment.pk).approved_at is None
    assert ascii_digits_shown(board) == []


def test_the_queue_links_to_the_review_page_with_progress(cycle, p, assignment, demo_user):
    with during(cycle):
        judge(p, demo_user("evaluator"), JUDGED, 10)
    body = (
        client_for(demo_user("evaluator")).get(f"/evaluations/{cycle.pk}/queue/").content.decode()
    )
    assert f"/evaluations/{cycle.pk}/review/{assignment.pk}/" in body
    assert 'data-testid="scored"' in body
    assert ascii_digits_shown(body) == []


def _list_queries(client, url, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(40) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_review_page_costs_the_same_for_one_or_many_reviewed_gauges(
    cycle, p, demo_user, django_assert_max_num_queries
):
    # given: one gauge reviewed on one agency, every gauge of the axis on another
    person = demo_user("evaluator")
    with_targets(p)  # so that its target gauges can be scored too
    many = assign(p, person, axes=["2"])
    other = transferred(cycle, "AR-EF")
    few = assign(other, person, axes=["2"])
    with during(cycle):
        judge(other, person, JUDGED, 10)
        review_all(p, many)
    client = client_for(person)
    client.get(f"/evaluations/{cycle.pk}/review/{few.pk}/")  # the catalogue compiled once
    # when
    with during(cycle):
        one = _list_queries(
            client, f"/evaluations/{cycle.pk}/review/{few.pk}/", django_assert_max_num_queries
        )
        all_of_them = _list_queries(
            client, f"/evaluations/{cycle.pk}/review/{many.pk}/", django_assert_max_num_queries
        )
    # then
    assert Review.objects.filter(assignment=many).count() == 25
    assert all_of_them == one


def test_a_gauge_page_costs_the_same_for_one_or_many_reviewed_gauges(
    cycle, p, demo_user, django_assert_max_num_queries
):
    # given: the same gauge on an agency with one gauge reviewed and on one with all 25
    person = demo_user("evaluator")
    with_targets(p)
    many = assign(p, person, axes=["2"])
    other = transferred(cycle, "AR-EF")
    few = assign(other, person, axes=["2"])
    with during(cycle):
        judge(other, person, JUDGED, 10)
        review_all(p, many)
    client = client_for(person)
    client.get(f"/evaluations/{cycle.pk}/review/{few.pk}/{JUDGED}/")  # compiled once
    # when
    with during(cycle):
        one = _list_queries(
            client,
            f"/evaluations/{cycle.pk}/review/{few.pk}/{JUDGED}/",
            django_assert_max_num_queries,
        )
        all_of_them = _list_queries(
            client,
            f"/evaluations/{cycle.pk}/review/{many.pk}/{JUDGED}/",
            django_assert_max_num_queries,
        )
    # then: the page reads one gauge, whatever else is reviewed
    assert Review.objects.filter(assignment=many).count() == 25
    assert all_of_them == one


def test_the_evaluator_sees_the_agencys_workspace_once_assigned(cycle, p, demo_user):
    client = client_for(demo_user("evaluator"))
    url = f"/assessments/{cycle.pk}/AR-ED/"
    assert client.get(url).status_code == 404
    assign(p, demo_user("evaluator"))
    with during(cycle):
        assert client.get(url).status_code == 200


def test_step_day_is_inside_step_8(cycle):
    assert cycle.steps.get(number=8).planned_start == step_day(cycle, 8).date()
