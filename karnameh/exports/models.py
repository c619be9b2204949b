"""Provinces' packages imported on a national installation (``services.package_import``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvincialPackage(models.Model):
    """One province's published results (``karnameh-national-package/1``) in a national cycle.

    The national installation may not hold the province's agencies or cycles: the aggregate
    reads ``payload`` alone. The province is kept by its code and name, as the package names
    it, for the same reason.
    """

    cycle = models.ForeignKey(
        "cycles.Cycle",
        verbose_name=_("national cycle"),
        on_delete=models.PROTECT,
        related_name="provincial_packages",
    )
    province_code = models.CharField(_("province code"), max_length=20)
    province_name = models.CharField(_("province"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    payload = models.JSONField(_("package"))
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64)
    agencies = models.PositiveIntegerField(_("agencies"), default=0)
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["cycle", "province_name"]
        verbose_name = _("provincial package")
        verbose_name_plural = _("provincial packages")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "province_code"], name="provincial_package_once_per_province"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle} – {self.province_name}"
