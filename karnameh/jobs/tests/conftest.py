"""A cycle with scores to recompute, and two kinds of job the tests alone register."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from karnameh.accounts.models import User
from karnameh.common.errors import DomainError
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import open_cycle
from karnameh.jobs.models import Job
from karnameh.jobs.registry import Output, Progress, job_kind
from karnameh.results.tests.builders import evaluate

COUNT = 1000
# What the job's row said half-way through the count (the page would have shown the same).
SEEN_AT_HALF: list[int] = []


@job_kind("tests.count", label="Counting", action="results.view")
def count(job: Job, progress: Progress) -> Output:
    """Reports a thousand steps; at the half it notes what the job's row says, for the test."""
    total = int(job.params.get("total", COUNT))
    for done in range(1, total + 1):
        progress(done, total)
        if done == total // 2:
            SEEN_AT_HALF.append(Job.objects.get(pk=job.pk).done)
    return "count.txt", f"counted {total}".encode(), "text/plain"


@job_kind("tests.crash", label="Crashing", action="results.view")
def crash(job: Job, progress: Progress) -> Output:
    progress(3, 10)
    if job.params.get("domain"):
        raise DomainError("داده‌های این دوره ناقص است.")
    raise ZeroDivisionError("a bug in a kind")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def cycle(demo: Any) -> Cycle:
    found = open_cycle()
    evaluate(found)
    return found


def person(name: str) -> User:
    return User.objects.get(username=name)


def downloaded(response: Any) -> str:
    """A streamed download's text (UTF-8 with the byte-order mark Excel wants)."""
    return b"".join(response.streaming_content).decode("utf-8-sig")


def client(name: str) -> Client:
    c = Client()
    c.force_login(person(name))
    return c
