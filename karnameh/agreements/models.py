"""MoUs (تفاهم‌نامه): the targets of every `*` gauge agreed between an agency and the organization.

Each change is a new version; a version is agreed when both sides have approved it in the
system. Where an agency has no agreement by the deadline, staff set the targets themselves
(seed 000 item 7): such a version is ``imposed`` and says so wherever it is shown.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    AGREED = "agreed", _("agreed by both sides")
    IMPOSED = "imposed", _("set by the organization")
    SUPERSEDED = "superseded", _("replaced by a later version")


class Agreement(models.Model):
    participation = models.ForeignKey(
        "cycles.Participation",
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    note = models.TextField(_("note"), blank=True)
    agency_approved_at = models.DateTimeField(_("approved by the agency at"), null=True, blank=True)
    agency_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by the agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization_approved_at = models.DateTimeField(
        _("approved by the organization at"), null=True, blank=True
    )
    organization_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by the organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A signed scan, when there is one; the approvals in the system are what count.
    document = models.ForeignKey(
        "files.StoredFile",
        verbose_name=_("signed document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["participation", "-version"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "version"], name="agreement_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participation} – {self.version}"


class Target(models.Model):
    """One gauge's agreed target in one version of an MoU."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="targets"
    )
    # "general" or "specific": gauge codes of the two catalogues may coincide.
    part = models.CharField(_("part"), max_length=10)
    gauge_code = models.CharField(_("gauge"), max_length=30)
    value = models.DecimalField(_("target"), max_digits=24, decimal_places=6)

    class Meta:
        ordering = ["part", "gauge_code"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "part", "gauge_code"], name="target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gauge_code}: {self.value}"
