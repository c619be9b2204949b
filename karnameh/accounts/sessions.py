"""Sessions: when each began and was last used (idle and absolute timeouts), and whose it is
(so that a password change or a disabled account ends all of a person's sessions at once).

Sessions are ended through the configured session engine's own ``delete()``, so this works
with the database, cache and file engines alike; the signed-cookie engine keeps sessions on
the client, where nothing can end them, and must not be used.
"""

import datetime as dt
from importlib import import_module
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from karnameh.common.text import persian_digits

from .models import User, UserSession
from .throttle import client_ip

LOGIN_AT = "karnameh_login_at"
SEEN_AT = "karnameh_seen_at"
# Activity is written to the session at most this often (seconds), not on every request:
# an idle limit may therefore end a session up to this much early.
TOUCH_EVERY = 60

IDLE = "idle"
ABSOLUTE = "absolute"


def _store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Connected to ``user_logged_in``, which every way of signing in sends (the login page,
    the second step, and the test client's ``login``/``force_login``): each session then has
    a start time and an owner, however it began."""
    now = timezone.now().timestamp()
    session = request.session
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    register(request, user)


def register(request: HttpRequest, user: User, *, replaces: str | None = None) -> None:
    """Note the request's session as the user's (under its new key, if it was renamed)."""
    session = request.session
    if session.session_key is None:
        session.save()
    key = session.session_key
    assert key is not None  # saved just above
    if replaces:
        UserSession.objects.filter(session_key=replaces).delete()
    started = dt.datetime.fromtimestamp(session.get(LOGIN_AT, 0), tz=dt.UTC)
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={"user": user, "started_at": started, "ip": client_ip(request)},
    )
    # Sessions that ended by themselves (expired, or flushed by Django after a password change
    # elsewhere) leave their rows behind: forget them while we are here.
    store = _store()
    for old in UserSession.objects.filter(user=user).exclude(session_key=key):
        if not store().exists(old.session_key):
            old.delete()


def end_sessions(*, user: User, keep: str | None = None) -> int:
    """End every session of the user, except ``keep`` (the one making the change). Their next
    request is anonymous, so it is sent to the login page."""
    keys = list(
        UserSession.objects.filter(user=user)
        .exclude(session_key=keep or "")
        .values_list("session_key", flat=True)
    )
    store = _store()
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def forget(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def ended_because(session: Any, now: float) -> str | None:
    """Why this signed-in session is over (IDLE or ABSOLUTE), or None while it is still good.

    A session from before these stamps existed starts its clocks now.
    """
    login_at = session.get(LOGIN_AT)
    if login_at is None:
        session[LOGIN_AT] = session[SEEN_AT] = now
        return None
    absolute = settings.SESSION_ABSOLUTE_HOURS * 3600
    if absolute and now - login_at > absolute:
        return ABSOLUTE
    idle = settings.SESSION_IDLE_MINUTES * 60
    if idle and now - session.get(SEEN_AT, login_at) > idle:
        return IDLE
    return None


def touch(session: Any, now: float) -> None:
    if now - session.get(SEEN_AT, 0) >= TOUCH_EVERY:
        session[SEEN_AT] = now


def ended_message(reason: str) -> str:
    if reason == ABSOLUTE:
        return gettext(
            "Your session ended because it had lasted %(hours)s hours. Sign in again."
        ) % {"hours": persian_digits(settings.SESSION_ABSOLUTE_HOURS)}
    return gettext(
        "Your session ended after %(minutes)s minutes without activity. Sign in again."
    ) % {"minutes": persian_digits(settings.SESSION_IDLE_MINUTES)}
