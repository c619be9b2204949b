"""Running one job in the worker: claim it, run its kind, report progress, keep the output.

``run(job_id)`` is what the django-tasks task calls; tests call it directly too. The kind's
function runs outside any transaction (it may take minutes; a transaction that long would hold
SQLite's write lock). Only a finished output is stored: a failure leaves nothing to download.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from karnameh.accounts.permissions import require
from karnameh.audit.services import record
from karnameh.common.errors import DomainError
from karnameh.files.models import StoredFile
from karnameh.files.services import display_name

from .models import Job, Status
from .registry import get_kind

logger = logging.getLogger(__name__)

# Progress is written when it has moved by a fiftieth (2%) or a second has passed, and at the
# end: a cycle of thousands of items makes about fifty writes, not thousands.
STEPS = 50
INTERVAL = 1.0


class Reporter:
    """The ``progress(done, total)`` handed to a kind; throttles the writes to the job's row."""

    def __init__(self, job_id: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.job_id = job_id
        self.clock = clock
        self.done = 0
        self.total = 0
        self.writes = 0
        self._written: tuple[int, int] | None = None
        self._at = 0.0

    def __call__(self, done: int, total: int) -> None:
        total = max(0, int(total))
        done = min(max(0, int(done)), total) if total else max(0, int(done))
        self.done, self.total = done, total
        now = self.clock()
        if self._written is not None:
            last_done, last_total = self._written
            step = max(1, total // STEPS)
            due = (
                total != last_total
                or (done >= total and done != last_done)
                or done - last_done >= step
                or (now - self._at >= INTERVAL and done != last_done)
            )
            if not due:
                return
        self.flush(now)

    def flush(self, now: float | None = None) -> None:
        Job.objects.filter(pk=self.job_id).update(
            done=self.done, total=self.total, touched_at=timezone.now()
        )
        self._written = (self.done, self.total)
        self._at = self.clock() if now is None else now
        self.writes += 1


def run(job_id: int, *, clock: Callable[[], float] = time.monotonic) -> str:
    """Run the job if it is still queued; returns its status afterwards."""
    job = _claim(job_id)
    if job is None:
        # Already taken (a task enqueued twice, a retry): one run per job.
        return str(Job.objects.filter(pk=job_id).values_list("status", flat=True).first() or "")
    reporter = Reporter(job.pk, clock=clock)
    try:
        kind = get_kind(job.kind)
        if kind is None:
            raise DomainError(_("This kind of job no longer exists."), code="unknown_kind")
        # The right may have been withdrawn while the job waited in the queue.
        require(job.requested_by, kind.action, job.cycle)
        output = kind.run(job, reporter)
        _finish(job, output, reporter)
    except Exception as error:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, error)
    return job.status


def _claim(job_id: int) -> Job | None:
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(of=("self",))
            .select_related("cycle", "cycle__province", "requested_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status != Status.QUEUED:
            return None
        job.status = Status.RUNNING
        job.started_at = job.touched_at = timezone.now()
        job.save(update_fields=["status", "started_at", "touched_at"])
    return job


def _finish(job: Job, output: Any, reporter: Reporter) -> None:
    name, content, content_type = _checked_output(output)
    shown = display_name(name, "")
    extension = shown.rpartition(".")[2].lower() if "." in shown else ""
    with transaction.atomic():
        stored = StoredFile(
            name=shown,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            kind=extension[:20] or "bin",
            content_type=content_type[:120],
            uploaded_by=job.requested_by,
        )
        # The name given here is ignored: the storage path is random (files.models).
        stored.file.save("job", ContentFile(content), save=False)
        stored.save()
        now = timezone.now()
        job.status = Status.DONE
        job.finished_at = job.touched_at = now
        job.total = max(reporter.total, reporter.done)
        job.done = job.total
        job.output = stored
        job.output_name = shown
        job.output_size = len(content)
        job.save(
            update_fields=[
                "status",
                "finished_at",
                "touched_at",
                "done",
                "total",
                "output",
                "output_name",
                "output_size",
            ]
        )
        record(
            actor=None,
            action="job.done",
            target=job,
            changes={"output": shown, "size": len(content)},
        )


def _checked_output(output: Any) -> tuple[str, bytes, str]:
    """A kind's return value, or a failure naming the kind (a programming error, logged)."""
    if (
        isinstance(output, tuple)
        and len(output) == 3
        and isinstance(output[0], str)
        and output[0].strip()
        and isinstance(output[1], bytes | bytearray)
        and isinstance(output[2], str)
    ):
        return output[0], bytes(output[1]), output[2] or "application/octet-stream"
    raise TypeError(f"a job kind must return (file name, bytes, content type), not {output!r:.200}")


def _fail(job: Job, error: Exception) -> None:
    if isinstance(error, DomainError):
        message = error.message
    else:
        message = _(
            "The job stopped because of an error. Nothing was produced; please try again, "
            "and tell the system's administrator if it fails again."
        )
    with transaction.atomic():
        job.status = Status.FAILED
        job.finished_at = job.touched_at = timezone.now()
        job.error = message
        job.save(update_fields=["status", "finished_at", "touched_at", "error"])
        record(
            actor=None,
            action="job.fail",
            target=job,
            changes={"error": message, "exception": type(error).__name__},
        )
