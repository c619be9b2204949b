"""The public portal's server time on a published province (target: the ranking under 200 ms).

    .venv/bin/python bench/portal.py [agencies=100] [requests=50]

Builds a published cycle of ``agencies`` agencies (``bench/province.py``, 1404) and last
year's (1403) as rows copied from it with other scores, released too, so that the change
column and the comparison across years have data; then times Django's test Client on the
ranking, a search, an agency's page and the API twins: ``cold`` clears the cache before
every request (the page built from the database), ``cached`` does not (the page served from
Django's cache). Prints the median and 95th percentile in milliseconds and the queries of one
cold and one cached request.
Figures go in docs/portal.md.
"""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from province import published_province, setup


def timed(get: Callable[[], object], before: Callable[[], None], n: int) -> list[float]:
    took = []
    for _ in range(n):
        before()
        began = time.perf_counter()
        get()
        took.append((time.perf_counter() - began) * 1000)
    return took


def counted(get: Callable[[], object], connection: Any) -> int:
    """Queries one request makes (a wrapper: the query log is reset when a request starts)."""
    seen = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        seen.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        get()
    return len(seen)


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(len(values) * 0.95) - 1)]


def last_year(cycle: object) -> None:
    """1403 for the same agencies: each result of 1404 with its scores scaled down a little
    (evaluating a second province would take minutes and add nothing to the page's cost)."""
    import random
    from decimal import Decimal

    from django.utils import timezone

    from karnameh.accounts.models import User
    from karnameh.cycles.tests.builders import open_cycle
    from karnameh.results.models import Release, Result

    rng = random.Random(3)  # noqa: S311 (made-up scores, not secrets)
    now = timezone.now()
    results = list(
        Result.objects.filter(participation__cycle=cycle).select_related("participation__agency")
    )
    earlier = open_cycle(year=1403, agencies=[r.participation.agency.code for r in results])
    places = {p.agency_id: p for p in earlier.participations.all()}
    copies = []
    for r in results:
        share = Decimal(str(round(rng.uniform(0.8, 1.1), 2)))
        copies.append(
            Result(
                participation=places[r.participation.agency_id],
                self_total=r.self_total,
                general=r.general * share,
                general_max=r.general_max,
                specific=None if r.specific is None else r.specific * share,
                specific_max=r.specific_max,
                final=min(r.final * share, Decimal(100)),
                fixed_at=now,
                axes=[{**a, "score": round(a["score"] * float(share), 2)} for a in r.axes],
            )
        )
    Result.objects.bulk_create(copies)
    Release.objects.create(
        cycle=earlier, released_by=User.objects.get(username="staff"), released_at=now
    )


def main() -> None:
    agencies = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    began = time.perf_counter()
    cycle = published_province(agencies, year=1404)
    last_year(cycle)
    print(
        f"built two published cycles of {agencies} agencies in {time.perf_counter() - began:.0f} s"
    )
    code = cycle.participations.order_by("agency__code").first().agency.code
    pages = {
        "ranking": f"/public/{cycle.pk}/",
        "search": f"/public/{cycle.pk}/?q=%D8%B4%D9%85%D8%A7%D8%B1%D9%87%D9%94%20%DB%B4%DB%B2",
        "agency": f"/public/{cycle.pk}/{code}/",
        "index": "/public/",
        "api ranking": f"/api/v1/public/{cycle.pk}",
        "api agency": f"/api/v1/public/{cycle.pk}/{code}",
    }
    client = Client()
    print(
        f"{'page':<12} {'cold median':>11} {'cold p95':>9} {'cached median':>14} "
        f"{'cached p95':>11} {'queries cold/cached':>20}"
    )
    for name, path in pages.items():

        def get(path: str = path) -> object:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        cache.clear()
        cold_queries = counted(get, connection)
        warm_queries = counted(get, connection)
        get()  # warm the code paths
        cold = timed(get, cache.clear, requests)
        cache.clear()
        get()
        warm = timed(get, lambda: None, requests)
        print(
            f"{name:<12} {statistics.median(cold):>9.1f}ms {p95(cold):>7.1f}ms "
            f"{statistics.median(warm):>12.1f}ms {p95(warm):>9.1f}ms "
            f"{cold_queries:>12}/{warm_queries}"
        )


if __name__ == "__main__":
    main()
