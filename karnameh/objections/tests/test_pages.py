"""The pages: per role, another province's cycle, every action through its form, query counts."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from karnameh.accounts.models import Role, RoleAssignment
from karnameh.agencies.models import Agency, Province
from karnameh.common.factories import user_with_role
from karnameh.common.jalali import format_jalali_date
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.objections.models import ExpertGroup, Meeting, Objection
from karnameh.objections.services import objection_record, objection_route
from tests.test_persian_digits import ascii_digits_shown

from .builders import GAUGE, ardabil, file, group, in_window, pdf, scored, state, user


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def world(demo):
    """AR-ED scored; one objection routed to a group of a staff member and an evaluator."""
    cycle = open_cycle()
    scored(cycle)
    objection = file(cycle)
    member = ardabil(Role.STAFF, "member")
    sitting = ardabil(Role.EVALUATOR, "sitting")
    team = group(cycle, member, sitting)
    objection_route(actor=user("staff"), objection=objection, group=team)
    return {"cycle": cycle, "objection": objection, "group": team, "member": member}


def _person(name: str):
    if name == "other-agency":
        person = user_with_role(Role.AGENCY, agency=Agency.objects.get(code="AR-EF"))
    elif name == "outside-evaluator":
        person = ardabil(Role.EVALUATOR)
    elif name == "ilam-staff":
        person = user_with_role(Role.STAFF, province=Province.objects.get(code="ilam"))
    else:
        from karnameh.accounts.models import User

        person = User.objects.get(username=name)
    return person


AGENCY_PAGE = "agency/AR-ED/"
FILE_PAGE = f"agency/AR-ED/general/{GAUGE}/file/"


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("agency", AGENCY_PAGE, 200),
        ("office", AGENCY_PAGE, 200),
        ("staff", AGENCY_PAGE, 200),
        ("deputy", AGENCY_PAGE, 200),
        ("hq", AGENCY_PAGE, 403),
        ("national", AGENCY_PAGE, 403),
        ("outside-evaluator", AGENCY_PAGE, 404),
        ("other-agency", AGENCY_PAGE, 404),
        ("agency", FILE_PAGE, 200),
        ("staff", FILE_PAGE, 403),
        ("agency", "agency/AR-ED/general/99.9/file/", 404),
        ("agency", "agency/AR-ED/other/3.1.4/file/", 404),
        ("staff", "", 200),
        ("council", "", 200),
        ("agency", "", 403),
        ("evaluator", "", 403),
        ("staff", "record/", 200),
        ("deputy", "record/", 403),
        ("staff", "groups/", 200),
        ("sitting", "groups/", 200),
        ("agency", "groups/", 403),
        ("sitting", "queue/", 200),
        ("agency", "queue/", 403),
        ("agency", "{pk}/", 200),
        ("staff", "{pk}/", 200),
        ("member", "{pk}/", 200),
        ("sitting", "{pk}/", 200),
        ("hq", "{pk}/", 403),
        ("outside-evaluator", "{pk}/", 404),
        ("other-agency", "{pk}/", 404),
        ("staff", "groups/{group}/", 200),
        ("sitting", "groups/{group}/", 200),
        ("outside-evaluator", "groups/{group}/", 404),
        ("ilam-staff", "", 404),
        ("ilam-staff", AGENCY_PAGE, 404),
        ("ilam-staff", "{pk}/", 404),
        ("ilam-staff", "groups/", 404),
    ],
)
def test_pages_per_role(world, username, path, status):
    # given
    cycle = world["cycle"]
    path = path.format(pk=world["objection"].pk, group=world["group"].pk)
    # when
    with in_window(cycle):
        response = _client(_person(username)).get(f"/objections/{cycle.pk}/{path}")
    # then
    assert response.status_code == status


def test_the_agency_sees_its_objection_scores_and_a_link_to_object(world):
    # given
    cycle = world["cycle"]
    scored(cycle, gauges={"3.1.6": {"fields": {"contract_staff": 0, "contract_staff_diploma": 0}}})
    # when
    with in_window(cycle):
        page = _client(user("agency")).get(f"/objections/{cycle.pk}/agency/AR-ED/")
    html = page.content.decode()
    # then
    assert 'data-testid="file-link"' in html
    assert f"/objections/{cycle.pk}/agency/AR-ED/general/3.1.6/file/" in html
    assert 'data-testid="objection-' in html
    assert "۳.۱.۴" in html
    assert ascii_digits_shown(html) == []


def test_the_agency_files_through_the_page(world):
    # given
    cycle = world["cycle"]
    scored(cycle, gauges={"3.1.6": {"fields": {"contract_staff": 3, "contract_staff_diploma": 1}}})
    # when
    with in_window(cycle):
        response = _client(user("office")).post(
            f"/objections/{cycle.pk}/agency/AR-ED/general/3.1.6/file/",
            {"reasoning": "کارمند دیپلمه بازنشسته شده است.", "files": [pdf(), pdf("دوم.pdf")]},
        )
    # then
    made = Objection.objects.get(gauge_code="3.1.6")
    assert response.status_code == 302
    assert response["Location"] == f"/objections/{cycle.pk}/{made.pk}/"
    assert made.evidence.count() == 2


def test_filing_outside_the_window_shows_why_and_saves_nothing(world):
    # given
    cycle = world["cycle"]
    before = state()
    step = cycle.steps.get(number=9)
    # when
    response = _client(user("agency")).post(
        f"/objections/{cycle.pk}/agency/AR-ED/general/1.1.1/file/", {"reasoning": "دلیل"}
    )
    # then
    assert response.status_code == 400
    assert format_jalali_date(step.planned_end) in response.content.decode()
    assert state() == before


def test_staff_record_an_in_person_objection_through_the_page(world):
    cycle = world["cycle"]
    scored(cycle, "AR-EF")
    with in_window(cycle):
        response = _client(user("staff")).post(
            f"/objections/{cycle.pk}/record/",
            {
                "participation": participation(cycle, "AR-EF").pk,
                "part": "general",
                "gauge": "۳.۱.۴",
                "representative": "خانم توکلی",
                "reasoning": "دلیل حضوری",
            },
        )
    made = Objection.objects.get(participation__agency__code="AR-EF")
    assert response.status_code == 302
    assert made.in_person and made.gauge_code == GAUGE


def test_staff_route_through_the_page_and_a_refusal_is_shown(world):
    # given
    cycle = world["cycle"]
    scored(cycle, "AR-EF")
    with in_window(cycle):
        objection = objection_record(
            actor=user("staff"),
            participation=participation(cycle, "AR-EF"),
            part="general",
            gauge_code=GAUGE,
            reasoning="دلیل",
        )
    bad = group(cycle, user("evaluator"), name="گروه با ارزیاب")
    client = _client(user("staff"))
    before = state()
    # when
    refused = client.post(f"/objections/{cycle.pk}/{objection.pk}/route/", {"group": bad.pk})
    # then
    assert refused.status_code == 302
    assert state() == before
    shown = client.get(refused["Location"]).content.decode()
    assert user("evaluator").display_name in shown
    ok = client.post(f"/objections/{cycle.pk}/{objection.pk}/route/", {"group": world["group"].pk})
    assert ok.status_code == 302
    objection.refresh_from_db()
    assert objection.state == "routed"


def test_a_member_decides_through_the_page_with_the_live_score(world):
    # given
    cycle, objection = world["cycle"], world["objection"]
    client = _client(world["member"])
    page = client.get(f"/objections/{cycle.pk}/{objection.pk}/").content.decode()
    answer = {"f_posts": "۱۰۰", "f_staff_total": "۹۰"}
    # when
    preview = client.post(f"/objections/{cycle.pk}/{objection.pk}/preview/", answer)
    response = client.post(
        f"/objections/{cycle.pk}/{objection.pk}/decide/",
        {**answer, "d-outcome": "accept", "d-reasons": "پست‌های مصوب جدید دیده شد."},
    )
    # then
    assert 'data-testid="decide-form"' in page and 'data-testid="deficiencies"' in page
    assert 'data-testid="counted-score"' in page
    assert ascii_digits_shown(page) == []
    assert "۱۰" in preview.content.decode()
    assert response.status_code == 302
    objection.refresh_from_db()
    assert (objection.state, objection.new_score) == ("accepted", Decimal(10))
    shown = _client(user("agency")).get(response["Location"]).content.decode()
    assert 'data-testid="new-score"' in shown and "پست‌های مصوب جدید دیده شد." in shown


def test_a_decision_without_reasons_is_refused_on_the_page(world):
    cycle, objection = world["cycle"], world["objection"]
    before = state()
    response = _client(world["member"]).post(
        f"/objections/{cycle.pk}/{objection.pk}/decide/", {"d-outcome": "reject", "d-reasons": ""}
    )
    assert response.status_code == 400
    assert state() == before


@pytest.mark.parametrize("username", ["staff", "agency", "evaluator"])
def test_non_members_may_not_decide_on_the_page(world, username):
    cycle, objection = world["cycle"], world["objection"]
    before = state()
    response = _client(user(username)).post(
        f"/objections/{cycle.pk}/{objection.pk}/decide/", {"d-outcome": "reject", "d-reasons": "د"}
    )
    assert response.status_code in (403, 404)
    assert state() == before


def test_a_member_sees_the_scores_they_decide_on(world):
    """An evaluator not assigned to the agency, in the group its objection went to."""
    cycle, objection = world["cycle"], world["objection"]
    client = _client(user("sitting"))
    page = client.get(f"/objections/{cycle.pk}/{objection.pk}/").content.decode()
    preview = client.post(f"/objections/{cycle.pk}/{objection.pk}/preview/", {"f_posts": "1"})
    assert 'data-testid="counted-score"' in page
    assert preview.status_code == 200


def test_the_agency_withdraws_through_the_page(world):
    cycle, objection = world["cycle"], world["objection"]
    response = _client(user("agency")).post(f"/objections/{cycle.pk}/{objection.pk}/withdraw/")
    objection.refresh_from_db()
    assert response.status_code == 302 and objection.state == "withdrawn"


def test_groups_and_meetings_through_the_pages(world):
    # given
    cycle = world["cycle"]
    client = _client(user("staff"))
    member = world["member"]
    # when
    created = client.post(
        f"/objections/{cycle.pk}/groups/",
        {"name": "گروه فناوری", "members": [member.pk, user("evaluator").pk]},
    )
    team = ExpertGroup.objects.get(name="گروه فناوری")
    changed = client.post(
        f"/objections/{cycle.pk}/groups/{team.pk}/members/", {"members": [member.pk]}
    )
    recorded = _client(member).post(
        f"/objections/{cycle.pk}/groups/{team.pk}/meetings/",
        {
            "held_on": format_jalali_date(timezone.now().date()),
            "present": [member.pk],
            "minutes": pdf("صورت‌جلسه.pdf"),
        },
    )
    meeting = Meeting.objects.get()
    # then
    assert (created.status_code, changed.status_code, recorded.status_code) == (302, 302, 302)
    assert list(team.members.all()) == [member]
    assert _client(member).get(f"/objections/{cycle.pk}/minutes/{meeting.pk}/").status_code == 200
    assert (
        _client(user("agency")).get(f"/objections/{cycle.pk}/minutes/{meeting.pk}/").status_code
        == 404
    )
    page = client.get(f"/objections/{cycle.pk}/groups/{team.pk}/").content.decode()
    assert ascii_digits_shown(page) == []


def test_a_meeting_with_a_stranger_is_refused_on_the_page(world):
    cycle, team = world["cycle"], world["group"]
    before = state()
    response = _client(user("staff")).post(
        f"/objections/{cycle.pk}/groups/{team.pk}/meetings/",
        {
            "held_on": format_jalali_date(timezone.now().date()),
            "present": [user("evaluator").pk],
            "minutes": pdf(),
        },
    )
    assert response.status_code == 400
    assert state() == before


def test_evidence_downloads_only_for_those_who_read_the_objection(world):
    cycle, objection = world["cycle"], world["objection"]
    stored = objection.evidence.get()
    path = f"/objections/{cycle.pk}/{objection.pk}/evidence/{stored.pk}/"
    assert _client(user("agency")).get(path).status_code == 200
    assert _client(world["member"]).get(path).status_code == 200
    assert _client(_person("other-agency")).get(path).status_code == 404


def _many(cycle, codes) -> None:
    for code in codes:
        scored(cycle, code)
        with in_window(cycle):
            objection_record(
                actor=user("staff"),
                participation=participation(cycle, code),
                part="general",
                gauge_code=GAUGE,
                reasoning="دلیل",
                uploads=[pdf()],
            )


@pytest.mark.parametrize("path", ["", "queue/", "groups/"])
def test_lists_cost_the_same_for_few_or_many_objections(world, path, django_assert_max_num_queries):
    # given
    cycle = world["cycle"]
    client = _client(world["member"] if path == "queue/" else user("staff"))
    url = f"/objections/{cycle.pk}/{path}"

    def count() -> int:
        with django_assert_max_num_queries(25) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    few = count()
    # when
    _many(cycle, ["AR-EF", "AR-TAX", "AR-WEL"])
    for objection in Objection.objects.filter(state="filed"):
        objection_route(actor=user("staff"), objection=objection, group=world["group"])
    group(cycle, name="گروه دوم")
    # then
    assert count() == few


def test_the_agency_page_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    cycle = world["cycle"]
    agency = _client(user("agency"))  # signed in before counting: the page's cost only
    with django_assert_max_num_queries(40):
        assert agency.get(f"/objections/{cycle.pk}/agency/AR-ED/").status_code == 200


def test_hq_sees_no_objection_pages_of_its_unit(world):
    # HQ users see the unit's participation but no score before the release, nor objections.
    cycle = world["cycle"]
    assert RoleAssignment.objects.filter(user=user("hq"), role=Role.HQ).exists()
    response = _client(user("hq")).get(f"/objections/{cycle.pk}/agency/AR-ED/")
    assert response.status_code == 403
