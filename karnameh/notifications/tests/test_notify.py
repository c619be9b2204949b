from django.core import mail
from django.db import transaction

from karnameh.accounts.models import User
from karnameh.notifications.models import Notification
from karnameh.notifications.services import notify


def test_notify_writes_one_row_per_active_user_and_emails_after_commit(
    demo_user, django_capture_on_commit_callbacks
):
    # given
    staff, agency, office = demo_user("staff"), demo_user("agency"), demo_user("office")
    User.objects.filter(pk=office.pk).update(is_active=False)
    office.refresh_from_db()
    User.objects.filter(pk=agency.pk).update(email="")
    agency.refresh_from_db()
    User.objects.filter(pk=staff.pk).update(email="staff@example.ir")
    staff.refresh_from_db()

    # when
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        created = notify(
            users=[staff, staff, agency, office],
            kind="submitted",
            title="ارسال شد",
            body="متن",
            url="/cycles/1/",
        )
        assert mail.outbox == []

    # then
    assert created == 2
    rows = Notification.objects.order_by("user__username")
    assert [(n.user.username, n.kind, n.url) for n in rows] == [
        ("agency", "submitted", "/cycles/1/"),
        ("staff", "submitted", "/cycles/1/"),
    ]
    assert [m.to for m in mail.outbox] == [["staff@example.ir"]]
    assert mail.outbox[0].subject == "ارسال شد"
    assert rows.get(user=staff).emailed_at is not None
    assert rows.get(user=agency).emailed_at is None


def test_notify_sends_nothing_when_the_change_rolls_back(
    demo_user, django_capture_on_commit_callbacks
):
    # given
    staff = demo_user("staff")

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(users=[staff], kind="deadline", title="t")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    # then
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_notify_with_nobody_creates_nothing(db):
    # when
    created = notify(users=[], kind="deadline", title="t")

    # then
    assert created == 0
    assert Notification.objects.count() == 0
