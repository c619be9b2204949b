"""Benchmark: the agency's self-assessment workspace on the full 1397 catalogue.

Builds a fresh SQLite database (or uses ``DATABASE_URL``) with the demo and its 1403 cycle,
then times the pages an agency user works in, server side through Django's test client:
the workspace (100 gauges by axis with progress, self-scores and evidence), one gauge's
editor, and an autosave. Prints the median and p95 of many requests and the queries per
page; the figures are recorded in docs/performance.md. Run with ``make bench``.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_MS = 300


def _count_queries(connection: Any, request: Any) -> int:
    """Queries one request runs, counted at the cursor: a connection closed and opened again
    between requests (CONN_MAX_AGE, health checks) loses nothing."""
    seen: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        seen.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        request()
    return len(seen)


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="karnameh-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("MEDIA_ROOT", f"{workdir}/media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    # Django's test client calls itself "testserver".
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from karnameh.accounts.management.commands.demo import load_demo
    from karnameh.assessments.demo import load_demo_cycle
    from karnameh.cycles.models import Participation

    call_command("migrate", verbosity=0)
    load_demo()
    load_demo_cycle()
    client = Client()
    client.login(username="agency", password="demo")  # noqa: S106 (the demo's password)
    p = Participation.objects.get(agency__code="AR-ED")
    base = f"/assessments/{p.cycle_id}/AR-ED/"
    pages = {
        "workspace (100 gauges)": base,
        "gauge editor (6.4.1)": f"{base}general/6.4.1/",
    }
    print(f"Karnameh workspace benchmark ({connection.vendor}, {timezone.now():%Y-%m-%d})")
    failed = False
    for label, url in pages.items():
        response = client.get(url)
        if response.status_code != 200:
            print(f"{label}: HTTP {response.status_code} at {url}")
            return 1
        queries = _count_queries(connection, lambda url=url: client.get(url))
        times = []
        for _ in range(60):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        median, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
        ok = p95 < TARGET_MS
        failed |= not ok
        print(
            f"{label}: median {median:.1f} ms, p95 {p95:.1f} ms, "
            f"{queries} queries (target p95 < {TARGET_MS} ms: "
            f"{'met' if ok else 'MISSED'})"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
