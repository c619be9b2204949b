"""Starting jobs and running them: the service, the runner, progress, failures, permissions."""

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from karnameh.accounts.models import Role, RoleAssignment
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.models import Cycle, Participation
from karnameh.evaluations.final import scorecard
from karnameh.files.models import StoredFile
from karnameh.jobs.models import Job, Status
from karnameh.jobs.runner import run
from karnameh.jobs.services import job_start

from .conftest import SEEN_AT_HALF, person


def rows(job: Job) -> list[list[str]]:
    assert job.output is not None
    with job.output.file.open("rb") as f:
        return list(csv.reader(io.StringIO(f.read().decode("utf-8-sig"))))


def queued(cycle: Cycle, kind: str = "tests.count", **params: Any) -> Job:
    return Job.objects.create(kind=kind, cycle=cycle, params=params, requested_by=person("staff"))


def test_a_started_job_runs_to_done_and_keeps_its_csv(
    cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    # given the organization's staff and a cycle with provisional scores
    staff = person("staff")
    # when they start the recompute (the test backend runs the task once the start commits)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=staff, kind="results.recompute", cycle=cycle, ip="10.0.0.1")
    # then the job ran to the end, with one row per agency and its provisional total
    job.refresh_from_db()
    assert job.status == Status.DONE and job.error == ""
    assert (job.done, job.total) == (4, 4)
    assert job.output_name.endswith(".csv") and job.output_size == job.output.size
    body = rows(job)[1:]
    assert [r[0] for r in body] == ["AR-ED", "AR-EF", "AR-TAX", "AR-WEL"]
    ed = Participation.objects.select_related("cycle", "agency").get(
        cycle=cycle, agency__code="AR-ED"
    )
    assert body[0][2] == format(scorecard(ed).composed.final, "f")
    assert job.task_id
    started = AuditEvent.objects.get(action="job.start")
    assert started.actor == staff and started.target_id == str(job.pk)
    assert started.changes["kind"] == "results.recompute" and started.ip == "10.0.0.1"


def test_progress_is_recorded_as_the_job_goes_in_few_writes(cycle: Cycle) -> None:
    # given a job that counts to a thousand, on a clock that never moves
    job = queued(cycle)
    SEEN_AT_HALF.clear()
    # when the runner runs it
    with CaptureQueriesContext(connection) as queries:
        status = run(job.pk, clock=lambda: 0.0)
    # then the row showed the progress half-way, written about fifty times, not a thousand
    assert status == Status.DONE
    assert 480 <= SEEN_AT_HALF[0] <= 500
    writes = [q for q in queries if q["sql"].startswith('UPDATE "jobs_job"')]
    assert 45 <= len(writes) <= 55
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (1000, 1000, 100)
    assert job.started_at is not None and job.finished_at is not None


def test_a_slow_job_reports_at_least_every_second(cycle: Cycle) -> None:
    # given a job of two hundred items, each taking (on the test's clock) a second and a half
    job = queued(cycle, total=200)
    ticks = iter(range(0, 10_000, 3))
    # when it runs
    with CaptureQueriesContext(connection) as queries:
        run(job.pk, clock=lambda: next(ticks) / 2)
    # then every item's progress was written, not only every fiftieth
    writes = [q for q in queries if q["sql"].startswith('UPDATE "jobs_job"')]
    assert len(writes) >= 200


def test_a_failing_kind_fails_with_a_message_and_leaves_nothing_to_download(
    cycle: Cycle, caplog: Any
) -> None:
    # given a kind with a bug
    job = queued(cycle, kind="tests.crash")
    files = StoredFile.objects.count()
    # when it runs
    status = run(job.pk)
    # then the job failed with a message for the person, the traceback went to the log
    job.refresh_from_db()
    assert status == job.status == Status.FAILED
    assert job.error and "ZeroDivisionError" not in job.error and "bug" not in job.error
    assert "ZeroDivisionError" in caplog.text
    assert job.output is None and job.output_name == "" and StoredFile.objects.count() == files
    assert (job.done, job.total) == (3, 10)
    assert AuditEvent.objects.filter(action="job.fail", target_id=str(job.pk)).exists()


def test_a_kinds_domain_error_is_shown_as_it_is(cycle: Cycle) -> None:
    job = queued(cycle, kind="tests.crash", domain=True)
    run(job.pk)
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.error == "داده‌های این دوره ناقص است."


def test_the_same_request_joins_the_job_still_waiting(cycle: Cycle) -> None:
    # given a recompute queued (its task not yet run)
    staff = person("staff")
    first = job_start(actor=staff, kind="results.recompute", cycle=cycle)
    # when the same person asks again, and again with other parameters, and a colleague asks
    again = job_start(actor=staff, kind="results.recompute", cycle=cycle, params={})
    other = job_start(actor=staff, kind="results.recompute", cycle=cycle, params={"part": "x"})
    colleague = job_start(actor=person("deputy"), kind="results.recompute", cycle=cycle)
    # then the repeat is the same job; other parameters and another person make their own
    assert again.pk == first.pk
    assert len({first.pk, other.pk, colleague.pk}) == 3
    assert AuditEvent.objects.filter(action="job.start").count() == 3


def test_a_running_job_joins_but_a_silent_one_does_not(cycle: Cycle) -> None:
    # given a job running, last heard of a minute ago
    staff = person("staff")
    job = job_start(actor=staff, kind="results.recompute", cycle=cycle)
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=Status.RUNNING, touched_at=now)
    # when asked again it is the same job
    assert job_start(actor=staff, kind="results.recompute", cycle=cycle).pk == job.pk
    # but once silent for an hour (its worker was killed), a new one starts
    Job.objects.filter(pk=job.pk).update(touched_at=now - dt.timedelta(hours=1))
    assert job_start(actor=staff, kind="results.recompute", cycle=cycle).pk != job.pk


