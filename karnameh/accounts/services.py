"""Signing in and out, changing a password, disabling an account, ending a stale session.

Each writes an audit event in its transaction.
"""

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext

from karnameh.audit.services import record
from karnameh.common.errors import DomainError

from . import sessions, throttle
from .models import User
from .permissions import require


def user_authenticate(*, request: HttpRequest, username: str, password: str) -> User:
    """The user with this password, or ``BadCredentials`` (run it through throttle.guarded)."""
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        raise throttle.BadCredentials(gettext("The username or password is wrong."))
    return user


def user_log_in(
    *, request: HttpRequest, user: User, attempt: throttle.Attempt, second_step: str = ""
) -> None:
    """The complete sign-in: after the password, and after the code when two-step is on."""
    with transaction.atomic():
        # login() gives the session a new key, so a key planted before login is worthless.
        backend = getattr(user, "backend", None) or settings.AUTHENTICATION_BACKENDS[0]
        login(request, user, backend=backend)
        request.session.pop(PENDING_TWO_STEP, None)
        throttle.clear_failures(attempt)
        record(
            actor=user,
            action="accounts.login",
            target=user,
            changes={"second_step": second_step} if second_step else None,
            ip=attempt.ip,
        )


# The session key under which a password that was right waits for its one-time code.
PENDING_TWO_STEP = "karnameh_two_step"


def user_log_out(*, request: HttpRequest) -> None:
    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            record(
                actor=user, action="accounts.logout", target=user, ip=throttle.client_ip(request)
            )
        sessions.forget(request.session.session_key)
        # flush() deletes the session row itself: the old cookie opens nothing afterwards.
        logout(request)


def session_expire(*, request: HttpRequest, reason: str) -> None:
    """End a session that was idle too long or is too old (SessionTimeoutMiddleware)."""
    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            record(
                actor=user,
                action="accounts.session_expire",
                target=user,
                changes={"reason": reason},
                ip=throttle.client_ip(request),
            )
        sessions.forget(request.session.session_key)
        logout(request)


def user_password_change(*, request: HttpRequest, user: User, new_password: str) -> int:
    """Set the new password; this session stays signed in and every other one ends.

    The current password has been checked by the form (through the throttle). Returns how many
    other sessions were ended.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(new_password)
        locked.save(update_fields=["password"])
        current = request.session.session_key
        ended = sessions.end_sessions(user=locked, keep=current)
        # A new key for this session too, and the hash of the new password in it: without
        # that, Django would take this session for a stolen one and end it as well.
        update_session_auth_hash(request, locked)
        sessions.register(request, locked, replaces=current)
        record(
            actor=locked,
            action="accounts.password_change",
            target=locked,
            changes={"other_sessions_ended": ended},
            ip=throttle.client_ip(request),
        )
    return ended


def user_disable(*, actor: User, user: User, ip: str | None = None) -> User:
    """Disable an account: its sessions end at once and its API tokens stop working
    (``ApiToken.is_usable`` asks ``user.is_active``)."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        require(actor, "account.disable", locked)
        if not locked.is_active:
            raise DomainError(gettext("This account is already disabled."), code="already_disabled")
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        ended = sessions.end_sessions(user=locked)
        record(
            actor=actor,
            action="accounts.disable",
            target=locked,
            changes={"is_active": [True, False], "sessions_ended": ended},
            ip=ip,
        )
    return locked
