"""Exports of a published province of 100 agencies: how long each takes (docs/exports.md).

    .venv/bin/python bench/exports.py [agencies]

Builds the province with ``bench/province.py`` on a fresh SQLite database, then times, as the
organization's staff through the real URLs: the ranking workbook (issue 6's target: under
5 s for 100 agencies), the bonus CSV, the festival list, the national package as JSON and as
a workbook, and, on a national cycle, the package's import and the aggregate page.
"""

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from province import published_province, setup

RUNS = 5


def timed(label: str, run: Callable[[], Any], runs: int = RUNS) -> Any:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - began)
    print(
        f"{label:<42} median {statistics.median(times) * 1000:8.0f} ms"
        f"   max {max(times) * 1000:8.0f} ms"
    )
    return result


def main(n: int) -> None:
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from karnameh.accounts.models import User
    from karnameh.catalogue.models import Catalogue
    from karnameh.cycles.models import Cycle
    from karnameh.exports.services import package_import

    began = time.perf_counter()
    cycle = published_province(n)
    print(f"{cycle}: {n} agencies published in {time.perf_counter() - began:.1f} s")
    staff = Client()
    staff.force_login(User.objects.get(username="staff"))

    def get(path: str) -> bytes:
        response = staff.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.content

    for name in ("ranking.xlsx", "bonus.csv", "bonus.xlsx", "festival.xlsx", "package.xlsx"):
        content = timed(
            f"GET /exports/<cycle>/{name}", lambda n=name: get(f"/exports/{cycle.pk}/{n}")
        )
        print(f"{'':<42} {len(content) / 1024:8.0f} KB")
    package = timed(
        "GET /exports/<cycle>/package.json", lambda: get(f"/exports/{cycle.pk}/package.json")
    )
    print(f"{'':<42} {len(package) / 1024:8.0f} KB")
    with CaptureQueriesContext(connection) as captured:
        get(f"/exports/{cycle.pk}/ranking.xlsx")
    print(f"queries of the ranking workbook: {len(captured.captured_queries)}")

    national = Cycle.objects.create(
        year=cycle.year,
        level="national",
        title=f"ملی {cycle.year}",
        general_catalogue=Catalogue.objects.get(code="provincial-1397-general"),
        status="published",
        published_at=timezone.now(),
    )
    nation = User.objects.get(username="national")
    timed(
        "package_import (replace)",
        lambda: package_import(actor=nation, cycle=national, upload=package, replace=True),
    )
    viewer = Client()
    viewer.force_login(nation)
    page = timed(
        "GET /exports/national/<cycle>/",
        lambda: viewer.get(f"/exports/national/{national.pk}/").content,
    )
    assert json.loads(package)["agencies"] and len(page) > 0


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
