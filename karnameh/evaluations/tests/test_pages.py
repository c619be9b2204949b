"""The staff's board and suggestion, an evaluator's queue: per role, digits, query counts."""

import pytest
from django.test import Client

from karnameh.cycles.models import AssessmentState, Participation
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.evaluations.models import Assignment
from karnameh.evaluations.services import assignment_add
from tests.test_persian_digits import ascii_digits_shown

from .helpers import SEVEN, evaluator, state


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _assign(demo_user, cycle, code: str, person=None, scope: str = "general") -> Assignment:
    return assignment_add(
        actor=demo_user("staff"),
        participation=participation(cycle, code),
        evaluator=person or demo_user("evaluator"),
        scope=scope,
    )


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("staff", "", 200),
        ("staff", "suggest/?scope=specific", 200),
        ("staff", "queue/?evaluator=evaluator", 200),
        ("evaluator", "queue/", 200),
        ("evaluator", "", 403),
        ("agency", "", 403),
        ("agency", "queue/", 403),
        ("evaluator", "queue/?evaluator=staff", 404),
    ],
)
def test_pages_per_role(demo, demo_user, username, path, status):
    # given
    cycle = open_cycle()
    _assign(demo_user, cycle, "AR-EF")
    # when
    response = _client(demo_user(username)).get(f"/evaluations/{cycle.pk}/{path}")
    # then
    assert response.status_code == status


@pytest.mark.parametrize("path", ["", "suggest/", "queue/?evaluator=evaluator"])
def test_another_provinces_cycle_is_not_found(demo, demo_user, path):
    # given
    cycle = open_cycle(province="ilam", agencies=("IL-ED",))
    # when
    response = _client(demo_user("staff")).get(f"/evaluations/{cycle.pk}/{path}")
    # then
    assert response.status_code == 404


def test_staff_assign_from_the_board_and_see_the_workload(demo, demo_user):
    # given
    cycle = open_cycle()
    client = _client(demo_user("staff"))
    target = participation(cycle, "AR-TAX")
    # when
    response = client.post(
        f"/evaluations/{cycle.pk}/add/",
        {"participation": target.pk, "evaluator": demo_user("evaluator").pk, "scope": "general"},
    )
    # then
    assert response.status_code == 302
    assert Assignment.objects.get().participation == target
    page = client.get(f"/evaluations/{cycle.pk}/").content.decode()
    assert demo_user("evaluator").display_name in page
    assert ascii_digits_shown(page) == []


def test_a_conflicting_assignment_from_the_board_is_refused_and_saves_nothing(demo, demo_user):
    # given
    cycle = open_cycle()
    person = evaluator("own", works_for="AR-ED")
    before = state()
    # when
    response = _client(demo_user("staff")).post(
        f"/evaluations/{cycle.pk}/add/",
        {
            "participation": participation(cycle, "AR-ED").pk,
            "evaluator": person.pk,
            "scope": "general",
        },
    )
    # then
    assert response.status_code == 400
    assert "alert-danger" in response.content.decode()
    assert state() == before


def test_the_suggestion_preview_applies_on_the_button(demo, demo_user):
    # given
    cycle = open_cycle(agencies=SEVEN)
    evaluator("b-eval")
    evaluator("c-eval")
    client = _client(demo_user("staff"))
    preview = client.get(f"/evaluations/{cycle.pk}/suggest/?scope=general")
    pairs = [p for p in preview.content.decode().split('name="pair" value="')[1:]]
    values = [p.split('"')[0] for p in pairs]
    # when
    response = client.post(
        f"/evaluations/{cycle.pk}/suggest/apply/", {"scope": "general", "pair": values}
    )
    # then
    assert ascii_digits_shown(preview.content.decode()) == []
    assert response.status_code == 302
    assert Assignment.objects.filter(removed_at__isnull=True).count() == 7


def test_staff_remove_an_assignment_with_a_reason(demo, demo_user):
    # given
    cycle = open_cycle()
    made = _assign(demo_user, cycle, "AR-EF")
    # when
    response = _client(demo_user("staff")).post(
        f"/evaluations/{cycle.pk}/remove/{made.pk}/", {"reason": "بیماری ارزیاب"}
    )
    # then
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.removed_at is not None


def test_the_queue_shows_progress_in_persian_digits(demo, demo_user):
    # given: two agencies assigned, one of them transferred to the organization
    cycle = open_cycle()
    _assign(demo_user, cycle, "AR-EF")
    _assign(demo_user, cycle, "AR-TAX")
    Participation.objects.filter(cycle=cycle, agency__code="AR-TAX").update(
        state=AssessmentState.TRANSFERRED
    )
    # when
    response = _client(demo_user("evaluator")).get(f"/evaluations/{cycle.pk}/queue/")
    # then
    page = response.content.decode()
    assert response.context["queue"].ready == 1
    assert response.context["queue"].total == 2
    assert ascii_digits_shown(page) == []


def test_an_evaluator_declares_a_conflict_from_their_queue(demo, demo_user):
    # given
    cycle = open_cycle()
    client = _client(demo_user("evaluator"))
    # when
    response = client.post(
        f"/evaluations/{cycle.pk}/conflict/",
        {"evaluator": "evaluator", "agency": "AR-ED", "reason": "برادرم مدیر آنجاست"},
    )
    # then
    assert response.status_code == 302
    assert demo_user("evaluator").conflict_declarations.get().agency.code == "AR-ED"


def _board_queries(client, cycle, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(30) as captured:
        response = client.get(f"/evaluations/{cycle.pk}/")
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_board_costs_the_same_for_one_or_many_agencies(
    demo, demo_user, django_assert_max_num_queries
):
    # given
    small = open_cycle(agencies=("AR-EF",))
    _assign(demo_user, small, "AR-EF")
    large = open_cycle(year=1404, agencies=SEVEN)
    for code in SEVEN[1:]:
        _assign(demo_user, large, code)
        _assign(
            demo_user,
            large,
            code,
            person=evaluator(f"s-{code.lower()}", scope="specific"),
            scope="specific",
        )
    client = _client(demo_user("staff"))
    # The catalogue is compiled once per version in each process (catalogue.store): warm it.
    client.get(f"/evaluations/{small.pk}/")
    # when
    few = _board_queries(client, small, django_assert_max_num_queries)
    many = _board_queries(client, large, django_assert_max_num_queries)
    # then
    assert many == few
