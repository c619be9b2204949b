"""Reading notifications: a person sees only their own."""

from typing import Any

from django.db.models import QuerySet

from .models import Notification


def own_notifications(user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first; someone else's are simply not there (404)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    return own_notifications(user).filter(read_at__isnull=True).count()
