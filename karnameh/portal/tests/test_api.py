"""The portal's API twins: the same figures as the pages, no sign-in, 404 before the release."""

from typing import Any

from django.test import Client

from .builders import released
from .test_pages import LAST_YEAR, SCORES


def test_the_cycles_are_listed_newest_first_without_signing_in(demo: Any) -> None:
    # given
    older = released(1402, LAST_YEAR)
    newer = released(1403, SCORES)
    released(1404, SCORES, published=False)
    # when
    response = Client().get("/api/v1/public/cycles")
    # then
    assert response.status_code == 200
    assert [(c["id"], c["year"], c["agencies"]) for c in response.json()] == [
        (newer.pk, 1403, 4),
        (older.pk, 1402, 2),
    ]
    assert response.json()[0]["province"] == "اردبیل"


def test_the_ranking_gives_shared_ranks_peer_groups_and_changes(demo: Any) -> None:
    # given
    released(1402, LAST_YEAR)
    cycle = released(1403, SCORES)
    # when
    answer = Client().get(f"/api/v1/public/{cycle.pk}").json()
    # then
    rows = {r["agency"]: r for r in answer["ranking"]}
    assert [(r["agency"], r["rank"], r["tied"]) for r in answer["ranking"]] == [
        ("AR-ED", 1, True),
        ("AR-EF", 1, True),
        ("AR-TAX", 3, False),
        ("AR-WEL", 4, False),
    ]
    assert float(rows["AR-ED"]["final"]) == 82.5
    assert float(rows["AR-ED"]["change"]) == 7.75 and float(rows["AR-EF"]["change"]) == -8
    assert rows["AR-TAX"]["previous"] is None and rows["AR-TAX"]["peer_rank"] == 2
    assert {g["agency_type"]: g["agencies"] for g in answer["groups"]} == {
        "اقتصادی و زیربنایی": ["AR-EF", "AR-TAX"],
        "اجتماعی و فرهنگی": ["AR-ED", "AR-WEL"],
    }
    assert answer["cycle"]["agencies"] == 4


def test_the_ranking_may_be_searched_with_arabic_letters(demo: Any) -> None:
    cycle = released(1403, SCORES)
    answer = Client().get(f"/api/v1/public/{cycle.pk}", {"q": "ماليات"}).json()
    assert [r["agency"] for r in answer["ranking"]] == ["AR-TAX"]


def test_the_agency_gives_axes_and_every_released_year(demo: Any) -> None:
    # given
    last = released(1402, LAST_YEAR)
    cycle = released(1403, SCORES)
    # when
    answer = Client().get(f"/api/v1/public/{cycle.pk}/AR-ED").json()
    # then
    assert answer["standing"]["rank"] == 1 and answer["standing"]["peer_size"] == 2
    assert [(a["code"], float(a["score"]), float(a["percent"])) for a in answer["axes"]] == [
        ("1", 306.0, 85.0),
        ("2", 204.0, 85.0),
    ]
    # the peer group (AR-ED, AR-WEL): (85 + 400·0.6/360·100) / 2
    assert float(answer["axes"][0]["peer_average"]) == 75.8
    assert [(y["cycle"], y["year"], float(y["final"])) for y in answer["years"]] == [
        (last.pk, 1402, 74.75),
        (cycle.pk, 1403, 82.5),
    ]
