"""Objections (step 9): an agency's appeal against one gauge's score, and the expert groups
(گروه کارشناسی تخصصی) that decide them, in a meeting or in the system.

An objection moves filed -> routed -> accepted / rejected (``workflow``), or is withdrawn by the
agency before a decision. An accepted decision carries the expert group's answer to the gauge;
``evaluations.final`` then counts that answer instead of the evaluator's (``selectors``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from karnameh.assessments.models import Part


class ObjectionState(models.TextChoices):
    FILED = "filed", _("filed")
    ROUTED = "routed", _("with an expert group")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Not yet decided: they hold the cycle's final approval up.
OPEN_STATES = (ObjectionState.FILED, ObjectionState.ROUTED)
DECIDED_STATES = (ObjectionState.ACCEPTED, ObjectionState.REJECTED)


class ExpertGroup(models.Model):
    """A group of the organization's staff and evaluators that re-reviews objections."""

    cycle = models.ForeignKey(
        "cycles.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        related_name="expert_groups",
    )
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="expert_groups"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["cycle", "name"]
        verbose_name = _("expert group")
        verbose_name_plural = _("expert groups")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="expert_group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """A meeting of an expert group, with its minutes (صورت‌جلسه)."""

    group = models.ForeignKey(
        ExpertGroup,
        verbose_name=_("expert group"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    held_on = models.DateField(_("date"))
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members present"), related_name="+"
    )
    minutes = models.ForeignKey(
        "files.StoredFile",
        verbose_name=_("minutes (صورت‌جلسه)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["group", "-held_on", "-id"]
        verbose_name = _("expert group meeting")
        verbose_name_plural = _("expert group meetings")

    def __str__(self) -> str:
        return f"{self.group} – {self.held_on}"


class Objection(models.Model):
    participation = models.ForeignKey(
        "cycles.Participation",
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    part = models.CharField(_("part"), max_length=10, choices=Part.choices)
    gauge_code = models.CharField(_("gauge"), max_length=30)
    reasoning = models.TextField(_("the agency's reasoning"))
    evidence = models.ManyToManyField(
        "files.StoredFile", verbose_name=_("new evidence"), blank=True, related_name="+"
    )
    # Online: the agency's user. In person: nobody signed in; staff record it (recorded_by),
    # naming who came on the agency's behalf.
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed at"))
    in_person = models.BooleanField(_("in person"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    representative = models.CharField(_("the agency's representative"), max_length=200, blank=True)
    # What was objected to, as it stood when filed: kept so the record shows it after decisions.
    original_evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("original evaluator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("where the score came from"), max_length=20, blank=True)
    # The score that counted: when filed, then as it stood just before the decision.
    old_score = models.DecimalField(_("score objected to"), max_digits=9, decimal_places=2)
    state = models.CharField(
        _("state"), max_length=20, choices=ObjectionState.choices, default=ObjectionState.FILED
    )
    group = models.ForeignKey(
        ExpertGroup,
        verbose_name=_("expert group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
    )
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("routed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # The decision: its reasons are for the agency to read, accepted or rejected.
    reasons = models.TextField(_("reasons for the decision"), blank=True)
    # Accepted: the expert group's answer (the form of assessments.Answer.data, no target).
    answer = models.JSONField(_("the expert group's answer"), default=dict, blank=True)
    new_score = models.DecimalField(
        _("new score"), null=True, blank=True, max_digits=9, decimal_places=2
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("decided in the meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            # One open objection per gauge: a second would ask the same question twice.
            models.UniqueConstraint(
                fields=["participation", "part", "gauge_code"],
                condition=Q(state__in=["filed", "routed"]),
                name="objection_one_open_per_gauge",
            )
        ]
        indexes = [models.Index(fields=["participation", "state"])]

    def __str__(self) -> str:
        return f"{self.participation} – {self.gauge_code}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_decided(self) -> bool:
        return self.state in DECIDED_STATES
