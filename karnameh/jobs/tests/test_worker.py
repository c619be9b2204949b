"""The production path: the job waits in django-tasks' database queue until ``db_worker`` runs."""

from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from karnameh.cycles.models import Cycle
from karnameh.jobs.models import Job, Status
from karnameh.jobs.services import job_start

from .conftest import client, downloaded, person

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


# The worker closes connections it finds inside a transaction (``close_old_connections``),
# which on PostgreSQL would close the test's own: this test commits for real.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE)
def test_the_database_worker_runs_a_queued_job(
    cycle: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    # given a recompute started as in production: the task is only written to the queue
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=person("staff"), kind="results.recompute", cycle=cycle)
    job.refresh_from_db()
    assert job.status == Status.QUEUED and DBTaskResult.objects.filter(id=job.task_id).exists()
    assert 'hx-trigger="every 2s"' in client("staff").get(f"/jobs/{job.pk}/").content.decode()
    # when the worker runs what is waiting, then stops
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    # then the job is done with its file, and the worker's own record says so too
    job.refresh_from_db()
    assert job.status == Status.DONE and (job.done, job.total) == (4, 4)
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"
    download = client("staff").get(f"/jobs/{job.pk}/download/")
    assert "AR-TAX" in downloaded(download)
    assert Job.objects.count() == 1
