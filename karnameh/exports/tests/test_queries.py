"""Every export costs the same number of queries for a cycle of 2 agencies as for one of 8."""

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from karnameh.cycles.models import Cycle
from karnameh.exports.national import build_package, checksum
from karnameh.exports.services import package_import

from .builders import (
    AGENCIES,
    approved_cycle,
    client_of,
    more_agencies,
    national_cycle,
    release,
    user,
)

EXPORTS = (
    "",
    "ranking.xlsx",
    "bonus.xlsx",
    "bonus.csv",
    "festival.xlsx",
    "objections.xlsx",
    "inquiries.xlsx",
    "queues.xlsx",
    "package.json",
    "package.xlsx",
)


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured.captured_queries)


@pytest.fixture
def small_and_large(demo: Any) -> tuple[Cycle, Cycle]:
    # Years apart, so neither has a "last year" the other lacks.
    small = release(approved_cycle(year=1401, agencies=AGENCIES[:2]))
    large = release(approved_cycle(year=1403, agencies=(*AGENCIES, *more_agencies(4))))
    return small, large


def test_each_export_costs_the_same_whatever_the_number_of_agencies(
    small_and_large: tuple[Cycle, Cycle],
) -> None:
    small, large = small_and_large
    client = client_of(user("staff"))
    for name in EXPORTS:
        few = queries(client, f"/exports/{small.pk}/{name}")
        many = queries(client, f"/exports/{large.pk}/{name}")
        assert few == many, (name, few, many)
        assert many <= 20, (name, many)


def test_the_national_aggregate_costs_the_same_for_one_province_or_two(
    small_and_large: tuple[Cycle, Cycle],
) -> None:
    _small, large = small_and_large
    national = national_cycle(year=1403)
    client = client_of(user("national"))
    package = build_package(large)
    package_import(actor=user("national"), cycle=national, upload=json.dumps(package).encode())
    one = queries(client, f"/exports/national/{national.pk}/")
    other = json.loads(json.dumps(package))
    other["province"] = {"code": "ilam", "name": "ایلام"}
    other["checksum"]["value"] = checksum(other)
    package_import(actor=user("national"), cycle=national, upload=json.dumps(other).encode())
    two = queries(client, f"/exports/national/{national.pk}/")
    assert one == two <= 12
    page = client.get(f"/exports/national/{national.pk}/").content.decode()
    assert 'data-testid="province-ilam"' in page and 'data-testid="province-ardabil"' in page
