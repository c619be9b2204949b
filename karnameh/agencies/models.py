"""The agency registry: national HQs, affiliated organizations, provincial and county units."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from karnameh.common.text import normalize_fa


class Province(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class AgencyType(models.Model):
    """Used for the weights of general indicators and for peer-group ranking."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency type")
        verbose_name_plural = _("agency types")

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    HEADQUARTERS = "headquarters", _("national headquarters")
    AFFILIATED = "affiliated", _("affiliated organization")
    PROVINCIAL_UNIT = "provincial_unit", _("provincial unit")
    COUNTY_UNIT = "county_unit", _("county unit")


# Which kinds may stand above which: the tree of seed 000 (HQ → affiliated → provincial → county).
ALLOWED_PARENT_KINDS: dict[str, set[str]] = {
    AgencyKind.HEADQUARTERS: set(),
    AgencyKind.AFFILIATED: {AgencyKind.HEADQUARTERS},
    AgencyKind.PROVINCIAL_UNIT: {AgencyKind.HEADQUARTERS, AgencyKind.AFFILIATED},
    AgencyKind.COUNTY_UNIT: {AgencyKind.PROVINCIAL_UNIT},
}
# Units in a province carry it; national bodies do not.
PROVINCIAL_KINDS = {AgencyKind.PROVINCIAL_UNIT, AgencyKind.COUNTY_UNIT}


# Codes appear in addresses and file names: Latin letters, digits and dashes only, and never
# a word the registry's own addresses use.
RESERVED_CODES = {"new", "import"}


def validate_agency_code(value: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", value):
        raise ValidationError(
            _("The code “%(code)s” may hold only Latin letters, digits, “-” and “_”."),
            params={"code": value},
            code="invalid_code",
        )
    if value.lower() in RESERVED_CODES:
        raise ValidationError(
            _("“%(code)s” cannot be used as a code."), params={"code": value}, code="reserved"
        )


class Agency(models.Model):
    code = models.CharField(
        _("code"), max_length=40, unique=True, validators=[validate_agency_code]
    )
    name = models.CharField(_("name"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    county = models.CharField(_("county"), max_length=100, blank=True)
    agency_type = models.ForeignKey(
        AgencyType, verbose_name=_("agency type"), on_delete=models.PROTECT, related_name="agencies"
    )
    has_county_units = models.BooleanField(_("has county units"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # The HQ at the root of this agency's tree (itself for an HQ): lets "an HQ and all its units"
    # be one indexed filter instead of a walk up the tree on every permission check.
    headquarters = models.ForeignKey(
        "self",
        verbose_name=_("headquarters"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # The name with Arabic letter forms made Persian, so search finds «كيفيت» as «کیفیت».
    search_name = models.CharField(max_length=250, editable=False, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(PROVINCIAL_KINDS)) | Q(province__isnull=False),
                name="agency_unit_has_province",
                violation_error_message=_("A provincial or county unit needs a province."),
            ),
            models.CheckConstraint(
                condition=Q(kind=AgencyKind.HEADQUARTERS) | Q(parent__isnull=False),
                name="agency_non_hq_has_parent",
                violation_error_message=_(
                    "Only a national headquarters may have no parent agency."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name = normalize_fa(self.name)
        self.search_name = self.name.lower()
        if self.kind == AgencyKind.HEADQUARTERS:
            self.headquarters_id = self.pk  # set again below for a new row
        elif self.parent is not None:
            self.headquarters_id = self.parent.headquarters_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        if self.kind == AgencyKind.HEADQUARTERS and self.headquarters_id != self.pk:
            self.headquarters_id = self.pk
            Agency.objects.filter(pk=self.pk).update(headquarters_id=self.pk)


class AssessingBody(models.Model):
    """A body outside the organization that scores some indicators and answers inquiries."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=250)

    class Meta:
        ordering = ["name"]
        verbose_name = _("assessing body")
        verbose_name_plural = _("assessing bodies")

    def __str__(self) -> str:
        return self.name
