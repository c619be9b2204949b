"""Catalogue pages cost a fixed number of queries, whatever the size of the catalogue."""

import pytest
from django.test import Client

from karnameh.catalogue import store

from .builders import client_for, make, sized_data


def _queries(client: Client, path: str, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(25) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("warm", [False, True], ids=["compiled-now", "compiled-before"])
@pytest.mark.parametrize(
    "page", ["/catalogues/{code}/", "/catalogues/{code}/gauges/1.1.1/?try=1&f_count=3"]
)
def test_a_catalogue_page_costs_the_same_small_or_big(
    demo, page, warm, django_assert_max_num_queries, monkeypatch
):
    # given: 1 gauge against 100 (4 axes × 5 indicators × 5 gauges), both of the staff's province
    make(sized_data("small", axes=1, indicators=1, gauges=1), province="ardabil")
    make(sized_data("big", axes=4, indicators=5, gauges=5), province="ardabil")
    client = client_for("staff")
    client.get(page.format(code="small"))  # Django's own caches (content types) filled
    client.get(page.format(code="big"))
    if not warm:
        # Compiled again from the rows: five queries for any size (store._axes).
        monkeypatch.setattr(store, "_cache", store.OrderedDict())
    # when
    small = _queries(client, page.format(code="small"), django_assert_max_num_queries)
    if not warm:
        monkeypatch.setattr(store, "_cache", store.OrderedDict())
    big = _queries(client, page.format(code="big"), django_assert_max_num_queries)
    # then
    assert big == small


def test_the_list_costs_the_same_with_one_small_or_several_big_catalogues(
    demo, django_assert_max_num_queries
):
    # given
    client = client_for("staff")
    make(sized_data("small", axes=1, indicators=1, gauges=1), province="ardabil")
    few = _queries(client, "/catalogues/", django_assert_max_num_queries)
    # when
    for number in range(3):
        make(sized_data(f"big-{number}", axes=3, indicators=4, gauges=5), province="ardabil")
    many = _queries(client, "/catalogues/", django_assert_max_num_queries)
    # then
    assert many == few
