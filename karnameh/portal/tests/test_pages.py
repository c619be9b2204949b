"""The public portal's pages: nothing before the release, then the ranking, search, an agency's
page and its years, for anyone, without a cookie, at a fixed cost in queries."""

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from karnameh.accounts.tests.clients import signed_in
from karnameh.agencies.models import Agency
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.models import Cycle
from karnameh.portal.selectors import search_key
from tests.test_persian_digits import ascii_digits_shown

from .builders import release, released

# AR-ED and AR-EF tie on every key (final, general %, specific %): they share rank 1.
# AR-TAX has the same final score but a lower general percentage: rank 3, not tied.
SCORES: dict[str, tuple[float, float, float | None]] = {
    "AR-ED": (82.5, 510, 320),
    "AR-EF": (82.5, 510, 320),
    "AR-TAX": (82.5, 480, 350),
    "AR-WEL": (61.25, 400, 180),
}
LAST_YEAR: dict[str, tuple[float, float, float | None]] = {
    "AR-ED": (74.75, 450, 280),
    "AR-EF": (90.5, 560, 360),
}


def ranks(body: str, table: str) -> dict[str, int]:
    """agency code -> the rank written in that table's row."""
    return {
        code: int(rank)
        for code, rank in re.findall(
            rf'data-testid="{table}-([A-Z-]+)">\s*<td data-rank="(\d+)"', body
        )
    }


def paths(cycle: Cycle) -> list[str]:
    return [
        f"/public/{cycle.pk}/",
        f"/public/{cycle.pk}/?q=%D8%A8%D9%87%D8%B2%DB%8C%D8%B3%D8%AA%DB%8C",
        f"/public/{cycle.pk}/AR-ED/",
        f"/api/v1/public/{cycle.pk}",
        f"/api/v1/public/{cycle.pk}?q=ED",
        f"/api/v1/public/{cycle.pk}/AR-ED",
    ]


def test_nothing_of_a_cycle_exists_in_the_portal_before_its_release(demo: Any) -> None:
    # given: every result fixed (the deputy approved) but nothing released
    cycle = released(1403, SCORES, published=False)
    for username in (None, "staff", "deputy", "admin"):
        client = signed_in(username) if username else Client()
        # when / then: every page and API answer is 404, even for the organization
        for path in paths(cycle):
            response = client.get(path)
            body = response.content.decode()
            assert response.status_code == 404, (username, path)
            assert fa(Decimal("82.5")) not in body and "82.5" not in body
        # and the index does not name the cycle
        assert cycle.title not in client.get("/public/").content.decode()
        assert client.get("/api/v1/public/cycles").json() == []


def test_a_cycle_that_is_released_later_appears_at_once_despite_the_cache(demo: Any) -> None:
    # given: the portal cached while the cycle is embargoed
    cycle = released(1403, SCORES, published=False)
    client = Client()
    assert client.get(f"/public/{cycle.pk}/").status_code == 404
    assert "portal-cycle-" not in client.get("/public/").content.decode()
    # when
    release(cycle)
    # then
    assert client.get(f"/public/{cycle.pk}/").status_code == 200
    assert f"portal-cycle-{cycle.pk}" in client.get("/public/").content.decode()


def test_the_index_lists_every_released_cycle_newest_first(demo: Any) -> None:
    # given
    older = released(1402, LAST_YEAR)
    newer = released(1403, SCORES)
    hidden = released(1404, SCORES, published=False)
    # when
    body = Client().get("/public/").content.decode()
    # then
    listed = [int(pk) for pk in re.findall(r'data-testid="portal-cycle-(\d+)"', body)]
    assert listed == [newer.pk, older.pk]
    assert hidden.title not in body
    assert f'href="/public/{newer.pk}/"' in body
    assert fa("1403") in body


