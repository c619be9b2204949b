"""Every change leaves one audit event in its own transaction, chained to the one before."""

import pytest
from django.db import transaction
from django.test import Client

from karnameh.agencies.models import Agency
from karnameh.agencies.services import agency_update
from karnameh.audit.models import AuditEvent
from karnameh.audit.services import record, verify_chain
from karnameh.common.errors import DomainError


def test_a_change_writes_one_event_with_from_to_and_reason(demo, demo_user):
    # given
    agency = Agency.objects.get(code="AR-CU")
    # when
    agency_update(
        agency=agency,
        actor=demo_user("staff"),
        data={"name": "ادارهٔ کل فرهنگ و ارشاد اسلامی اردبیل", "is_active": False},
        reason="نامهٔ شمارهٔ ۱۲",
    )
    # then
    event = AuditEvent.objects.get(action="agency.update")
    assert event.actor_username == "staff"
    assert event.target_id == str(agency.pk)
    assert event.reason == "نامهٔ شمارهٔ ۱۲"
    assert event.changes == {
        "name": [
            "ادارهٔ کل فرهنگ و ارشاد اسلامی استان اردبیل",
            "ادارهٔ کل فرهنگ و ارشاد اسلامی اردبیل",
        ],
        "is_active": [True, False],
    }


def test_a_refused_change_leaves_no_event_and_no_change(demo, demo_user):
    # given
    agency = Agency.objects.get(code="AR-ED-01")
    before = AuditEvent.objects.count()
    # when
    with pytest.raises(DomainError):
        agency_update(agency=agency, actor=demo_user("staff"), data={"county": ""})
    # then
    assert AuditEvent.objects.count() == before
    assert Agency.objects.get(code="AR-ED-01").county == agency.county


def test_record_refuses_to_run_outside_a_transaction(transactional_db):
    with pytest.raises(RuntimeError):
        record(actor=None, action="test.outside")


def test_the_chain_holds_and_finds_the_first_altered_event(demo, demo_user):
    # given
    staff = demo_user("staff")
    for code in ["AR-CU", "AR-SP", "AR-JU"]:
        agency_update(agency=Agency.objects.get(code=code), actor=staff, data={"is_active": False})
    events = list(AuditEvent.objects.order_by("id"))
    assert verify_chain() is None
    # when
    AuditEvent.objects.filter(pk=events[1].pk).update(reason="rewritten later")
    # then
    broken = verify_chain()
    assert broken is not None
    assert broken.event_id == events[1].pk


def test_a_deleted_event_breaks_the_chain(demo, demo_user):
    # given
    staff = demo_user("staff")
    with transaction.atomic():
        for _ in range(3):
            record(actor=staff, action="test.event")
    events = list(AuditEvent.objects.order_by("id"))
    # when
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    # then
    assert verify_chain().event_id == events[2].pk


def test_staff_read_the_history_of_an_agency_and_only_their_provinces(demo, demo_user):
    # given
    agency_update(
        agency=Agency.objects.get(code="AR-SP"), actor=demo_user("admin"), data={"is_active": False}
    )
    agency_update(
        agency=Agency.objects.get(code="IL-IC"), actor=demo_user("admin"), data={"is_active": False}
    )
    client = Client()
    client.login(username="staff", password="demo")
    # when
    detail = client.get("/agencies/AR-SP/").content.decode()
    trail = client.get("/audit/").content.decode()
    # then
    assert "تاریخچهٔ تغییرات" in detail
    assert "دستگاه را تغییر داد" in detail
    assert "ورزش و جوانان" in trail
    assert "استانداری ایلام" not in trail
