"""The workspace costs the same queries whatever the size of the catalogue."""

import time_machine
from django.test import Client

from karnameh.assessments.services import answer_save
from karnameh.catalogue.tests.builders import complaints_data, make
from karnameh.cycles.tests.builders import open_cycle, participation, step_day


def _queries(cycle, demo_user, django_assert_max_num_queries) -> int:
    p = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        answer_save(
            actor=demo_user("agency"),
            participation=p,
            part="general",
            gauge_code="6.4.1",
            data={"fields": {"received": 200, "handled": 119}},
            version=0,
        )
        client = Client()
        client.force_login(demo_user("agency"))
        url = f"/assessments/{cycle.pk}/AR-ED/"
        client.get(url)  # the compiled catalogue is cached after the first read
        with django_assert_max_num_queries(30) as counted:
            assert client.get(url).status_code == 200
    return len(counted.captured_queries)


def _asking_last_year() -> dict:
    """The two-gauge catalogue, one field pre-filled from last year's answer (the loader wants
    another field of the same gauge: any will do here)."""
    data = complaints_data()
    data["axes"][0]["indicators"][0]["gauges"][0]["fields"][0]["previous"] = "handled"
    return data


def test_two_gauges_or_a_hundred_cost_the_same_queries(
    demo, demo_user, django_assert_max_num_queries
):
    # given: a cycle on a two-gauge catalogue, and one on the full 1397 catalogue (100 gauges),
    # both with fields pre-filled from last year, neither with a cycle the year before (that
    # would add one read, for last year's figures)
    small = open_cycle(year=1400, catalogue=make(_asking_last_year(), frozen=True))
    full = open_cycle(year=1403)
    # when
    few = _queries(small, demo_user, django_assert_max_num_queries)
    many = _queries(full, demo_user, django_assert_max_num_queries)
    # then
    assert few == many


def test_a_catalogue_asking_nothing_of_last_year_does_not_look_for_it(
    demo, demo_user, django_assert_max_num_queries
):
    # given: the same two-gauge catalogue with and without a field pre-filled from last year
    asking = open_cycle(year=1400, catalogue=make(_asking_last_year(), frozen=True))
    plain = open_cycle(year=1401, catalogue=make(complaints_data("plain-1401"), frozen=True))
    # when
    with_last_year = _queries(asking, demo_user, django_assert_max_num_queries)
    without = _queries(plain, demo_user, django_assert_max_num_queries)
    # then: one read fewer, the search for last year's participation
    assert without == with_last_year - 1