def test_the_ranking_shares_a_rank_between_true_ties_overall_and_per_type(demo: Any) -> None:
    # given
    cycle = released(1403, SCORES)
    # when
    response = Client().get(f"/public/{cycle.pk}/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert ranks(body, "portal-overall") == {"AR-ED": 1, "AR-EF": 1, "AR-TAX": 3, "AR-WEL": 4}
    # economic: AR-EF then AR-TAX; social: AR-ED then AR-WEL
    assert ranks(body, "portal-group") == {"AR-EF": 1, "AR-TAX": 2, "AR-ED": 1, "AR-WEL": 2}
    overall = body.split('data-testid="portal-overall"')[1].split("</table>")[0]
    assert overall.count('class="badge') == 2  # the shared rank is marked on both rows
    assert fa(Decimal("82.5")) in body and fa(Decimal("61.25")) in body and fa("510") in body
    # every agency links to its own page
    assert f'href="/public/{cycle.pk}/AR-WEL/"' in body


def test_the_change_against_last_year_is_marked_up_or_down_in_words_too(demo: Any) -> None:
    # given
    released(1402, LAST_YEAR)
    cycle = released(1403, SCORES)
    # when
    body = Client().get(f"/public/{cycle.pk}/").content.decode()
    # then: AR-ED gained 7.75, AR-EF lost 8, AR-TAX has no score last year
    row = body.split('data-testid="portal-overall-AR-ED"')[1].split("</tr>")[0]
    assert 'data-trend="up"' in row and fa(Decimal("7.75")) in row and "visually-hidden" in row
    row = body.split('data-testid="portal-overall-AR-EF"')[1].split("</tr>")[0]
    assert 'data-trend="down"' in row and fa("8") in row
    row = body.split('data-testid="portal-overall-AR-TAX"')[1].split("</tr>")[0]
    assert 'data-trend="none"' in row


@pytest.mark.parametrize(
    "typed",
    [
        "بهزيستي",  # Arabic yeh
        "ادارة كل بهزيستى",  # Arabic teh marbuta, kaf, alef maksura
        "اداره‌کل بهزیستی",  # a half-space, no hamza
        "  ادارهٔ   کل  بهزیستی ",  # extra spaces
        "بِهزیستی",  # a diacritic
    ],
)
def test_search_finds_the_persian_name_however_it_is_typed(demo: Any, typed: str) -> None:
    # given
    cycle = released(1403, SCORES)
    # when
    response = Client().get(f"/public/{cycle.pk}/", {"q": typed})
    # then: only the welfare office, with its rank in the full list
    body = response.content.decode()
    assert ranks(body, "portal-overall") == {"AR-WEL": 4}
    assert Agency.objects.get(code="AR-WEL").name in body
    assert 'for="portal-q"' in body  # the search field has a label


def test_a_search_without_a_match_says_so(demo: Any) -> None:
    cycle = released(1403, SCORES)
    body = Client().get(f"/public/{cycle.pk}/", {"q": "شهرداری"}).content.decode()
    assert 'data-testid="portal-no-match"' in body
    assert ranks(body, "portal-overall") == {}


def test_search_keys_ignore_letter_forms_digits_and_spacing() -> None:
    assert search_key("منطقهٔ ٢ كرج") == search_key("منطقه 2 کرج") == search_key("منطقه۲کرج")
    assert search_key("ي") != search_key("ب")


def test_the_agency_page_gives_ranks_axes_and_last_years_score(demo: Any) -> None:
    # given
    last = released(1402, LAST_YEAR)
    cycle = released(1403, SCORES)
    # when
    response = Client().get(f"/public/{cycle.pk}/AR-ED/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    rank = re.search(r'data-testid="portal-rank">(.*?)</dd>', body, re.S)
    peer = re.search(r'data-testid="portal-peer-rank">(.*?)</dd>', body, re.S)
    assert rank and peer
    # 1 of 4, shared with AR-EF; 1 of 2 within the social type, not shared
    assert "۱" in rank.group(1) and "۴" in rank.group(1) and "badge" in rank.group(1)
    assert "۱" in peer.group(1) and "۲" in peer.group(1) and "badge" not in peer.group(1)
    assert re.search(r'data-testid="portal-final">۸۲٫۵</dd>', body)
    # axes: 60% and 40% of 510 general points, with the peer group's average percentage
    axes = body.split('data-testid="portal-axes"')[1].split("</table>")[0]
    assert fa("306") in axes and fa("204") in axes and 'scope="row"' in axes
    assert 'id="axes-data" type="application/json"' in body
    # years: last year's final score, linking to last year's page
    years = body.split('data-testid="portal-years"')[1].split("</table>")[0]
    assert fa(Decimal("74.75")) in years and f"/public/{last.pk}/AR-ED/" in years
    assert 'id="years-data"' in body
    # and back to the ranking
    assert f'href="/public/{cycle.pk}/#overall"' in body
    # no inline script: the chart data is JSON, the drawing code a static file
    assert re.findall(r"<script>(?!\s*$)", body) == []
    assert "/static/portal/charts.js" in body


def test_an_unreleased_year_lends_nothing_to_the_comparison(demo: Any) -> None:
    # given: 1402 released, 1403 fixed but embargoed with a telling score
    last = released(1402, LAST_YEAR)
    released(1403, {"AR-ED": (55.55, 333.3, 222.2), "AR-EF": (40, 300, None)}, published=False)
    # when
    body = Client().get(f"/public/{last.pk}/AR-ED/").content.decode()
    api = Client().get(f"/api/v1/public/{last.pk}/AR-ED").json()
    # then
    assert (
        fa(Decimal("55.55")) not in body
        and fa(Decimal("333.3")) not in body
        and fa("1403") not in body
    )
    assert [y["year"] for y in api["years"]] == [1402]


def test_a_later_release_joins_the_comparison_of_an_earlier_year(demo: Any) -> None:
    # given: last year's page cached
    last = released(1402, LAST_YEAR)
    Client().get(f"/public/{last.pk}/AR-ED/")
    # when
    released(1403, SCORES)
    # then
    years = Client().get(f"/public/{last.pk}/AR-ED/").content.decode()
    assert 'data-testid="portal-year-1403"' in years and fa(Decimal("82.5")) in years


def test_an_agency_outside_the_cycle_has_no_page(demo: Any) -> None:
    cycle = released(1403, SCORES)
    assert Client().get(f"/public/{cycle.pk}/AR-HE/").status_code == 404
    assert Client().get(f"/api/v1/public/{cycle.pk}/AR-HE").status_code == 404


def test_a_signed_in_person_sees_the_same_public_page(demo: Any) -> None:
    cycle = released(1403, SCORES)
    anonymous = Client().get(f"/public/{cycle.pk}/").content
    assert signed_in("staff").get(f"/public/{cycle.pk}/").content == anonymous


def test_an_anonymous_visitor_is_sent_no_cookie_and_the_page_may_be_cached(demo: Any) -> None:
    cycle = released(1403, SCORES)
    for path in ("/public/", f"/public/{cycle.pk}/", f"/public/{cycle.pk}/AR-ED/"):
        response = Client().get(path)
        assert response.status_code == 200
        assert response.cookies == {}, path
        assert "Cookie" not in response.get("Vary", "")
        assert "public" in response["Cache-Control"]


def _count(path: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert Client().get(path).status_code == 200
    return len(cold.captured_queries)


def _cached(path: str) -> int:
    with CaptureQueriesContext(connection) as warm:
        assert Client().get(path).status_code == 200
    return len(warm.captured_queries)


def test_every_page_costs_the_same_queries_for_two_or_six_agencies(demo: Any) -> None:
    # given: 2 agencies in 1402, 6 in 1403, each cycle with a released year before it
    released(1401, LAST_YEAR)
    small = released(1402, LAST_YEAR)
    big = released(
        1403,
        {
            **SCORES,
            "AR-RD": (50, 300, None),
            "AR-HE": (45, 280, 100),
        },
    )
    for suffix in ("", "?q=اداره", "AR-ED/"):
        # when
        few = _count(f"/public/{small.pk}/{suffix}")
        many = _count(f"/public/{big.pk}/{suffix}")
        # then: the same, and a cached page costs two (the generation and the cycle)
        assert few == many, suffix
        assert many <= 10
        assert _cached(f"/public/{big.pk}/{suffix}") == 2
    for path in ("{}", "{}/AR-ED"):
        assert _count("/api/v1/public/" + path.format(small.pk)) == _count(
            "/api/v1/public/" + path.format(big.pk)
        )
    # the index: one query for the generation, one for every released cycle at once
    assert _count("/public/") == 2 and _count("/api/v1/public/cycles") == 1


def test_every_portal_page_shows_only_persian_digits(demo: Any) -> None:
    # given
    released(1402, LAST_YEAR)
    cycle = released(1403, SCORES)
    for path in ("/public/", f"/public/{cycle.pk}/", f"/public/{cycle.pk}/AR-ED/"):
        # when
        body = Client().get(path).content.decode()
        # then: the agency codes are Latin by design, and no digit is ASCII
        assert ascii_digits_shown(body) == [], path
