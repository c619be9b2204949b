import time_machine
from django.test import Client
from django.utils import timezone

from karnameh.notifications.models import Notification
from karnameh.notifications.services import notify
from tests.test_persian_digits import ascii_digits_shown


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _notify(user, count: int = 1, url: str = "/cycles/7/") -> None:
    for number in range(count):
        notify(users=[user], kind="deadline", title=f"مهلت {number}", body="بند 3", url=url)


def test_the_list_shows_own_notifications_newest_first_with_persian_digits(demo_user):
    # given
    agency, staff = demo_user("agency"), demo_user("staff")
    with time_machine.travel("2024-06-03 10:00Z", tick=False):
        notify(users=[agency], kind="deadline", title="قدیمی ۱")
    with time_machine.travel("2024-06-04 10:00Z", tick=False):
        notify(users=[agency], kind="deadline", title="تازه ۲")
    notify(users=[staff], kind="deadline", title="مال دیگری")

    # when
    response = _client(agency).get("/notifications/")

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("تازه ۲") < page.index("قدیمی ۱")
    assert "مال دیگری" not in page
    assert "۱۴۰۳/۰۳/۱۵" in page  # 2024-06-04 in Tehran
    assert ascii_digits_shown(page) == []
    assert page.count('data-read="no"') == 2


def test_the_header_shows_the_unread_count(demo_user):
    # given
    agency = demo_user("agency")
    _notify(agency, 3)
    Notification.objects.filter(pk=Notification.objects.first().pk).update(read_at=timezone.now())

    # when
    page = _client(agency).get("/").content.decode()

    # then
    assert 'data-testid="unread-count">۲<' in page


def test_the_list_costs_the_same_with_few_or_many_notifications(
    demo_user, django_assert_max_num_queries
):
    # given
    agency = demo_user("agency")
    client = _client(agency)
    _notify(agency, 2)
    with django_assert_max_num_queries(15) as few:
        client.get("/notifications/")

    # when
    _notify(agency, 40)
    with django_assert_max_num_queries(15) as many:
        response = client.get("/notifications/")

    # then
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_mark_one_read(demo_user):
    # given
    agency = demo_user("agency")
    _notify(agency, 2)
    first, second = Notification.objects.order_by("pk")

    # when
    response = _client(agency).post(f"/notifications/{first.pk}/read/")

    # then
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_mark_all_read_touches_only_own(demo_user):
    # given
    agency, office = demo_user("agency"), demo_user("office")
    _notify(agency, 2)
    _notify(office, 1)

    # when
    response = _client(agency).post("/notifications/read-all/")

    # then
    assert response.status_code == 302
    assert not Notification.objects.filter(user=agency, read_at__isnull=True).exists()
    assert Notification.objects.get(user=office).read_at is None


def test_someone_elses_notification_is_not_found_and_stays_unread(demo_user):
    # given
    office = demo_user("office")
    _notify(office)
    theirs = Notification.objects.get()
    client = _client(demo_user("agency"))

    # when
    read = client.post(f"/notifications/{theirs.pk}/read/")
    opened = client.get(f"/notifications/{theirs.pk}/open/")

    # then
    assert (read.status_code, opened.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_following_a_notification_marks_it_read_and_goes_to_its_link(demo_user):
    # given
    agency = demo_user("agency")
    _notify(agency, url="/cycles/7/")
    row = Notification.objects.get()

    # when
    response = _client(agency).get(f"/notifications/{row.pk}/open/")

    # then
    assert response.status_code == 302
    assert response["Location"] == "/cycles/7/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_a_link_outside_the_site_is_never_followed(demo_user):
    # given
    agency = demo_user("agency")
    _notify(agency, url="https://example.com/phish")
    row = Notification.objects.get()

    # when
    response = _client(agency).get(f"/notifications/{row.pk}/open/")

    # then
    assert response["Location"] == "/notifications/"


def test_marking_read_needs_post(demo_user):
    # given
    agency = demo_user("agency")
    _notify(agency)
    row = Notification.objects.get()

    # when
    response = _client(agency).get(f"/notifications/{row.pk}/read/")

    # then
    assert response.status_code == 405
    row.refresh_from_db()
    assert row.read_at is None


def test_api_lists_own_notifications_only(demo_user):
    # given
    agency, office = demo_user("agency"), demo_user("office")
    _notify(agency, 2)
    _notify(office, 1)

    # when
    response = _client(agency).get("/api/v1/notifications/")

    # then
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert {item["kind"] for item in data["items"]} == {"deadline"}
    assert [item["title"] for item in data["items"]] == ["مهلت 1", "مهلت 0"]


def test_api_marks_one_read_and_hides_others(demo_user):
    # given
    agency, office = demo_user("agency"), demo_user("office")
    _notify(agency)
    _notify(office)
    mine = Notification.objects.get(user=agency)
    theirs = Notification.objects.get(user=office)
    client = _client(agency)

    # when
    ok = client.post(f"/api/v1/notifications/{mine.pk}/read")
    refused = client.post(f"/api/v1/notifications/{theirs.pk}/read")

    # then
    assert ok.status_code == 200
    assert ok.json()["read_at"] is not None
    assert refused.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
