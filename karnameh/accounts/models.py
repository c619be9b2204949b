"""People and the roles they hold. Usernames are personal (seed 002): no shared accounts."""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person. What they may do comes from their role assignments, never from flags here."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    ADMIN = "admin", _("system administrator")
    STAFF = "staff", _("modernization group staff")
    EVALUATOR = "evaluator", _("evaluator")
    AGENCY = "agency", _("agency user")
    PERFORMANCE_OFFICE = "performance_office", _("performance office")
    HQ = "hq", _("headquarters user")
    ASSESSOR = "assessor", _("assessing body user")
    DEPUTY = "deputy", _("deputy for management development")
    COUNCIL = "council", _("steering council member")
    NATIONAL = "national", _("national organization viewer")


class EvaluatorScope(models.TextChoices):
    GENERAL = "general", _("general")
    SPECIFIC = "specific", _("specific")


class EvaluatorOrigin(models.TextChoices):
    INTERNAL = "internal", _("internal")
    EXTERNAL = "external", _("external")


# What each role is scoped to: the one field that must be set (and the others must not).
ROLE_SCOPE: dict[str, str | None] = {
    Role.ADMIN: None,
    Role.NATIONAL: None,
    Role.STAFF: "province",
    Role.EVALUATOR: "province",
    Role.DEPUTY: "province",
    Role.COUNCIL: "province",
    Role.AGENCY: "agency",
    Role.PERFORMANCE_OFFICE: "agency",
    Role.HQ: "agency",
    Role.ASSESSOR: "assessing_body",
}
SCOPE_FIELDS = ("province", "agency", "assessing_body")


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    province = models.ForeignKey(
        "agencies.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT
    )
    assessing_body = models.ForeignKey(
        "agencies.AssessingBody",
        verbose_name=_("assessing body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    evaluator_scope = models.CharField(
        _("evaluator scope"), max_length=10, choices=EvaluatorScope.choices, blank=True
    )
    evaluator_origin = models.CharField(
        _("evaluator origin"), max_length=10, choices=EvaluatorOrigin.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "province", "agency", "assessing_body"],
                name="role_assignment_unique",
            )
        ]

    def __str__(self) -> str:
        scope = self.province or self.agency or self.assessing_body
        label = self.get_role_display()
        return f"{label} – {scope}" if scope else str(label)

    def clean(self) -> None:
        wanted = ROLE_SCOPE.get(self.role)
        errors: dict[str, Any] = {}
        labels = {
            "province": _("province"),
            "agency": _("agency"),
            "assessing_body": _("assessing body"),
        }
        for field in SCOPE_FIELDS:
            is_set = getattr(self, f"{field}_id") is not None
            if field == wanted and not is_set:
                errors[field] = _("This role must be limited to one %(scope)s.") % {
                    "scope": labels[field]
                }
            elif field != wanted and is_set:
                errors[field] = _("This role is not limited by %(scope)s.") % {
                    "scope": labels[field]
                }
        if self.role == Role.EVALUATOR and not (self.evaluator_scope and self.evaluator_origin):
            errors["evaluator_scope"] = _(
                "An evaluator must be general or specific, and internal or external."
            )
        if errors:
            raise ValidationError(errors)


class LoginFailure(models.Model):
    """A failed password or code, kept to throttle guessing (karnameh.accounts.throttle)."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(db_index=True)
    # The browser's device cookie when it had one for this account (see throttle.py).
    device = models.CharField(max_length=32, blank=True, default="", db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.ip or ''}"


class UserSession(models.Model):
    """Which sessions belong to whom, so that all of a person's sessions can be ended at once.

    Django's session rows hold the user only inside their encoded data; without this list,
    ending them on a password change or a disabled account would mean decoding every row.
    """

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    started_at = models.DateTimeField(_("signed in at"))
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")

    def __str__(self) -> str:
        return f"{self.user_id} {self.started_at:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """A person's authenticator app (two-step sign-in), unconfirmed until a code matched."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="totp_device"
    )
    # Sealed with a key derived from SECRET_KEY (karnameh.accounts.sealing); never shown
    # again after enrolment.
    secret = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("created at"))
    confirmed_at = models.DateTimeField(_("turned on at"), null=True, blank=True)
    # The last time step whose code was accepted: a code is never accepted twice.
    last_step = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("two-step sign-in")
        verbose_name_plural = _("two-step sign-ins")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """A one-time code for when the phone is lost; only its SHA-256 digest is kept."""

    device = models.ForeignKey(TotpDevice, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.device_id} {self.digest[:8]}"


from .tokens import ApiToken  # noqa: E402,F401
