"""Reading jobs, always through what the reader may see."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import grants, has_role, may

from .models import Job


def visible_jobs(user: Any) -> QuerySet[Job]:
    """The user's own jobs, newest first; the administrator sees everyone's."""
    queryset = Job.objects.select_related("cycle", "cycle__province", "requested_by")
    if not grants(user):
        return queryset.none()
    if has_role(user, Role.ADMIN):
        return queryset
    return queryset.filter(requested_by=user)


def visible_job(user: Any, pk: int) -> Job:
    """The job if the user may see it; otherwise "not found", never 403."""
    job = visible_jobs(user).select_related("output").filter(pk=pk).first()
    if job is None or not may(user, "job.view", job):
        raise Http404
    return job


def downloadable_job(user: Any, pk: int) -> Job:
    """A finished job's output, for its requester still holding the kind's action; else 404."""
    job = visible_job(user, pk)
    if job.output is None or not may(user, "job.download", job):
        raise Http404
    return job
