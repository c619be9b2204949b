"""A cycle (دوره ارزیابی): one year's evaluation at one level, its calendar and participants.

An agency's whole part in a cycle hangs off its ``Participation``: its specific catalogue, its
MoU versions (agreements app), its answers and evidence, and where its self-assessment stands
in the workflow (assessments.workflow).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from karnameh.catalogue.models import Level


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("closed")


def _default_composition() -> dict[str, int]:
    return {"general": 70, "specific": 30}


class Cycle(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))  # Jalali, e.g. 1403
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    # Null for a national cycle.
    province = models.ForeignKey(
        "agencies.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    title = models.CharField(_("title"), max_length=300)
    general_catalogue = models.ForeignKey(
        "catalogue.Catalogue",
        verbose_name=_("general catalogue"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    # Percent weights of the parts in the final score (scoring.weights.check_composition).
    composition = models.JSONField(_("composition"), default=_default_composition)
    status = models.CharField(
        _("status"), max_length=20, choices=CycleStatus.choices, default=CycleStatus.DRAFT
    )
    circular = models.ForeignKey(
        "files.StoredFile",
        verbose_name=_("circular"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # When an internal and an external evaluator's scores of one gauge differ by more than this
    # percent of the gauge's maximum, they write a consensus note (evaluations.Consensus).
    consensus_gap = models.DecimalField(
        _("gap that needs a consensus note (percent of the gauge's maximum)"),
        max_digits=5,
        decimal_places=2,
        default=20,
    )

    class Meta:
        ordering = ["-year", "level", "province__name"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "level", "province"], name="cycle_unique_per_province"
            ),
            models.UniqueConstraint(
                fields=["year", "level"],
                condition=Q(province__isnull=True),
                name="cycle_unique_national",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status != CycleStatus.DRAFT


class WeightSet(models.Model):
    """Weights of the general indicators for one agency type (seed 000 item 2)."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="weight_sets"
    )
    agency_type = models.ForeignKey(
        "agencies.AgencyType", verbose_name=_("agency type"), on_delete=models.PROTECT
    )
    # Indicator code -> weight; an indicator not named weighs 1 (scoring.weights.check_weights).
    weights = models.JSONField(_("weights"), default=dict)

    class Meta:
        verbose_name = _("weight set")
        verbose_name_plural = _("weight sets")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "agency_type"], name="weight_set_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} – {self.agency_type}"


class Step(models.Model):
    """One of the twelve steps (cycles.steps.STEPS) on this cycle's calendar."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="steps"
    )
    number = models.PositiveSmallIntegerField(_("step"))
    # Dates are whole days in Tehran; a step ends at the end of its last day.
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="step_unique"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="step_ends_after_start",
                violation_error_message=_("A step cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} – {self.number}"


class AssessmentState(models.TextChoices):
    """Where an agency's self-assessment stands (the table is assessments.workflow)."""

    NOT_STARTED = "not_started", _("not started")
    DRAFT = "draft", _("being entered")
    SUBMITTED = "submitted", _("submitted")
    OFFICE_APPROVED = "office_approved", _("approved by the agency's council")
    HQ_APPROVED = "hq_approved", _("approved by the headquarters")
    TRANSFERRED = "transferred", _("transferred to the organization")


class Participation(models.Model):
    """An agency taking part in a cycle (step 3), and where its self-assessment stands."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="participations"
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    specific_catalogue = models.ForeignKey(
        "catalogue.Catalogue",
        verbose_name=_("specific catalogue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=AssessmentState.choices,
        default=AssessmentState.NOT_STARTED,
    )
    # An extension granted to this agency alone: entry stays open until then.
    extended_until = models.DateTimeField(_("extended until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    # The receipt of the last submission: a number the agency can quote, and its time.
    receipt = models.CharField(_("receipt number"), max_length=40, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    office_approved_at = models.DateTimeField(_("council approval at"), null=True, blank=True)
    office_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("council approval by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    office_minutes = models.ForeignKey(
        "files.StoredFile",
        verbose_name=_("minutes of the council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hq_approved_at = models.DateTimeField(_("headquarters approval at"), null=True, blank=True)
    hq_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("headquarters approval by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("transferred by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Why it was last sent back (shown to the agency until it submits again).
    return_note = models.TextField(_("returned with notes"), blank=True)
    # Raised by every change of state: a page acting on an old state is refused.
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        ordering = ["agency__code"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "agency"], name="participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.cycle}"


class Workshop(models.Model):
    """A training session of step 2 (evaluators) or step 4 (agencies)."""

    class Audience(models.TextChoices):
        EVALUATORS = "evaluators", _("evaluators")
        AGENCIES = "agencies", _("agencies")

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="workshops"
    )
    step = models.PositiveSmallIntegerField(_("step"))
    title = models.CharField(_("title"), max_length=300)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    materials = models.ManyToManyField(
        "files.StoredFile", verbose_name=_("materials"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="attendance"
    )
    # An agency's representative, or a named person (an evaluator, a guest).
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self) -> str:
        return self.name
