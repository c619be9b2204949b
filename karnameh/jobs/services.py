"""Starting a job: checked, recorded and audited in one transaction, enqueued once committed."""

import datetime as dt
import json
import logging
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.audit.services import record
from karnameh.common.errors import DomainError
from karnameh.cycles.models import Cycle
from karnameh.cycles.services import lock_cycle

from .models import Job, Status, params_key
from .registry import get_kind

logger = logging.getLogger(__name__)

# Parameters name what to produce (a part, a list of agencies), never carry data.
MAX_PARAMS_BYTES = 4000
# A running job that has reported nothing for this long lost its worker (killed, restarted):
# it is not joined by a new request, which starts afresh instead.
STALE_AFTER = dt.timedelta(minutes=30)


def job_start(
    *,
    actor: Any,
    kind: str,
    cycle: Cycle,
    params: dict[str, Any] | None = None,
    ip: str | None = None,
) -> Job:
    """Queue ``kind`` for ``cycle``; the same request still queued or running is returned.

    "The same" is the same kind, cycle and parameters asked by the same person: the job page
    and its download are the requester's alone, so joining someone else's job would send the
    second person to a page they may not open.
    """
    found = get_kind(kind)
    if found is None:
        raise DomainError(_("There is no job of this kind."), code="unknown_kind")
    given = _checked_params(params)
    with transaction.atomic():
        # The cycle's row serialises starts: two quick clicks make one job, not two.
        locked = lock_cycle(cycle)
        require(actor, found.action, locked)
        held = (
            Job.objects.filter(
                kind=kind,
                cycle=locked,
                params_key=params_key(given),
                requested_by=actor,
            )
            .filter(
                Q(status=Status.QUEUED)
                | Q(status=Status.RUNNING, touched_at__gte=timezone.now() - STALE_AFTER)
            )
            .order_by("-requested_at")
            .first()
        )
        if held is not None:
            return held
        job = Job.objects.create(kind=kind, cycle=locked, params=given, requested_by=actor)
        record(
            actor=actor,
            action="job.start",
            target=job,
            changes={"kind": kind, "cycle": locked.pk, "params": given},
            ip=ip,
        )
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    """Hand the job to django-tasks (the worker's queue, or at once in the tests)."""
    from .tasks import run_job

    try:
        result = run_job.enqueue(job_id)
    except Exception:
        # Not enqueued, it would wait as "queued" forever: say so instead.
        logger.exception("job %s could not be enqueued", job_id)
        Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            error=_("The job could not be queued. Please try again later."),
        )
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def _checked_params(params: dict[str, Any] | None) -> dict[str, Any]:
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise DomainError(_("The job's parameters are not valid."), code="bad_params")
    try:
        written = json.dumps(params, ensure_ascii=False)
    except (TypeError, ValueError) as error:
        raise DomainError(_("The job's parameters are not valid."), code="bad_params") from error
    if len(written.encode()) > MAX_PARAMS_BYTES:
        raise DomainError(_("The job's parameters are too long."), code="bad_params")
    loaded: dict[str, Any] = json.loads(written)
    return loaded
