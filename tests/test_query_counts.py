"""Each page costs a fixed number of queries, whatever the amount of data behind it."""

import pytest
from django.test import Client

from karnameh.agencies.models import Agency
from karnameh.agencies.services import agency_update


def _change_many(actor, times: int) -> None:
    for number in range(times):
        agency = Agency.objects.get(code="AR-ED")
        agency_update(agency=agency, actor=actor, data={"is_active": number % 2 == 0})


def _queries(client: Client, path: str, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(20) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", ["/", "/agencies/AR-ED/", "/audit/"])
def test_pages_cost_the_same_with_few_or_many_events(
    demo, demo_user, path, django_assert_max_num_queries
):
    # given
    client = Client()
    client.force_login(demo_user("staff"))
    _change_many(demo_user("staff"), 2)
    few = _queries(client, path, django_assert_max_num_queries)
    # when
    _change_many(demo_user("staff"), 30)
    many = _queries(client, path, django_assert_max_num_queries)
    # then
    assert many == few
