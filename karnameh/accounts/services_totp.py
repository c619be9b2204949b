"""Two-step sign-in with an authenticator app (TOTP), for the roles that decide scores and
results: turning it on, checking a code at sign-in, turning it off. Each change is audited in
its transaction; wrong codes raise ``BadCredentials`` for the throttle to count."""

import logging

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from karnameh.audit.services import record
from karnameh.common.errors import DomainError

from . import totp
from .models import RecoveryCode, TotpDevice, User
from .permissions import TOTP_ROLES, has_role, require
from .sealing import SealBroken, seal, unseal
from .services import user_log_in
from .throttle import Attempt, BadCredentials

SEAL_PURPOSE = "totp"
logger = logging.getLogger(__name__)


def offered(user: object) -> bool:
    return has_role(user, *TOTP_ROLES)


def active_device(user: User) -> TotpDevice | None:
    """The user's confirmed device: when there is one, signing in needs its code."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def secret_of(device: TotpDevice) -> bytes:
    """The device's secret; one sealed under a retired SECRET_KEY is sealed again."""
    secret, current = unseal(device.secret, purpose=SEAL_PURPOSE)
    if not current:
        device.secret = seal(secret, purpose=SEAL_PURPOSE)
        TotpDevice.objects.filter(pk=device.pk).update(secret=device.secret)
    return secret


def _wrong_code() -> BadCredentials:
    return BadCredentials(gettext("The code is wrong, out of date or already used."))


def _new_step(device: TotpDevice, code: str) -> int | None:
    """The time step of a right code not used before; the device must be locked."""
    try:
        secret = secret_of(device)
    except SealBroken:
        # Sealed under a key this installation no longer has: no app code can match, and a
        # recovery code is the way in (docs/security.md).
        logger.warning("The TOTP secret of user %s cannot be opened.", device.user_id)
        return None
    step = totp.matching_step(secret, code, timezone.now().timestamp())
    if step is None or (device.last_step is not None and step <= device.last_step):
        return None
    return step


def totp_enrol_start(*, actor: User, ip: str | None = None) -> TotpDevice:
    """A new secret for the actor, shown until a code from it confirms it (re-starting while
    unconfirmed replaces it)."""
    require(actor, "two_step.enrol")
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=actor).first()
        if device is not None and device.confirmed_at is not None:
            raise DomainError(gettext("Two-step sign-in is already on."), code="already_on")
        sealed = seal(totp.new_secret(), purpose=SEAL_PURPOSE)
        if device is None:
            device = TotpDevice.objects.create(user=actor, secret=sealed, created_at=timezone.now())
        else:
            device.secret, device.created_at = sealed, timezone.now()
            device.save(update_fields=["secret", "created_at"])
        record(actor=actor, action="accounts.totp_enrol", target=device, ip=ip)
    return device


def totp_enrol_confirm(*, actor: User, code: str, ip: str | None = None) -> list[str]:
    """Turn two-step sign-in on with a first right code; returns the recovery codes, which
    are shown once and kept only as digests."""
    with transaction.atomic():
        device = (
            TotpDevice.objects.select_for_update()
            .filter(user=actor, confirmed_at__isnull=True)
            .first()
        )
        if device is None:
            raise DomainError(gettext("Start by showing a new key."), code="not_enrolling")
        step = _new_step(device, code)
        if step is None:
            raise _wrong_code()
        device.confirmed_at, device.last_step = timezone.now(), step
        device.save(update_fields=["confirmed_at", "last_step"])
        codes = [totp.new_recovery_code() for _ in range(totp.RECOVERY_CODES)]
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=device, digest=totp.recovery_digest(c)) for c in codes
        )
        record(actor=actor, action="accounts.totp_enable", target=device, ip=ip)
    return codes


def _spend(user: User, code: str) -> str:
    """Accept a code (marking it used) and say which kind it was; must run in a transaction."""
    device = (
        TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    )
    if device is None:
        raise _wrong_code()
    compact = code.replace(" ", "")
    if len(compact) == totp.DIGITS:
        step = _new_step(device, compact)
        if step is not None:
            device.last_step = step
            device.save(update_fields=["last_step"])
            return "totp"
        raise _wrong_code()
    spare = (
        RecoveryCode.objects.select_for_update()
        .filter(device=device, digest=totp.recovery_digest(code), used_at__isnull=True)
        .first()
    )
    if spare is None:
        raise _wrong_code()
    spare.used_at = timezone.now()
    spare.save(update_fields=["used_at"])
    return "recovery_code"


def user_log_in_with_code(*, request: HttpRequest, user: User, code: str, attempt: Attempt) -> str:
    """The second sign-in step: the code (or a recovery code) is spent and the user signed in,
    in one transaction. Returns the kind of code used."""
    with transaction.atomic():
        kind = _spend(user, code)
        user_log_in(request=request, user=user, attempt=attempt, second_step=kind)
    return kind


def totp_disable(*, actor: User, password: str, code: str, ip: str | None = None) -> None:
    """Turn two-step sign-in off: the password and a code (or recovery code) are both needed."""
    refused = BadCredentials(gettext("The password or the code is wrong."))
    with transaction.atomic():
        if not actor.check_password(password):
            raise refused
        try:
            _spend(actor, code)
        except BadCredentials:
            # The same answer for either mistake: no telling which of the two was right.
            raise refused from None
        device = TotpDevice.objects.get(user=actor)
        record(actor=actor, action="accounts.totp_disable", target=device, ip=ip)
        device.delete()


def recovery_codes_left(device: TotpDevice) -> int:
    return device.recovery_codes.filter(used_at__isnull=True).count()
