"""Login throttling per account and per address, kept in the database so that every
gunicorn worker and every app server sees the same count."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from karnameh.common.text import persian_digits

from .models import LoginFailure


def _since() -> datetime:
    return timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def is_locked(*, username: str, ip: str | None) -> bool:
    since = _since()
    recent = LoginFailure.objects.filter(at__gte=since)
    if recent.filter(username=username.lower()).count() >= settings.LOGIN_FAILURES_PER_ACCOUNT:
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= settings.LOGIN_FAILURES_PER_IP


def note_failure(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username.lower(), ip=ip, at=timezone.now())


def clear_failures(*, username: str) -> None:
    """A successful login forgives the account's earlier mistakes (not the address's)."""
    LoginFailure.objects.filter(username=username.lower()).delete()


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


def window_minutes_display() -> str:
    return persian_digits(settings.LOGIN_FAILURE_WINDOW_MINUTES)