def test_a_finished_job_is_not_joined(
    cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    staff = person("staff")
    with django_capture_on_commit_callbacks(execute=True):
        first = job_start(actor=staff, kind="results.recompute", cycle=cycle)
    with django_capture_on_commit_callbacks(execute=True):
        second = job_start(actor=staff, kind="results.recompute", cycle=cycle)
    assert first.pk != second.pk
    assert Job.objects.filter(status=Status.DONE).count() == 2


@pytest.mark.parametrize("name", ["agency", "office", "evaluator", "hq", "national"])
def test_a_role_without_the_kinds_action_is_refused_and_nothing_is_created(
    cycle: Cycle, name: str
) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(Forbidden):
        job_start(actor=person(name), kind="results.recompute", cycle=cycle)
    assert Job.objects.count() == 0 and AuditEvent.objects.count() == events


def test_an_unknown_kind_or_bad_parameters_are_refused(cycle: Cycle) -> None:
    with pytest.raises(DomainError) as unknown:
        job_start(actor=person("staff"), kind="reports.nothing", cycle=cycle)
    with pytest.raises(DomainError) as long:
        job_start(
            actor=person("staff"), kind="results.recompute", cycle=cycle, params={"x": "y" * 5000}
        )
    assert unknown.value.code == "unknown_kind" and long.value.code == "bad_params"
    assert Job.objects.count() == 0


def test_a_task_delivered_twice_runs_the_job_once(cycle: Cycle) -> None:
    job = queued(cycle, total=10)
    assert run(job.pk) == Status.DONE
    files = StoredFile.objects.count()
    assert run(job.pk) == Status.DONE
    assert StoredFile.objects.count() == files


def test_a_right_withdrawn_while_queued_fails_the_job(cycle: Cycle) -> None:
    # given a job queued by staff who then lose their role
    job = queued(cycle, total=10)
    RoleAssignment.objects.filter(user=person("staff"), role=Role.STAFF).update(is_active=False)
    # when the worker reaches it
    run(job.pk)
    # then nothing was produced for them
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.error and job.output is None
