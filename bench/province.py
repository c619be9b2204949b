"""A published province for the results benchmarks: ``published_province(n=100)``.

Needs Django set up, migrated and the demo loaded (``setup()`` does all three on a fresh
SQLite database, or on ``DATABASE_URL``). Builds ``n`` provincial units in Ardabil spread over
the demo's agency types, a cycle on the full 1397 catalogue whose calendar ended months ago,
every gauge scored by an evaluator with the initial approval (``results.tests.builders``),
then the deputy's final approval, the council's approval and publication through the real
services, so every ``Result`` carries its axes and gauges as production writes them.
"""

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def setup() -> str:
    """A fresh database with the demo; returns the working directory."""
    workdir = tempfile.mkdtemp(prefix="karnameh-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("MEDIA_ROOT", f"{workdir}/media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command

    from karnameh.accounts.management.commands.demo import load_demo

    call_command("migrate", verbosity=0)
    load_demo()
    return workdir


def published_province(n: int = 100, *, year: int = 1404, seed: int = 7) -> Any:
    """A released cycle of ``n`` agencies in Ardabil, each with its fixed ``Result``."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from karnameh.accounts.models import User
    from karnameh.agencies.models import Agency, AgencyKind, AgencyType, Province
    from karnameh.cycles.tests.builders import open_cycle
    from karnameh.results.services import council_approve, final_approve, publish
    from karnameh.results.tests.builders import evaluate

    ardabil = Province.objects.get(code="ardabil")
    types = list(AgencyType.objects.order_by("pk"))
    parents = list(Agency.objects.filter(kind=AgencyKind.HEADQUARTERS).order_by("code"))
    codes = []
    for i in range(n):
        code = f"AR-B{i + 1:03d}"
        Agency.objects.get_or_create(
            code=code,
            defaults={
                "name": f"اداره‌کل آزمایشی شمارهٔ {i + 1} استان اردبیل",
                "kind": AgencyKind.PROVINCIAL_UNIT,
                "parent": parents[i % len(parents)],
                "province": ardabil,
                "agency_type": types[i % len(types)],
            },
        )
        codes.append(code)
    # The whole calendar lies in the past: the objection window closed long ago.
    start = timezone.localdate() - dt.timedelta(days=365)
    cycle = open_cycle(year=year, agencies=codes, start=start)
    evaluate(cycle, seed=seed)
    users = {
        u.username: u for u in User.objects.filter(username__in=["deputy", "council", "staff"])
    }
    final_approve(actor=users["deputy"], cycle=cycle)
    minutes = SimpleUploadedFile("صورت‌جلسه.pdf", PDF, content_type="application/pdf")
    council_approve(actor=users["council"], cycle=cycle, minutes=minutes)
    publish(actor=users["staff"], cycle=cycle)
    return cycle


if __name__ == "__main__":
    import time

    setup()
    began = time.perf_counter()
    built = published_province(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
    print(
        f"{built}: {built.participations.count()} agencies in {time.perf_counter() - began:.1f} s"
    )
