"""Login throttling, kept in the database so that every gunicorn worker and app server sees
the same counts. A failed password, a failed one-time code (the second sign-in step) and a
failed current password on the password page all count the same way.

Three locks, each over the last LOGIN_FAILURE_WINDOW_MINUTES; each lifts by itself once
enough of its failures have left the window. A refused attempt is not counted, so waiting
always ends a lock:

1. one account from one address: LOGIN_FAILURES_PER_ACCOUNT failures;
2. one address, whatever the accounts: LOGIN_FAILURES_PER_IP (someone trying many accounts);
3. one account from every address: LOGIN_FAILURES_PER_ACCOUNT_TOTAL (guesses spread over many
   addresses).

Someone who knows a username could keep lock 3 shut for as long as they keep guessing. So a
browser where the person has signed in before carries a signed device cookie for the account
(OWASP's "device cookies"): it answers only to its own count (LOGIN_FAILURES_PER_ACCOUNT
failures made with that cookie) and never to locks 2 and 3. An attacker can lock strangers'
browsers out of an account for a while, never the person's own.
"""

import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from karnameh.common.errors import DomainError
from karnameh.common.text import persian_digits

from .models import LoginFailure

T = TypeVar("T")

DEVICE_COOKIE = "karnameh_device"
DEVICE_SALT = "karnameh.accounts.device"
DEVICE_DAYS = 180
# Sent only to the sign-in pages, which are the only ones that read it.
DEVICE_COOKIE_PATH = "/accounts/"


@dataclass(frozen=True)
class Attempt:
    """Who is trying which account: the account, the address, and the trusted device if any."""

    username: str
    ip: str | None
    device: str = ""


class LoginLocked(DomainError):
    status_code = 429

    def __init__(self, until: datetime) -> None:
        minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
        super().__init__(
            gettext(
                "Too many failed attempts. Wait %(minutes)s minutes and try again, "
                "or ask the system administrator to check your account."
            )
            % {"minutes": persian_digits(minutes)},
            code="locked",
        )
        self.until = until


class BadCredentials(DomainError):
    """A wrong password or one-time code: ``guarded`` counts it towards the locks."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="bad_credentials")


def guarded(attempt: Attempt, check: Callable[[], T]) -> T:
    """Run a password or code check unless locked; count it if it fails.

    The failure is written after ``check``'s own transaction has rolled back, so it stays.
    """
    refuse_if_locked(attempt)
    try:
        return check()
    except BadCredentials:
        note_failure(attempt)
        raise


def attempt_of(request: HttpRequest, username: str) -> Attempt:
    name = username.lower()
    return Attempt(username=name, ip=client_ip(request), device=_device(request, name))


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def _lifts_at(failures: QuerySet[LoginFailure], limit: int) -> datetime | None:
    """When fewer than ``limit`` of these failures will be left in the window, if locked now."""
    nth = failures.order_by("-at").values_list("at", flat=True)[limit - 1 : limit]
    found = next(iter(nth), None)
    return None if found is None else found + _window()


def locked_until(attempt: Attempt) -> datetime | None:
    recent = LoginFailure.objects.filter(at__gte=timezone.now() - _window())
    account = recent.filter(username=attempt.username)
    per_account = settings.LOGIN_FAILURES_PER_ACCOUNT
    if attempt.device:
        checks = [(account.filter(device=attempt.device), per_account)]
    else:
        checks = [
            (account.filter(ip=attempt.ip), per_account),
            (account, settings.LOGIN_FAILURES_PER_ACCOUNT_TOTAL),
        ]
        if attempt.ip:
            checks.append((recent.filter(ip=attempt.ip), settings.LOGIN_FAILURES_PER_IP))
    ends = [end for failures, limit in checks if (end := _lifts_at(failures, limit))]
    return max(ends, default=None)


def refuse_if_locked(attempt: Attempt) -> None:
    """Checked before the password or code, so that guessing gains nothing while locked."""
    until = locked_until(attempt)
    if until is not None:
        raise LoginLocked(until)


def note_failure(attempt: Attempt) -> None:
    LoginFailure.objects.create(
        username=attempt.username, ip=attempt.ip, device=attempt.device, at=timezone.now()
    )


def clear_failures(attempt: Attempt) -> None:
    """A successful sign-in forgives this browser's (or this address's) earlier mistakes on
    the account, not anyone else's: the victim signing in must not reset an attacker's count."""
    mine = LoginFailure.objects.filter(username=attempt.username)
    if attempt.device:
        mine.filter(device=attempt.device).delete()
    else:
        mine.filter(ip=attempt.ip, device="").delete()


def _device(request: HttpRequest, username: str) -> str:
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return ""
    try:
        data = signing.loads(raw, salt=DEVICE_SALT, max_age=timedelta(days=DEVICE_DAYS))
    except signing.BadSignature:
        return ""
    if not isinstance(data, dict) or data.get("u") != username:
        return ""
    device = data.get("d")
    return device if isinstance(device, str) else ""


def trust_browser(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """After a complete sign-in: this browser is the account's own from now on."""
    name = username.lower()
    device = _device(request, name) or secrets.token_hex(8)
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps({"u": name, "d": device}, salt=DEVICE_SALT),
        max_age=DEVICE_DAYS * 24 * 60 * 60,
        path=DEVICE_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def client_ip(request: object) -> str | None:
    """The client's address, for throttling and the audit trail.

    REMOTE_ADDR unless CLIENT_IP_HEADER names a header that the proxy in front of us sets
    itself (nginx: ``proxy_set_header X-Real-IP $remote_addr`` with
    ``CLIENT_IP_HEADER=HTTP_X_REAL_IP``). Never trust such a header without a proxy that
    overwrites it: anyone could then pick their own address and reset their count.
    """
    meta = getattr(request, "META", {})
    header = settings.CLIENT_IP_HEADER
    return (header and meta.get(header)) or meta.get("REMOTE_ADDR") or None
