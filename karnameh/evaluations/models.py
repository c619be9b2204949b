"""Who evaluates which agency in a cycle (issue 5, item 1), and declared conflicts of interest."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from karnameh.accounts.models import EvaluatorOrigin, EvaluatorScope
from karnameh.assessments.models import Part


class Assignment(models.Model):
    """An evaluator given one part (general or specific) of an agency's evaluation."""

    participation = models.ForeignKey(
        "cycles.Participation",
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        related_name="evaluation_assignments",
    )
    scope = models.CharField(_("evaluator scope"), max_length=10, choices=EvaluatorScope.choices)
    # Copied from the evaluator's role when assigned: the record keeps what was true then.
    origin = models.CharField(_("evaluator origin"), max_length=10, choices=EvaluatorOrigin.choices)
    # Axis codes of that part's catalogue (the group of indicators); empty means the whole part.
    axes = models.JSONField(_("axes"), default=list, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    # A removal keeps the row, so the history of who evaluated what stays readable.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removal_reason = models.TextField(_("reason for the removal"), blank=True)
    # The evaluator's initial approval (تایید اولیه) of their part: their scores and notes of
    # deficiencies become the agency's provisional scores. Cleared if staff return the part.
    approved_at = models.DateTimeField(_("initial approval at"), null=True, blank=True)

    class Meta:
        ordering = ["participation__agency__code", "scope", "evaluator__username"]
        verbose_name = _("evaluator assignment")
        verbose_name_plural = _("evaluator assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "evaluator", "scope"],
                condition=Q(removed_at__isnull=True),
                name="assignment_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} – {self.participation} ({self.scope})"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class Review(models.Model):
    """An evaluator's own answer and score for one gauge of an agency's self-assessment.

    ``data`` has the form of ``assessments.Answer.data`` (the evaluator's own figures,
    checked items, choice or judgement) and is scored by the same engine; ``deficiencies``
    (نواقص) is what the agency reads and is required when the score is below the self-score.
    """

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("evaluator assignment"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    # The assignment's participation again, so a participation's reviews are one indexed read.
    participation = models.ForeignKey(
        "cycles.Participation",
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    part = models.CharField(_("part"), max_length=10, choices=Part.choices)
    gauge_code = models.CharField(_("gauge"), max_length=30)
    data = models.JSONField(_("the evaluator's answer"), default=dict)
    score = models.DecimalField(_("score"), null=True, max_digits=9, decimal_places=2)
    status = models.CharField(_("status"), max_length=20, blank=True)
    deficiencies = models.TextField(_("deficiencies"), blank=True)
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
        # By the columns, not the related rows' orderings (agency code, evaluator's name): as
        # for answers, those would join three tables into every read of reviews.
        ordering = ["participation_id", "part", "gauge_code", "assignment_id"]
        verbose_name = _("evaluator's score")
        verbose_name_plural = _("evaluators' scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "gauge_code"], name="review_unique")
        ]
        indexes = [models.Index(fields=["participation", "part", "gauge_code"])]

    def __str__(self) -> str:
        return f"{self.assignment} – {self.gauge_code}"


class Consensus(models.Model):
    """The note an internal and an external evaluator write when their scores of a gauge differ
    by more than the cycle's threshold (``Cycle.consensus_gap``)."""

    participation = models.ForeignKey(
        "cycles.Participation",
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        related_name="consensus_notes",
    )
    part = models.CharField(_("part"), max_length=10, choices=Part.choices)
    gauge_code = models.CharField(_("gauge"), max_length=30)
    note = models.TextField(_("consensus note"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["participation", "part", "gauge_code"]
        verbose_name = _("consensus note")
        verbose_name_plural = _("consensus notes")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "part", "gauge_code"], name="consensus_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participation} – {self.gauge_code}"


class ConflictDeclaration(models.Model):
    """A conflict of interest the registry cannot see (a relative, a former post, …)."""

    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        related_name="conflict_declarations",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="conflict_declarations",
    )
    reason = models.TextField(_("reason"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    declared_at = models.DateTimeField(_("declared at"))
    # A declaration made in error is withdrawn by staff with a reason, never deleted: the
    # record of who was kept off which agency, and why, stays.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")

    def __str__(self) -> str:
        return f"{self.evaluator} – {self.agency}"
