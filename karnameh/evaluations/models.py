"""Who evaluates which agency in a cycle (issue 5, item 1), and declared conflicts of interest."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from karnameh.accounts.models import EvaluatorOrigin, EvaluatorScope


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

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")

    def __str__(self) -> str:
        return f"{self.evaluator} – {self.agency}"
