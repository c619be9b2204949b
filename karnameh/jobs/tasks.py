"""The one django-tasks task behind every job: it runs whatever kind the job names."""

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    # Imported here: the runner reaches the kinds, which import other apps' modules.
    from .runner import run

    return run(job_id)
