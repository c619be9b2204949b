"""The festival's size, the bonus table and nominations: services, pages and API, every refusal."""

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from karnameh.accounts.models import User
from karnameh.accounts.tests.clients import signed_in as client
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.results.awards import bands_set, nomination_add, nomination_remove, policy_set
from karnameh.results.models import BonusBand, Nomination, Policy, Release, Result

D = Decimal
CODES = ("AR-ED", "AR-EF", "AR-TAX", "AR-WEL")


def user(name: str) -> User:
    return User.objects.get(username=name)


@pytest.fixture
def cycle(demo: Any) -> Cycle:
    found = open_cycle(agencies=CODES)
    for code, final in zip(CODES, ("82.5", "64", "91", "47"), strict=True):
        Result.objects.create(
            participation=participation(found, code),
            self_total=D(final),
            general=D(500),
            general_max=D(1000),
            final=D(final),
            fixed_at=timezone.now(),
        )
    return found


def state(cycle: Cycle) -> tuple[Any, ...]:
    return (
        list(BonusBand.objects.filter(cycle=cycle).values_list("lower", "coefficient")),
        list(Policy.objects.filter(cycle=cycle).values_list("festival_size", flat=True)),
        list(Nomination.objects.values_list("full_name", flat=True)),
        AuditEvent.objects.count(),
    )


def test_staff_set_the_bonus_table_and_each_agency_gets_its_bands_coefficient(
    cycle: Cycle,
) -> None:
    # when: rows in any order, Persian digits and a Persian decimal separator
    bands_set(
        actor=user("staff"),
        cycle=cycle,
        rows=[("۹۰", "۱٫۵"), ("50", "0.5"), ("70", "1"), ("", "")],
    )
    # then
    assert list(BonusBand.objects.filter(cycle=cycle).values_list("lower", "coefficient")) == [
        (D(50), D("0.5")),
        (D(70), D(1)),
        (D(90), D("1.5")),
    ]
    page = client("staff").get(f"/results/{cycle.pk}/ranking/").content.decode()
    assert fa(D("1.500")) in page  # AR-TAX, 91
    event = AuditEvent.objects.filter(action="results.bonus").get()
    assert event.changes["bands"][1] == [["50", "0.5"], ["70", "1"], ["90", "1.5"]]


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([("50", "1"), ("abc", "1")], ["۲", "abc"]),
        ([("50", "1"), ("120", "1")], ["۲", "۱۲۰"]),
        ([("50", "1"), ("60", "11")], ["۲", "۱۱"]),
        ([("50", "1"), ("50", "2")], ["۱", "۲", "۵۰"]),
    ],
)
def test_a_bad_row_is_named_and_the_old_table_is_kept(
    cycle: Cycle, rows: list[tuple[str, str]], words: list[str]
) -> None:
    # given
    bands_set(actor=user("staff"), cycle=cycle, rows=[("40", "0.4")])
    before = state(cycle)
    # when
    with pytest.raises(DomainError) as refused:
        bands_set(actor=user("staff"), cycle=cycle, rows=rows)
    # then
    assert all(word in refused.value.message for word in words)
    assert state(cycle) == before


@pytest.mark.parametrize("name", ["hq", "agency", "evaluator", "council", "national"])
def test_only_staff_and_the_deputy_change_the_settings(cycle: Cycle, name: str) -> None:
    before = state(cycle)
    with pytest.raises(Forbidden):
        bands_set(actor=user(name), cycle=cycle, rows=[("50", "1")])
    with pytest.raises(Forbidden):
        policy_set(actor=user(name), cycle=cycle, festival_size=2)
    with pytest.raises(Forbidden):
        nomination_add(
            actor=user(name),
            participation=participation(cycle, "AR-ED"),
            kind="manager",
            full_name="مریم احمدی",
        )
    assert state(cycle) == before


def test_after_publication_the_table_and_festival_size_are_fixed_but_nominations_go_on(
    cycle: Cycle,
) -> None:
    # given
    bands_set(actor=user("deputy"), cycle=cycle, rows=[("50", "1")])
    Release.objects.create(cycle=cycle, released_by=user("staff"), released_at=timezone.now())
    before = state(cycle)
    # when / then
    with pytest.raises(DomainError) as refused:
        bands_set(actor=user("staff"), cycle=Cycle.objects.get(pk=cycle.pk), rows=[("60", "2")])
    assert refused.value.code == "released"
    with pytest.raises(DomainError):
        policy_set(actor=user("staff"), cycle=Cycle.objects.get(pk=cycle.pk), festival_size=5)
    assert state(cycle) == before
    nomination_add(
        actor=user("staff"),
        participation=participation(cycle, "AR-TAX"),
        kind="expert",
        full_name="علی رضایی",
        position="کارشناس بودجه",
    )
    assert Nomination.objects.get().participation.agency.code == "AR-TAX"


def test_the_festival_size_is_checked(cycle: Cycle) -> None:
    before = state(cycle)
    for size in (0, 51):
        with pytest.raises(DomainError):
            policy_set(actor=user("staff"), cycle=cycle, festival_size=size)
    assert state(cycle) == before
    policy_set(actor=user("staff"), cycle=cycle, festival_size=2)
    assert Policy.objects.get(cycle=cycle).festival_size == 2


