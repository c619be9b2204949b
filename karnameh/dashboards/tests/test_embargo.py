"""No score on a dashboard before the release, even once the deputy has fixed the results;
the agency's results, rank and axes on its dashboard after it."""

import json
import re
from decimal import Decimal
from typing import Any

import pytest

from karnameh.accounts.tests.clients import signed_in as client
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import participation
from karnameh.results.models import Result
from karnameh.results.ranking import standings

from .builders import approved, released, running

READERS = ("agency", "office", "hq", "staff", "deputy", "council", "admin")


def written(value: Any) -> set[str]:
    """A score as a page (Persian digits) or the API (ASCII) writes it."""
    text = format(Decimal(str(value)).normalize(), "f")
    return {fa(Decimal(str(value))), f'"{text}"', f": {text}"}


def secrets(result: Result) -> set[str]:
    found = written(result.final) | written(result.general)
    for axis in result.axes:
        if "." in format(Decimal(str(axis["score"])).normalize(), "f"):
            found |= written(axis["score"])
    return found


@pytest.fixture
def cycle(demo: Any) -> Cycle:
    found = running()
    approved(found)
    return found


@pytest.mark.parametrize("name", READERS)
def test_no_score_on_a_dashboard_before_the_release(cycle: Cycle, name: str) -> None:
    # given: the deputy has fixed every result; nothing is published
    result = Result.objects.get(participation=participation(cycle, "AR-ED"))
    assert "." in format(result.final.normalize(), "f")  # not a number too common to test
    c = client(name)
    # when
    answers = [
        c.get(f"/dashboards/{cycle.pk}/agency/AR-ED/"),
        c.get(f"/api/v1/dashboards/{cycle.pk}/agency/AR-ED"),
        c.get(f"/dashboards/{cycle.pk}/"),
        c.get(f"/api/v1/dashboards/{cycle.pk}"),
    ]
    # then
    bodies = [a.content.decode() for a in answers if a.status_code == 200]
    assert len(bodies) >= 2
    assert [s for body in bodies for s in secrets(result) if s in body] == []
    assert answers[1].json()["result"] is None
    assert 'data-testid="embargo"' in bodies[0] and 'data-chart="axes"' not in bodies[0]


def test_after_the_release_the_agency_sees_its_results_rank_and_axes(cycle: Cycle) -> None:
    # given
    released(cycle)
    result = Result.objects.get(participation=participation(cycle, "AR-ED"))
    [mine] = [s for s in standings(cycle) if s.result.pk == result.pk]
    # when
    page = client("agency").get(f"/dashboards/{cycle.pk}/agency/AR-ED/").content.decode()
    api = client("agency").get(f"/api/v1/dashboards/{cycle.pk}/agency/AR-ED").json()
    # then: the page
    assert fa(result.final) in page and fa(result.general) in page
    rank = re.search(r'data-testid="rank">([^<]*)<', page)
    assert rank and fa(mine.rank) in rank.group(1) and fa(4) in rank.group(1)
    peer = re.search(r'data-testid="peer-rank">([^<]*)<', page)
    assert peer and fa(mine.peer_rank) in peer.group(1) and fa(mine.peer_size) in peer.group(1)
    assert 'data-chart="axes"' in page and "/static/dashboards/charts.js" in page
    for axis in result.axes:
        assert f'data-axis="{axis["part"]}-{axis["code"]}"' in page
    # the chart's data: each axis's final score beside its self-score
    charts = re.search(
        r'<script id="dashboard-charts" type="application/json">(.*?)</script>', page
    )
    assert charts
    axes = json.loads(charts.group(1))["axes"]
    assert axes["labels"] == [a["title"] for a in result.axes]
    assert axes["datasets"][0]["data"] == [a["score"] for a in result.axes]
    assert axes["datasets"][1]["data"] == [a["self"] for a in result.axes]
    # the API
    assert api["released"] is True
    got = api["result"]
    assert Decimal(got["final"]) == result.final and Decimal(got["general"]) == result.general
    assert (got["rank"], got["ranked"]) == (mine.rank, 4)
    assert (got["peer_rank"], got["peer_size"]) == (mine.peer_rank, mine.peer_size)
    assert [a["code"] for a in got["axes"]] == [a["code"] for a in result.axes]


def test_after_the_release_the_hq_sees_the_results_too(cycle: Cycle) -> None:
    # given
    released(cycle)
    result = Result.objects.get(participation=participation(cycle, "AR-ED"))
    # when
    page = client("hq").get(f"/dashboards/{cycle.pk}/agency/AR-ED/").content.decode()
    # then
    assert fa(result.final) in page
