"""Telling people what happened: ``notify()`` and the notices other apps' services send.

Callers run these inside their own transaction: the rows are written with the change, and the
emails go out only after it commits (a rolled-back change sends nothing).
"""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Notification
from .tasks import email_notifications


def _enqueue_emails(ids: list[int]) -> None:
    email_notifications.enqueue(ids)


def notify(*, users: Iterable[Any], kind: str, title: str, body: str = "", url: str = "") -> int:
    """One notification per distinct active user; emailed after commit. Returns the count."""
    seen: set[int] = set()
    recipients = []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        recipients.append(user)
    if not recipients:
        return 0
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        [
            Notification(
                user=user, kind=kind, title=title[:300], body=body, url=url, created_at=now
            )
            for user in recipients
        ]
    )
    ids = [row.pk for row in rows if row.pk is not None]
    if len(ids) != len(rows):
        # Backends that do not return keys from a bulk insert: find the rows just written.
        ids = list(
            Notification.objects.filter(user__in=recipients, kind=kind, created_at=now).values_list(
                "pk", flat=True
            )
        )
    transaction.on_commit(partial(_enqueue_emails, ids))
    return len(rows)
