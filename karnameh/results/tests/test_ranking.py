"""The ranking's order and tie-breaks, the bonus bands' edges and festival places."""

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from karnameh.accounts.models import User
from karnameh.agencies.models import Agency, AgencyType
from karnameh.cycles.models import Cycle, Participation
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.results.models import BonusBand, Policy, Release, Result
from karnameh.results.ranking import coefficient, order, standings

D = Decimal


def result(code: str, final: str, general: str = "0", specific: str | None = None) -> Result:
    """An unsaved result: the order needs no database."""
    agency = Agency(code=code, name=code, agency_type_id=1)
    return Result(
        participation=Participation(agency=agency),
        self_total=D(0),
        general=D(general),
        general_max=D(1000),
        specific=D(specific) if specific is not None else None,
        specific_max=D(100) if specific is not None else None,
        final=D(final),
    )


def ranks(rows: list[Result]) -> list[tuple[int, str]]:
    return [(rank, r.participation.agency.code) for rank, r in order(rows)]


def test_higher_final_score_ranks_first() -> None:
    # given / when / then
    assert ranks([result("B", "60"), result("A", "75.5"), result("C", "80")]) == [
        (1, "C"),
        (2, "A"),
        (3, "B"),
    ]


def test_equal_finals_are_broken_by_the_general_part_as_a_percentage() -> None:
    # given: two agencies with the same final; B did better on the general indicators
    rows = [result("A", "70", general="600"), result("B", "70", general="650")]
    # when / then
    assert ranks(rows) == [(1, "B"), (2, "A")]


def test_then_by_the_specific_part_as_a_percentage() -> None:
    # given: same final and general, A did better on its specific part
    rows = [
        result("B", "70", general="600", specific="50"),
        result("A", "70", general="600", specific="80"),
    ]
    # when / then
    assert ranks(rows) == [(1, "A"), (2, "B")]


def test_agencies_equal_on_every_key_share_a_rank_and_the_next_is_skipped() -> None:
    # given: B and C equal on everything, listed by code; D is fourth, not third
    rows = [
        result("D", "50"),
        result("C", "70", general="600"),
        result("A", "90"),
        result("B", "70", general="600"),
    ]
    # when / then
    assert ranks(rows) == [(1, "A"), (2, "B"), (2, "C"), (4, "D")]


def test_an_agency_without_a_specific_part_counts_zero_on_that_key() -> None:
    rows = [result("A", "70", general="600"), result("B", "70", general="600", specific="1")]
    assert ranks(rows) == [(1, "B"), (2, "A")]


def bands(*rows: tuple[str, str]) -> list[BonusBand]:
    return [BonusBand(lower=D(low), coefficient=D(c)) for low, c in rows]


@pytest.mark.parametrize(
    ("final", "expected"),
    [
        ("0", None),  # below the lowest band: no bonus
        ("49.99", None),
        ("50", "0.5"),  # a band's starting score is inside it
        ("69.99", "0.5"),  # the next band's starting score is not
        ("70", "1"),
        ("89.99", "1"),
        ("90", "1.5"),
        ("100", "1.5"),
    ],
)
def test_bonus_band_edges(final: str, expected: str | None) -> None:
    table = bands(("90", "1.5"), ("50", "0.5"), ("70", "1"))  # any order
    found = coefficient(table, D(final))
    assert found == (D(expected) if expected else None)


def test_no_bonus_table_gives_no_coefficient() -> None:
    assert coefficient([], D("99")) is None


def fix(p: Participation, final: str, general: str = "500") -> Result:
    return Result.objects.create(
        participation=p,
        self_total=D(final),
        general=D(general),
        general_max=D(1000),
        final=D(final),
        fixed_at=timezone.now(),
    )


def release(cycle: Cycle) -> None:
    Release.objects.create(
        cycle=cycle, released_by=User.objects.get(username="staff"), released_at=timezone.now()
    )


@pytest.fixture
def two_years(demo: Any) -> Cycle:
    codes = ("AR-ED", "AR-EF", "AR-TAX", "AR-WEL", "AR-HE")
    last = open_cycle(year=1399, agencies=codes)
    for code, final in zip(codes, ("60", "70", "50", "40", "55"), strict=True):
        fix(participation(last, code), final)
    release(last)
    this = open_cycle(year=1400, agencies=codes)
    for code, final in zip(codes, ("65", "70", "80", "40", "30"), strict=True):
        fix(participation(this, code), final)
    return this


def test_standings_give_peer_ranks_change_since_last_year_and_bonus(two_years: Cycle) -> None:
    # given
    BonusBand.objects.create(cycle=two_years, lower=D(60), coefficient=D("1.2"))
    # when
    rows = {s.agency.code: s for s in standings(two_years)}
    # then
    assert [rows[c].rank for c in ("AR-TAX", "AR-EF", "AR-ED", "AR-WEL", "AR-HE")] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert rows["AR-TAX"].change == D(30)
    assert rows["AR-HE"].change == D(-25)
    assert rows["AR-EF"].change == D(0)
    assert rows["AR-ED"].bonus == D("1.2") and rows["AR-WEL"].bonus is None
    for s in rows.values():
        peers = [o for o in rows.values() if o.agency.agency_type_id == s.agency.agency_type_id]
        assert s.peer_size == len(peers)
        assert s.peer_rank == 1 + sum(o.result.final > s.result.final for o in peers)


def test_last_year_is_not_compared_before_its_results_are_released(demo: Any) -> None:
    # given: last year's results fixed but never published
    last = open_cycle(year=1399, agencies=("AR-ED",))
    fix(participation(last, "AR-ED"), "60")
    this = open_cycle(year=1400, agencies=("AR-ED",))
    fix(participation(this, "AR-ED"), "70")
    # when
    (row,) = standings(this)
    # then
    assert row.previous is None and row.change is None


def test_festival_places_per_peer_group_include_ties_at_the_border(demo: Any) -> None:
    # given: four agencies of one type; the second and third tie on everything
    kind = AgencyType.objects.create(code="same", name="گروه آزمایشی")
    codes = ("AR-ED", "AR-EF", "AR-TAX", "AR-WEL")
    Agency.objects.filter(code__in=codes).update(agency_type=kind)
    cycle = open_cycle(year=1400, agencies=codes)
    for code, final in zip(codes, ("90", "80", "80", "70"), strict=True):
        fix(participation(cycle, code), final)
    Policy.objects.create(
        cycle=cycle,
        festival_size=2,
        updated_at=timezone.now(),
        updated_by=User.objects.get(username="staff"),
    )
    # when
    honoured = sorted(s.agency.code for s in standings(cycle) if s.festival)
    # then: both tied agencies share the second place
    assert honoured == ["AR-ED", "AR-EF", "AR-TAX"]


def test_standings_cost_the_same_queries_for_few_and_many_agencies(
    demo: Any, django_assert_num_queries: Any
) -> None:
    small = open_cycle(year=1399, agencies=("AR-ED",))
    fix(participation(small, "AR-ED"), "50")
    codes = ("AR-ED", "AR-EF", "AR-TAX", "AR-WEL", "AR-HE", "AR-AG")
    large = open_cycle(year=1400, agencies=codes)  # the year after the small one
    for code in codes:
        fix(participation(large, code), "60")
    release(
        small
    )  # the large cycle is compared with it: two more queries: its release and its rows
    for cycle, queries in ((small, 4), (large, 6)):
        fresh = Cycle.objects.get(pk=cycle.pk)
        with django_assert_num_queries(queries):
            rows = standings(fresh)
        assert len(rows) == cycle.participations.count()
