"""An agency's self-assessment: one answer per gauge, the evidence behind it, retried requests.

The state of the whole self-assessment (submitted, approved, transferred) is on
``cycles.Participation``; its transitions are ``assessments.workflow``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Part(models.TextChoices):
    GENERAL = "general", _("general indicators")
    SPECIFIC = "specific", _("specific indicators")


class Answer(models.Model):
    participation = models.ForeignKey(
        "cycles.Participation",
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    part = models.CharField(_("part"), max_length=10, choices=Part.choices)
    gauge_code = models.CharField(_("gauge"), max_length=30)
    # The answer as an answers file writes it (docs/catalogue-format.md), without the MoU
    # target: that comes from the agreement when the answer is scored.
    data = models.JSONField(_("answer"), default=dict)
    comment = models.TextField(_("comment"), blank=True)
    # The engine's self-score and status, kept so lists and totals need no recomputation.
    score = models.DecimalField(_("self-score"), null=True, max_digits=9, decimal_places=2)
    status = models.CharField(_("status"), max_length=20, blank=True)
    # Raised by every save: a save based on an older version is a conflict, never an overwrite.
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), null=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        # By the column, not the participation's own ordering (its agency's code): that would
        # join two tables into every read of answers, and lock the agency's row with a locked
        # answer. Answers are read per participation, or grouped by it.
        ordering = ["participation_id", "part", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "part", "gauge_code"], name="answer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participation} – {self.gauge_code}"


class Evidence(models.Model):
    """A file backing one gauge's answer. Part of the record: removed files are kept, marked."""

    participation = models.ForeignKey(
        "cycles.Participation",
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    part = models.CharField(_("part"), max_length=10, choices=Part.choices)
    gauge_code = models.CharField(_("gauge"), max_length=30)
    file = models.ForeignKey(
        "files.StoredFile", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [models.Index(fields=["participation", "part", "gauge_code"])]

    def __str__(self) -> str:
        return self.file.name


class RequestKey(models.Model):
    """An idempotency key: a retried request with the same key gets the first answer again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    action = models.CharField(max_length=60)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="request_key_unique")]

    def __str__(self) -> str:
        return self.key
