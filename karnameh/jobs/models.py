"""One long piece of work someone asked for: its progress, outcome and the file it produced."""

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


# Still to finish: a second identical request joins the job instead of starting another.
UNFINISHED = (Status.QUEUED, Status.RUNNING)


def params_key(params: dict[str, Any]) -> str:
    """The parameters as one comparable string: JSON equality is not portable across databases."""
    canonical = json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class Job(models.Model):
    kind = models.CharField(_("job kind"), max_length=60)
    cycle = models.ForeignKey(
        "cycles.Cycle", verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="jobs"
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    params_key = models.CharField(_("parameters key"), max_length=64, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The last sign of life from the worker (start or progress): a "running" job silent for
    # long had its worker killed, and a new request must not wait on it forever.
    touched_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    # For the person, in Persian; the traceback goes to the log, never to the page.
    error = models.TextField(_("error"), blank=True)
    output = models.ForeignKey(
        "files.StoredFile",
        verbose_name=_("output"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    output_name = models.CharField(_("output file name"), max_length=255, blank=True)
    output_size = models.PositiveBigIntegerField(_("output size"), null=True, blank=True)
    # The django-tasks result id, to find the worker's own record of the run.
    task_id = models.CharField(_("task id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [
            models.Index(fields=["requested_by", "-requested_at"], name="job_requester_idx"),
            models.Index(fields=["cycle", "kind", "status"], name="job_identity_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.params_key = params_key(self.params or {})
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "params" in update_fields:
            kwargs["update_fields"] = {*update_fields, "params_key"}
        super().save(*args, **kwargs)

    @property
    def finished(self) -> bool:
        return self.status in (Status.DONE, Status.FAILED)

    @property
    def percent(self) -> int:
        """0–100 for the progress bar; a finished job is full whatever it counted."""
        if self.status == Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    @property
    def kind_label(self) -> str:
        from .registry import get_kind

        found = get_kind(self.kind)
        return str(found.label) if found else self.kind
