"""Jobs over the API: start one, follow its progress, download its output (the same services)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from ninja import Router, Schema, Status

from karnameh.accounts.permissions import may, require
from karnameh.accounts.throttle import client_ip
from karnameh.cycles.selectors import visible_cycle

from .models import Job
from .selectors import downloadable_job, visible_job, visible_jobs
from .services import job_start
from .views import output_response

router = Router(tags=["jobs"])


class JobIn(Schema):
    model_config = {"extra": "forbid"}

    kind: str
    cycle: int
    params: dict[str, Any] = {}


class JobOut(Schema):
    id: int
    kind: str
    label: str
    cycle: int
    params: dict[str, Any]
    status: str
    done: int
    total: int
    percent: int
    requested_by: str
    requested_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    error: str
    output_name: str
    output_size: int | None
    # Where to fetch the output, once there is one the caller may download; null before.
    download: str | None


def _out(request: HttpRequest, job: Job) -> dict[str, Any]:
    ready = job.output_id is not None and may(request.user, "job.download", job)
    return {
        "id": job.pk,
        "kind": job.kind,
        "label": job.kind_label,
        "cycle": job.cycle_id,
        "params": job.params,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "requested_by": job.requested_by.get_username(),
        "requested_at": job.requested_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "error": job.error,
        "output_name": job.output_name,
        "output_size": job.output_size,
        "download": reverse("api:jobs_download", args=[job.pk]) if ready else None,
    }


@router.get("", response=list[JobOut], summary="My jobs, newest first (the administrator: all)")
def list_jobs(request: HttpRequest) -> list[dict[str, Any]]:
    require(request.user, "job.list")
    return [_out(request, job) for job in visible_jobs(request.user)[:100]]


@router.post("", response={202: JobOut}, summary="Start a job (or join the same one in progress)")
def post_job(request: HttpRequest, payload: JobIn) -> Status:
    cycle = visible_cycle(request.user, payload.cycle)
    job = job_start(
        actor=request.user,
        kind=payload.kind,
        cycle=cycle,
        params=payload.params,
        ip=client_ip(request),
    )
    # Accepted, not done: the worker takes it from the queue; GET /jobs/{id} follows it.
    return Status(202, _out(request, job))


@router.get("/{id}", response=JobOut, summary="One job: status and progress")
def get_job(request: HttpRequest, id: int) -> dict[str, Any]:
    return _out(request, visible_job(request.user, id))


@router.get(
    "/{id}/download",
    response={200: None},
    url_name="jobs_download",
    summary="Download a finished job's output (its requester only)",
)
def get_download(request: HttpRequest, id: int) -> HttpResponseBase:
    return output_response(downloadable_job(request.user, id))
