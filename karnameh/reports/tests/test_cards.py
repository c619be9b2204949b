"""The report card page: what it shows, to whom and when."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.accounts.tests.clients import signed_in as client_for
from karnameh.agencies.models import Province
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.tests.builders import participation
from karnameh.evaluations.models import Assignment, Review
from karnameh.objections.models import Objection
from karnameh.reports.cards import card

from .test_cards_builders import SAMPLE, published_cycle

ED = "ادارهٔ کل آموزش و پرورش استان اردبیل"


def url(cycle: Any, code: str = "AR-ED", tail: str = "") -> str:
    return f"/reports/{cycle.pk}/card/{code}/{tail}"


def test_the_agency_reads_its_card_after_publication(demo: Any) -> None:
    # given
    cycle = published_cycle(SAMPLE)
    final = participation(cycle, "AR-ED").result.final
    # when
    response = client_for("agency").get(url(cycle))
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert ED in page
    assert fa(final) in page
    assert "data:image/svg+xml;base64," in page


@pytest.mark.parametrize("name", ["hq", "agency", "office", "national", "evaluator", "assessor"])
def test_before_publication_only_the_organization_sees_a_card(demo: Any, name: str) -> None:
    # given
    cycle = published_cycle(SAMPLE, released=False)
    final = participation(cycle, "AR-ED").result.final
    # when
    response = client_for(name).get(url(cycle))
    # then
    assert response.status_code in (403, 404)
    assert fa(final) not in response.content.decode()
    assert str(final) not in response.content.decode()


@pytest.mark.parametrize("name", ["staff", "deputy", "council", "admin"])
def test_the_organization_checks_cards_before_publication(demo: Any, name: str) -> None:
    cycle = published_cycle(SAMPLE, released=False)
    response = client_for(name).get(url(cycle))
    assert response.status_code == 200
    assert fa(participation(cycle, "AR-ED").result.final) in response.content.decode()


@pytest.mark.parametrize("name", ["hq", "agency", "office", "national", "staff"])
def test_after_publication_the_agency_its_hq_and_the_organization_see_it(
    demo: Any, name: str
) -> None:
    cycle = published_cycle(SAMPLE)
    response = client_for(name).get(url(cycle))
    assert response.status_code == 200
    assert fa(participation(cycle, "AR-ED").result.final) in response.content.decode()


@pytest.mark.parametrize("name", ["evaluator", "assessor"])
def test_after_publication_others_get_the_portal_not_the_card(demo: Any, name: str) -> None:
    cycle = published_cycle(SAMPLE)
    response = client_for(name).get(url(cycle))
    assert response.status_code in (403, 404)
    assert fa(participation(cycle, "AR-ED").result.final) not in response.content.decode()


def test_another_agency_and_another_province_get_not_found(demo: Any) -> None:
    # given
    cycle = published_cycle(SAMPLE)
    other = Province.objects.exclude(code="ardabil").first()
    assert other is not None
    stranger = User.objects.create_user(username="other-staff", password="x")
    RoleAssignment.objects.create(user=stranger, role=Role.STAFF, province=other)
    # when
    theirs = client_for("other-staff").get(url(cycle))
    neighbour = client_for("agency").get(url(cycle, "AR-WEL"))
    # then
    assert theirs.status_code == 404
    assert neighbour.status_code == 404


def test_no_card_before_the_final_approval(demo: Any) -> None:
    from karnameh.cycles.tests.builders import open_cycle

    cycle = open_cycle()
    assert client_for("staff").get(url(cycle)).status_code == 404


def test_strengths_and_weaknesses_are_measured_against_agencies_of_the_same_type(
    demo: Any,
) -> None:
    # given: social AR-ED 90 % on 1.1.1 (type average 60 %), 20 % on 1.1.2 (average 60 %),
    # 75 % on 2.1.1 like everyone of its type; economic AR-EF's 100 % does not count.
    cycle = published_cycle(SAMPLE)
    # when
    found = card(participation(cycle, "AR-ED"), chart=None)
    # then
    assert [(g.code, g.gap) for g in found.strengths] == [("1.1.1", 30.0)]
    assert [(g.code, g.gap) for g in found.weaknesses] == [("1.1.2", -40.0)]
    assert found.strengths[0].peer_average == 60.0
    page = client_for("agency").get(url(cycle)).content.decode()
    assert (
        'data-gauge="1.1.1"' in page.split('data-testid="card-strengths"')[1].split("</table>")[0]
    )
    assert (
        'data-gauge="1.1.2"' in page.split('data-testid="card-weaknesses"')[1].split("</table>")[0]
    )


def test_an_agency_alone_in_its_type_has_no_comparison(demo: Any) -> None:
    cycle = published_cycle(SAMPLE)
    found = card(participation(cycle, "AR-EF"), chart=None)
    assert found.strengths == [] and found.weaknesses == []
    assert (found.standing.peer_rank, found.standing.peer_size) == (1, 1)


def test_only_the_top_five_each_way(demo: Any) -> None:
    # given: twelve gauges, AR-ED above its peer on the first six and below on the last six
    mine = {f"1.1.{i}": ((10, 10, 10) if i <= 6 else (0, 10, 5)) for i in range(1, 13)}
    theirs = {f"1.1.{i}": (5, 10, 5) for i in range(1, 13)}
    cycle = published_cycle({"AR-ED": mine, "AR-WEL": theirs})
    # when
    found = card(participation(cycle, "AR-ED"), chart=None)
    # then: equal gaps are ordered by code
    assert [g.code for g in found.strengths] == ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5"]
    assert [g.code for g in found.weaknesses] == ["1.1.10", "1.1.11", "1.1.12", "1.1.7", "1.1.8"]


def test_last_year_stands_beside_this_year(demo: Any) -> None:
    # given: 1402 released with AR-ED at 20 of 30 on axis 1
    before = published_cycle({"AR-ED": {"1.1.1": (10, 10, 10), "1.1.2": (10, 20, 10)}}, year=1402)
    cycle = published_cycle(SAMPLE)
    last = participation(before, "AR-ED").result
    # when
    found = card(participation(cycle, "AR-ED"), chart=None)
    page = client_for("agency").get(url(cycle)).content.decode()
    # then
    assert found.previous == last
    axis = next(a for a in found.axes if a.code == "1")
    assert (axis.previous_score, axis.previous_max) == (20, 30)
    assert fa(last.final) in page


def test_deficiencies_and_decided_objections_show_on_their_gauge(demo: Any) -> None:
    # given
    cycle = published_cycle(SAMPLE)
    ed = participation(cycle, "AR-ED")
    who = User.objects.get(username="evaluator")
    assignment = Assignment.objects.create(
        participation=ed,
        evaluator=who,
        scope="general",
        origin="internal",
        assigned_by=User.objects.get(username="staff"),
        assigned_at=timezone.now(),
    )
    Review.objects.create(
        assignment=assignment,
        participation=ed,
        part="general",
        gauge_code="1.1.2",
        deficiencies="صورت‌جلسهٔ کمیته پیوست نشده است",
    )
    for state, reasons in (("accepted", "مستند جدید پذیرفته شد"), ("rejected", "مستند کافی نیست")):
        Objection.objects.create(
            participation=ed,
            part="general",
            gauge_code="1.1.2",
            reasoning="—",
            filed_at=timezone.now(),
            old_score=2,
            new_score=5 if state == "accepted" else None,
            state=state,
            reasons=reasons,
            decided_at=timezone.now(),
        )
    Objection.objects.create(
        participation=ed,
        part="general",
        gauge_code="1.1.1",
        reasoning="—",
        filed_at=timezone.now(),
        old_score=9,
        reasons="هنوز بررسی نشده",
    )
    # when
    page = client_for("agency").get(url(cycle)).content.decode()
    # then
    row = page.split('data-testid="notes-1.1.2"')[1].split("</tr>")[0]
    assert "صورت‌جلسهٔ کمیته پیوست نشده است" in row
    assert "مستند جدید پذیرفته شد" in row and "مستند کافی نیست" in row
    assert "هنوز بررسی نشده" not in page


def queries(cycle: Any) -> int:
    client = client_for("agency")
    with CaptureQueriesContext(connection) as context:
        assert client.get(url(cycle)).status_code == 200
    return len(context.captured_queries)


def test_the_card_costs_the_same_queries_for_any_catalogue_or_province(demo: Any) -> None:
    # given: two gauges and two agencies, then sixty gauges and seven agencies
    small = published_cycle(
        {"AR-ED": {"1.1.1": (1, 2, 2), "2.1.1": (1, 2, 2)}, "AR-WEL": {"1.1.1": (2, 2, 2)}},
        year=1401,
    )
    many = {
        f"{a}.{i}.{g}": (g % 5, 5, 4) for a in range(1, 5) for i in range(1, 4) for g in range(1, 6)
    }
    codes = ["AR-ED", "AR-WEL", "AR-CU", "AR-SP", "AR-CH", "AR-EF", "AR-IN"]
    large = published_cycle({code: many for code in codes}, year=1403)
    # when / then
    assert queries(small) == queries(large)
