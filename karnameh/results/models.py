"""Steps 10–11 and publication: the deputy's final approval, the council's approval of the
ranking, reopenings, the release of results, and the totals they fixed.

Two different people approve (the deputy, then a council member recording the council's
decision); after both, scores are locked until the deputy reopens with a reason. Until the
release (``Release``) no score leaves the organization, the evaluators and the agency itself
(``results.rules.sees_scores``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    DEPUTY = "deputy", _("final approval by the deputy")
    COUNCIL = "council", _("approval of the ranking by the steering council")


class Approval(models.Model):
    cycle = models.ForeignKey(
        "cycles.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="approvals",
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"))
    note = models.TextField(_("note"), blank=True)
    # The council's minutes (صورت‌جلسه); optional for the deputy.
    minutes = models.ForeignKey(
        "files.StoredFile",
        verbose_name=_("minutes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A reopening by the deputy withdraws the approvals in force; the rows stay as history.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("reason for the reopening"), blank=True)

    class Meta:
        ordering = ["cycle", "approved_at"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "stage"],
                condition=Q(withdrawn_at__isnull=True),
                name="approval_one_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle} – {self.stage}"


class Release(models.Model):
    """The one explicit act that publishes a cycle's results."""

    cycle = models.OneToOneField(
        "cycles.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="release",
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("publication of results")
        verbose_name_plural = _("publications of results")

    def __str__(self) -> str:
        return str(self.cycle)


class Result(models.Model):
    """An agency's totals as the deputy approved them (rewritten at each final approval)."""

    participation = models.OneToOneField(
        "cycles.Participation",
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        related_name="result",
    )
    self_total = models.DecimalField(_("self-assessment total"), max_digits=9, decimal_places=2)
    general = models.DecimalField(_("general score"), max_digits=9, decimal_places=2)
    general_max = models.DecimalField(_("general maximum"), max_digits=9, decimal_places=2)
    specific = models.DecimalField(
        _("specific score"), null=True, blank=True, max_digits=9, decimal_places=2
    )
    specific_max = models.DecimalField(
        _("specific maximum"), null=True, blank=True, max_digits=9, decimal_places=2
    )
    # Out of 100: the parts composed by the cycle's weights (scoring.weights.compose).
    final = models.DecimalField(_("final score"), max_digits=6, decimal_places=2)
    explanation = models.TextField(_("explanation"), blank=True)
    fixed_at = models.DateTimeField(_("fixed at"))

    class Meta:
        ordering = ["-final", "participation__agency__code"]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.participation}: {self.final}"