def test_a_nomination_needs_a_name_and_a_kind_and_is_removed_with_an_audit(cycle: Cycle) -> None:
    p = participation(cycle, "AR-ED")
    before = state(cycle)
    with pytest.raises(DomainError):
        nomination_add(actor=user("staff"), participation=p, kind="manager", full_name="  ")
    with pytest.raises(DomainError):
        nomination_add(actor=user("staff"), participation=p, kind="minister", full_name="x")
    assert state(cycle) == before
    found = nomination_add(
        actor=user("staff"), participation=p, kind="manager", full_name="مریم احمدی"
    )
    nomination_remove(actor=user("staff"), nomination=found)
    assert not Nomination.objects.exists()
    assert AuditEvent.objects.filter(action="results.unnominate").count() == 1


def test_the_pages_set_everything_and_show_the_festival_list(cycle: Cycle) -> None:
    staff = client("staff")
    base = f"/results/{cycle.pk}/awards/"
    # when
    staff.post(base + "festival/", {"festival_size": "1"})
    staff.post(base + "bonus/", {"lower": ["60", "80", ""], "coefficient": ["1", "1.25", ""]})
    staff.post(
        base + "nominate/",
        {
            "participation": participation(cycle, "AR-TAX").pk,
            "kind": "manager",
            "full_name": "مریم احمدی",
            "position": "مدیرکل",
        },
    )
    page = staff.get(base)
    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert Policy.objects.get(cycle=cycle).festival_size == 1
    assert BonusBand.objects.filter(cycle=cycle).count() == 2
    assert "مریم احمدی" in html
    festival = {code for code in CODES if f"festival-{code}" in html}
    # one per peer group: the best-scored agency of each agency type
    best: dict[int, Result] = {}
    for r in Result.objects.filter(participation__cycle=cycle).select_related(
        "participation__agency"
    ):
        kind = r.participation.agency.agency_type_id
        if kind not in best or r.final > best[kind].final:
            best[kind] = r
    assert festival == {r.participation.agency.code for r in best.values()}


def test_a_bad_row_on_the_page_shows_its_message_and_keeps_the_table(cycle: Cycle) -> None:
    staff = client("staff")
    staff.post(f"/results/{cycle.pk}/awards/bonus/", {"lower": ["50"], "coefficient": ["1"]})
    before = state(cycle)
    page = staff.post(
        f"/results/{cycle.pk}/awards/bonus/",
        {"lower": ["50", "x"], "coefficient": ["1", "2"]},
        follow=True,
    )
    assert "«x»" in page.content.decode()
    assert state(cycle) == before


@pytest.mark.parametrize("name", ["hq", "agency", "evaluator", "national", "assessor"])
def test_outside_the_organization_the_ranking_and_awards_are_refused(
    cycle: Cycle, name: str
) -> None:
    c = client(name)
    for url in (f"/results/{cycle.pk}/ranking/", f"/results/{cycle.pk}/awards/"):
        page = c.get(url)
        assert page.status_code in (403, 404)
        assert fa(D("82.50")) not in page.content.decode()
    api = c.get(f"/api/v1/results/{cycle.pk}/ranking")
    assert api.status_code in (403, 404) and "82.5" not in api.content.decode()


def test_the_api_sets_the_table_and_nominates(cycle: Cycle) -> None:
    staff = client("staff")
    base = f"/api/v1/results/{cycle.pk}/awards"
    answer = staff.put(
        base + "/bonus",
        json.dumps([{"lower": "50", "coefficient": "1"}, {"lower": "90", "coefficient": "2"}]),
        content_type="application/json",
    )
    assert answer.status_code == 200
    bad = staff.put(
        base + "/bonus",
        json.dumps([{"lower": "150", "coefficient": "1"}]),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "۱۵۰" in bad.json()["detail"]
    assert BonusBand.objects.filter(cycle=cycle).count() == 2
    added = staff.post(
        base + "/nominations",
        json.dumps({"agency": "AR-ED", "kind": "expert", "full_name": "سارا محمدی"}),
        content_type="application/json",
    )
    assert added.json()["nominations"][0]["full_name"] == "سارا محمدی"
    ranking = staff.get(f"/api/v1/results/{cycle.pk}/ranking").json()
    assert [(r["rank"], r["agency"]) for r in ranking][:2] == [(1, "AR-TAX"), (2, "AR-ED")]
    assert Decimal(str(ranking[0]["bonus"])) == 2
    gone = staff.delete(base + f"/nominations/{Nomination.objects.get().pk}")
    assert gone.status_code == 200 and gone.json()["nominations"] == []


def test_the_ranking_page_costs_the_same_for_few_and_many_agencies(demo: Any) -> None:
    counts = []
    open_cycle(year=1398, agencies=CODES[:1])  # both cycles below have a year before them
    for year, codes in ((1399, CODES[:1]), (1400, CODES)):
        found = open_cycle(year=year, agencies=codes)
        for code in codes:
            Result.objects.create(
                participation=participation(found, code),
                self_total=D(1),
                general=D(1),
                general_max=D(10),
                final=D(50),
                fixed_at=timezone.now(),
            )
        staff = client("staff")  # signed in before counting: the page's cost, not the sign-in's
        with CaptureQueriesContext(connection) as seen:
            assert staff.get(f"/results/{found.pk}/ranking/").status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1]
