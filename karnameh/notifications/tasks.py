"""Background work: emailing notifications and the daily reminders (django-tasks)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import Notification


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """Email each notification whose user has an address; returns how many were sent.

    Rows already emailed are skipped, so a retried task does not send twice.
    """
    sent = 0
    rows = (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .exclude(user__email="")
        .select_related("user")
    )
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    for row in rows:
        link = f"\n\n{base}{row.url}" if row.url and base else ""
        send_mail(
            subject=row.title,
            message=f"{row.body}{link}".strip() or row.title,
            from_email=None,
            recipient_list=[row.user.email],
        )
        Notification.objects.filter(pk=row.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


@task()
def remind() -> dict[str, int]:
    """The daily reminders, for a scheduler that enqueues tasks instead of running commands."""
    # Imported here: reminders use the services, which enqueue the task above.
    from .reminders import send_reminders

    sent = send_reminders()
    return {"reminders": sent.reminders, "notifications": sent.notifications}
