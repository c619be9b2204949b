"""Steps 10–11 and publication: the deputy's final approval, the council's approval of the
ranking, reopenings, the release of results, and the totals they fixed.

Two different people approve (the deputy, then a council member recording the council's
decision); after both, scores are locked until the deputy reopens with a reason. Until the
release (``Release``) no score leaves the organization, the evaluators and the agency itself
(``results.rules.sees_scores``).
"""

from typing import Any

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


class RowsJSONField(models.JSONField):
    """A JSONField that a bulk insert writes as VALUES rows, not as UNNEST arrays.

    Django inserts many rows on PostgreSQL as one array per column; psycopg then quotes every
    element of a text array with a regular expression, once per quote mark, which took 7.8 s of
    the 8.8 s spent writing 400 agencies' gauge scores (bench/national.py, docs/performance.md).
    A field with its own placeholder makes Django write plain rows, each value sent as jsonb.
    """

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        return "%s"


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
    # Written with the totals so report cards, the portal and the province report read one row
    # per agency instead of rescoring it (``results.breakdown``); numbers as ``written``:
    # axes: [{"part", "code", "title", "score", "max", "self"}]
    # gauges: [{"part", "axis", "indicator", "code", "title", "score", "max", "self", "source"}]
    axes = RowsJSONField(_("axis scores"), default=list, blank=True)
    gauges = RowsJSONField(_("gauge scores"), default=list, blank=True)

    class Meta:
        ordering = ["-final", "participation__agency__code"]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.participation}: {self.final}"


class Policy(models.Model):
    """A cycle's settings for what follows the ranking: how many agencies per peer group the
    festival honours (seed 000: the Shahid Rajaei festival)."""

    cycle = models.OneToOneField(
        "cycles.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="result_policy",
    )
    festival_size = models.PositiveSmallIntegerField(
        _("agencies honoured per peer group"), default=3
    )
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("results settings")
        verbose_name_plural = _("results settings")

    def __str__(self) -> str:
        return str(self.cycle)


class BonusBand(models.Model):
    """One row of a cycle's performance-bonus table: a final score from ``lower`` (inclusive)
    up to the next band's lower bound (exclusive) earns ``coefficient``."""

    cycle = models.ForeignKey(
        "cycles.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="bonus_bands",
    )
    lower = models.DecimalField(_("from score"), max_digits=6, decimal_places=2)
    coefficient = models.DecimalField(_("bonus coefficient"), max_digits=6, decimal_places=3)

    class Meta:
        ordering = ["cycle", "lower"]
        verbose_name = _("bonus band")
        verbose_name_plural = _("bonus bands")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "lower"], name="bonus_band_unique_lower")
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.lower} → {self.coefficient}"


class NominationKind(models.TextChoices):
    MANAGER = "manager", _("manager")
    EXPERT = "expert", _("expert")


class Nomination(models.Model):
    """A manager or expert of an agency nominated for the festival (step 12)."""

    participation = models.ForeignKey(
        "cycles.Participation",
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    kind = models.CharField(_("nominated as"), max_length=10, choices=NominationKind.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    reason = models.TextField(_("reason for the nomination"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["participation__agency__code", "kind", "full_name"]
        verbose_name = _("festival nomination")
        verbose_name_plural = _("festival nominations")

    def __str__(self) -> str:
        return self.full_name


class ImprovementPlan(models.Model):
    """The agency's plan to improve (seed 003: «ارائه برنامه بهبود عملکرد»), written after
    publication against its report card's weaknesses.

    ``actions``: [{"gauge": "2.4.1", "action": "...", "owner": "...", "due": "1404-06-31"}]
    """

    participation = models.OneToOneField(
        "cycles.Participation",
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        related_name="improvement_plan",
    )
    summary = models.TextField(_("summary"), blank=True)
    actions = models.JSONField(_("actions"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")

    def __str__(self) -> str:
        return str(self.participation)
