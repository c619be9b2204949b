from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from karnameh.accounts.models import User
from karnameh.notifications.models import Notification
from karnameh.notifications.services import notify

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_emails_wait_for_the_worker(demo):
    # given
    User.objects.filter(username="agency").update(email="agency@example.ir")
    agency = User.objects.get(username="agency")

    with override_settings(TASKS=DATABASE_TASKS):
        # when: the change commits, the email is only queued
        with transaction.atomic():
            notify(users=[agency], kind="deadline", title="مهلت")
        queued = DBTaskResult.objects.count()
        outbox_before = len(mail.outbox)
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())

    # then
    assert (queued, outbox_before) == (1, 0)
    assert [m.to for m in mail.outbox] == [["agency@example.ir"]]
    assert Notification.objects.get().emailed_at is not None
