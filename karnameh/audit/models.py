"""The audit trail: who changed what, when, from what to what, and why.

Events are written in the same transaction as the change they record, so a change and its
event stand or fall together. Each event carries the hash of the one before it: altering or
deleting a row breaks the chain from there on (``karnameh.audit.services.verify_chain``).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too: the record must still say who acted if the account is ever removed.
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id", "-id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_repr}"
