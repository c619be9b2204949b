import datetime as dt

from karnameh.accounts.models import Role
from karnameh.agencies.models import Agency
from karnameh.common.factories import user_with_role
from karnameh.common.text import persian_digits
from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import Participation
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.notifications.models import Notification
from karnameh.notifications.services import (
    notify_cycle_published,
    notify_extension,
    notify_transition,
)


def _told() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("user__username", "kind"))


def test_cycle_published_tells_participating_agencies_and_their_hq(demo):
    # given
    cycle = open_cycle(agencies=["AR-ED", "AR-TAX"])
    user_with_role(Role.AGENCY, agency=Agency.objects.get(code="IL-ED"))

    # when
    created = notify_cycle_published(cycle)

    # then
    assert created == 3
    assert _told() == [
        ("agency", "cycle_published"),
        ("hq", "cycle_published"),
        ("office", "cycle_published"),
    ]
    row = Notification.objects.first()
    assert row is not None
    assert row.url == f"/cycles/{cycle.pk}/"
    assert persian_digits(1403) in row.title


def test_submit_gives_the_agency_a_receipt_and_asks_the_office_to_approve(demo_user):
    # given
    p = participation(open_cycle(), "AR-ED")
    Participation.objects.filter(pk=p.pk).update(receipt="1403-0042")
    p.refresh_from_db()
    other_agency_user = user_with_role(Role.AGENCY, agency=p.agency)

    # when
    created = notify_transition(participation=p, name="submit", actor=demo_user("agency"))

    # then: the actor themself is not told
    assert created == 2
    assert sorted(Notification.objects.values_list("user__username", "kind")) == sorted(
        [(other_agency_user.username, "submitted"), ("office", "approval_needed")]
    )
    receipt = Notification.objects.get(kind="submitted")
    assert persian_digits("1403-0042") in receipt.body
    assert receipt.url == f"/assessments/{p.cycle_id}/AR-ED/"


def test_office_approval_goes_to_the_hq_above_the_agency(demo_user):
    # given
    p = participation(open_cycle(), "AR-ED")

    # when
    notify_transition(participation=p, name="office_approve", actor=demo_user("office"))

    # then
    assert _told() == [("hq", "approval_needed")]


def test_office_approval_without_an_hq_tells_the_office_it_may_transfer(demo_user):
    # given
    cycle = open_cycle(agencies=["AR-ED", "ED"])
    p = participation(cycle, "ED")
    colleague = user_with_role(Role.PERFORMANCE_OFFICE, agency=p.agency)
    actor = user_with_role(Role.PERFORMANCE_OFFICE, agency=p.agency)

    # when
    notify_transition(participation=p, name="office_approve", actor=actor)

    # then
    assert _told() == [(colleague.username, "ready_to_transfer")]


def test_hq_approval_tells_the_agency(demo_user):
    # given
    p = participation(open_cycle(), "AR-ED")

    # when
    notify_transition(participation=p, name="hq_approve", actor=demo_user("hq"))

    # then
    assert _told() == [("agency", "approved")]


def test_transfer_tells_the_province_staff_and_the_agency(demo_user):
    # given
    p = participation(open_cycle(), "AR-ED")
    user_with_role(Role.STAFF, province=Agency.objects.get(code="IL-ED").province)

    # when
    notify_transition(participation=p, name="transfer", actor=demo_user("hq"))

    # then: Ilam's staff hear nothing
    assert _told() == [("agency", "transferred"), ("staff", "transferred")]


def test_a_return_sends_the_notes_to_the_agency_and_its_office(demo_user):
    # given
    p = participation(open_cycle(), "AR-ED")

    # when
    created = notify_transition(
        participation=p, name="hq_return", actor=demo_user("hq"), reason="جدول ۲ ناقص است"
    )

    # then
    assert created == 2
    assert _told() == [("agency", "returned"), ("office", "returned")]
    assert all("جدول ۲ ناقص است" in n.body for n in Notification.objects.all())


def test_return_of_a_transfer_by_staff_reaches_the_agency(demo_user):
    # given
    p = participation(open_cycle(), "AR-ED")

    # when
    notify_transition(participation=p, name="return_transfer", actor=demo_user("staff"), reason="x")

    # then
    assert _told() == [("agency", "returned"), ("office", "returned")]


def test_withdraw_and_revokes_tell_whoever_was_waiting(demo_user):
    # given
    p = participation(open_cycle(), "AR-ED")

    # when
    notify_transition(participation=p, name="withdraw", actor=demo_user("agency"), reason="r")
    notify_transition(participation=p, name="office_revoke", actor=demo_user("office"))
    notify_transition(participation=p, name="hq_revoke", actor=demo_user("hq"))

    # then
    assert _told() == [("hq", "revoked"), ("office", "revoked"), ("office", "withdrawn")]


def test_extension_gives_the_new_deadline_in_jalali(demo_user):
    # given
    p = participation(open_cycle(), "AR-ED")
    p.extended_until = dt.datetime(2024, 7, 22, tzinfo=TEHRAN)  # the end of 1403/04/31
    p.extension_reason = "قطعی برق"

    # when
    created = notify_extension(participation=p, actor=demo_user("staff"))

    # then
    assert created == 2
    assert _told() == [("agency", "extension"), ("office", "extension")]
    row = Notification.objects.first()
    assert row is not None
    assert "۱۴۰۳/۰۴/۳۱" in row.title
    assert "قطعی برق" in row.body
