"""API tokens for other systems: a bearer secret that acts as one user, with that user's roles.

Only a SHA-256 digest of the secret is stored. The secret carries 256 random bits, so a fast
hash is enough (a slow password hash protects guessable secrets, which these are not); the
first characters are kept in the clear as ``prefix`` to find the row without a scan.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from karnameh.audit.services import record
from karnameh.common.errors import DomainError

PREFIX_LENGTH = 8
# last_used_at is written at most this often, so a busy client does not write on every call.
TOUCH_EVERY = dt.timedelta(minutes=1)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        app_label = "accounts"
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: dt.datetime) -> bool:
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
            and self.user.is_active
        )


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def visible_tokens(user: Any) -> QuerySet[ApiToken]:
    """The user's own tokens; the administrator sees everyone's."""
    from .models import Role
    from .permissions import grants, has_role

    queryset = ApiToken.objects.select_related("user")
    if not grants(user):
        return queryset.none()
    return queryset if has_role(user, Role.ADMIN) else queryset.filter(user=user)


def token_create(
    *,
    actor: Any,
    name: str,
    expires_at: dt.datetime | None = None,
    ip: str | None = None,
) -> tuple[ApiToken, str]:
    """A new token for the actor and its secret, which is returned here and never again."""
    from .permissions import require

    require(actor, "token.create")
    name = name.strip()
    if not name:
        raise DomainError(gettext("Give the token a name."), code="invalid_token_name")
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(
            gettext("The expiry date of the token must be in the future."), code="invalid_expiry"
        )
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=secret[:PREFIX_LENGTH],
            digest=digest_of(secret),
            expires_at=expires_at,
        )
        record(
            actor=actor,
            action="token.create",
            target=token,
            changes={"name": name, "expires_at": expires_at},
            ip=ip,
        )
    return token, secret


def token_revoke(*, actor: Any, token: ApiToken, ip: str | None = None) -> ApiToken:
    from .permissions import require

    with transaction.atomic():
        locked = (
            ApiToken.objects.select_for_update(of=("self",)).select_related("user").get(pk=token.pk)
        )
        require(actor, "token.revoke", locked)
        if locked.revoked_at is not None:
            raise DomainError(gettext("This token is already revoked."), code="already_revoked")
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        record(
            actor=actor,
            action="token.revoke",
            target=locked,
            changes={"revoked_at": [None, locked.revoked_at]},
            ip=ip,
        )
    return locked


class InvalidToken(DomainError):
    """A token was presented and is no good: 401, never a fall back to the session."""

    status_code = 401

    def __init__(self) -> None:
        super().__init__(
            gettext("The API token is wrong, revoked or expired."), code="invalid_token"
        )


class BearerToken(HttpBearer):
    """``Authorization: Bearer <secret>``. The request then runs as the token's user."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if header is not None and not header.lower().startswith("bearer "):
            # Another scheme (or none) in the header is a client's mistake worth naming.
            raise InvalidToken()
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token = token.strip()
        if len(token) <= PREFIX_LENGTH:
            raise InvalidToken()
        wanted = digest_of(token)
        now = timezone.now()
        for candidate in ApiToken.objects.filter(prefix=token[:PREFIX_LENGTH]).select_related(
            "user"
        ):
            if hmac.compare_digest(candidate.digest, wanted):
                if not candidate.is_usable(now):
                    raise InvalidToken()
                if candidate.last_used_at is None or now - candidate.last_used_at >= TOUCH_EVERY:
                    ApiToken.objects.filter(pk=candidate.pk).update(last_used_at=now)
                request.user = candidate.user
                return candidate.user
        raise InvalidToken()
