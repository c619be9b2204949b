"""Catalogues (شاخص‌نامه) in the database: the file format (docs/catalogue-format.md) as rows.

The rows hold everything a catalogue file says, so that a catalogue imported from a file is
exported again as the same file (``store.to_data``). Scoring never reads these rows directly:
``store.engine_catalogue`` compiles them once into the engine's immutable ``Catalogue``.
A catalogue is a draft until a cycle uses it; then it is frozen and never changes again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Scores: max_digits 9, decimal_places 2. Targets, field bounds and checklist points are any
# number a catalogue states (0.5, 95, a sum in rials): max_digits 24, decimal_places 6.
# store.check_fits refuses a catalogue whose numbers would not fit exactly.


class Level(models.TextChoices):
    NATIONAL = "national", _("national")
    PROVINCIAL = "provincial", _("provincial")


class Kind(models.TextChoices):
    GENERAL = "general", _("general indicators")
    SPECIFIC = "specific", _("specific indicators")


class NotApplicableMode(models.TextChoices):
    AXIS = "axis", _("within its axis")
    TOTAL = "total", _("over the total")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    FROZEN = "frozen", _("frozen")


class Catalogue(models.Model):
    code = models.SlugField(_("code"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=500)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    not_applicable = models.CharField(
        _("not-applicable points go"),
        max_length=10,
        choices=NotApplicableMode.choices,
        default=NotApplicableMode.AXIS,
    )
    declared_max = models.DecimalField(
        _("declared total"), null=True, blank=True, max_digits=9, decimal_places=2
    )
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Null: shared by every province (a national or country-wide provincial catalogue).
    province = models.ForeignKey(
        "agencies.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalogues",
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    # Raised by every change: compiled catalogues are cached by it (store.engine_catalogue).
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("catalogue")
        verbose_name_plural = _("catalogues")

    def __str__(self) -> str:
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.status == Status.FROZEN


class Axis(models.Model):
    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("catalogue"), on_delete=models.CASCADE, related_name="axes"
    )
    code = models.CharField(_("code"), max_length=10)
    title = models.TextField(_("title"))
    max_score = models.DecimalField(_("max score"), max_digits=9, decimal_places=2)
    order = models.PositiveIntegerField(_("order"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="axis_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Indicator(models.Model):
    axis = models.ForeignKey(
        Axis, verbose_name=_("axis"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.TextField(_("title"))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    target_value = models.DecimalField(
        _("target"), null=True, blank=True, max_digits=24, decimal_places=6
    )
    # The file's "*": the target is agreed per agency in its MoU.
    target_agreed = models.BooleanField(_("target set by MoU"), default=False)
    max_score = models.DecimalField(_("max score"), max_digits=9, decimal_places=2)
    assessor_code = models.CharField(_("assessing body"), max_length=40, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    allow_not_applicable = models.BooleanField(_("may be not applicable"), default=False)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveIntegerField(_("order"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["axis", "code"], name="indicator_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Gauge(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="gauges"
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.TextField(_("title"))
    max_score = models.DecimalField(_("max score"), max_digits=9, decimal_places=2)
    method = models.TextField(_("method"), blank=True)
    target_value = models.DecimalField(
        _("target"), null=True, blank=True, max_digits=24, decimal_places=6
    )
    target_agreed = models.BooleanField(_("target set by MoU"), default=False)
    assessor_code = models.CharField(_("assessing body"), max_length=40, blank=True)
    measure = models.TextField(_("measure"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    note = models.TextField(_("note"), blank=True)
    allow_not_applicable = models.BooleanField(_("may be not applicable"), default=False)
    # List tables and the rule exactly as the file writes them (checklist items are rows).
    tables = models.JSONField(_("data tables"), default=list, blank=True)
    rule = models.JSONField(_("rule"), default=dict)
    order = models.PositiveIntegerField(_("order"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("gauge")
        verbose_name_plural = _("gauges")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="gauge_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class GaugeField(models.Model):
    gauge = models.ForeignKey(
        Gauge, verbose_name=_("gauge"), on_delete=models.CASCADE, related_name="fields"
    )
    code = models.CharField(_("code"), max_length=40)
    label = models.TextField(_("label"))
    type = models.CharField(_("type"), max_length=20)
    minimum = models.DecimalField(
        _("minimum"), null=True, blank=True, max_digits=24, decimal_places=6
    )
    maximum = models.DecimalField(
        _("maximum"), null=True, blank=True, max_digits=24, decimal_places=6
    )
    options = models.JSONField(_("options"), null=True, blank=True)
    labels = models.JSONField(_("option labels"), default=dict, blank=True)
    previous = models.CharField(_("last year's value of"), max_length=40, blank=True)
    # The file's `from`: the figure computed from one of the gauge's list tables.
    source = models.JSONField(_("computed from"), null=True, blank=True)
    help = models.TextField(_("help"), blank=True)
    order = models.PositiveIntegerField(_("order"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("gauge field")
        verbose_name_plural = _("gauge fields")
        constraints = [
            models.UniqueConstraint(fields=["gauge", "code"], name="gauge_field_code_unique")
        ]

    def __str__(self) -> str:
        return self.label


class ChecklistItem(models.Model):
    gauge = models.ForeignKey(
        Gauge, verbose_name=_("gauge"), on_delete=models.CASCADE, related_name="checklist_items"
    )
    code = models.CharField(_("code"), max_length=100)
    title = models.TextField(_("title"))
    points = models.DecimalField(_("points"), max_digits=24, decimal_places=6)
    order = models.PositiveIntegerField(_("order"))

    class Meta:
        ordering = ["order"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(fields=["gauge", "code"], name="checklist_item_code_unique")
        ]

    def __str__(self) -> str:
        return self.title
