"""Staff browse, search, register and edit agencies; every refusal saves nothing."""

import pytest
from django.test import Client

from karnameh.agencies.models import Agency, Province
from karnameh.audit.models import AuditEvent
from karnameh.common.factories import AgencyTypeFactory, HeadquartersFactory, ProvincialUnitFactory


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="demo")
    return client


def test_staff_search_finds_names_typed_with_arabic_letters(demo):
    # when: «كل» with an Arabic kaf, as an Arabic keyboard types it
    page = _client("staff").get("/agencies/", {"q": "كل بهزيستي"}).content.decode()
    # then
    assert "ادارهٔ کل بهزیستی استان اردبیل" in page
    assert "ادارهٔ کل امور مالیاتی" not in page


def test_an_htmx_search_returns_only_the_rows(demo):
    # when
    response = _client("staff").get("/agencies/", {"q": "AR-ED"}, HTTP_HX_REQUEST="true")
    # then
    page = response.content.decode()
    assert "<html" not in page
    assert "ادارهٔ کل آموزش و پرورش استان اردبیل" in page


def _new_unit(**changes: str) -> dict[str, str]:
    data = {
        "code": "AR-LIB",
        "name": "ادارهٔ کل کتابخانه‌های عمومی استان اردبیل",
        "kind": "provincial_unit",
        "parent": str(Agency.objects.get(code="CU").pk),
        "province": str(Province.objects.get(code="ardabil").pk),
        "county": "",
        "agency_type": str(Agency.objects.get(code="CU").agency_type_id),
        "is_active": "on",
        "reason": "",
    }
    return {**data, **changes}


def test_staff_register_a_unit_of_their_province_and_it_is_audited(demo):
    # when
    response = _client("staff").post("/agencies/new/", _new_unit())
    # then
    assert response.status_code == 302
    agency = Agency.objects.get(code="AR-LIB")
    assert agency.headquarters == Agency.objects.get(code="CU")
    assert AuditEvent.objects.filter(action="agency.create", target_id=str(agency.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"code": "AR-ED"}, "کد AR-ED پیش‌تر برای دستگاه دیگری ثبت شده است."),
        ({"kind": "county_unit", "parent": "AR-ED"}, "نام شهرستان را وارد کنید"),
        ({"code": "new"}, "«new» را نمی‌توان کد دستگاه گذاشت."),
        ({"code": "کد/۱"}, "کد «کد/1» فقط می‌تواند حروف لاتین"),
    ],
)
def test_bad_registrations_are_refused_with_a_message_and_save_nothing(demo, changes, says):
    # given
    if changes.get("parent"):
        changes["parent"] = str(Agency.objects.get(code=changes["parent"]).pk)
    count, events = Agency.objects.count(), AuditEvent.objects.count()
    # when
    response = _client("staff").post("/agencies/new/", _new_unit(**changes))
    # then
    assert response.status_code == 200
    assert says in response.content.decode()
    assert Agency.objects.count() == count
    assert AuditEvent.objects.count() == events


def test_staff_cannot_register_a_unit_in_another_province(demo):
    # given
    ilam = Province.objects.get(code="ilam")
    # when
    response = _client("staff").post("/agencies/new/", _new_unit(province=str(ilam.pk)))
    # then
    assert response.status_code == 200
    assert not Agency.objects.filter(code="AR-LIB").exists()


def test_staff_edit_with_a_reason_and_the_page_shows_it(demo):
    # given
    agency = Agency.objects.get(code="AR-SP")
    data = _new_unit(
        code="AR-SP",
        name="ادارهٔ کل ورزش و جوانان اردبیل",
        parent=str(agency.parent_id),
        agency_type=str(agency.agency_type_id),
        reason="تغییر نام رسمی",
    )
    # when
    response = _client("staff").post("/agencies/AR-SP/edit/", data)
    # then
    assert response.status_code == 302
    assert Agency.objects.get(code="AR-SP").name == "ادارهٔ کل ورزش و جوانان اردبیل"
    page = _client("staff").get("/agencies/AR-SP/").content.decode()
    assert "تغییر نام رسمی" in page


def test_the_list_costs_the_same_queries_for_five_or_forty_agencies(
    db, django_assert_max_num_queries
):
    from karnameh.common.factories import user_with_role

    # given
    province = Province.objects.create(code="px", name="استان آزمایشی")
    staff = user_with_role("staff", province=province)
    hq = HeadquartersFactory(agency_type=AgencyTypeFactory())
    client = Client()
    client.force_login(staff)
    ProvincialUnitFactory.create_batch(5, parent=hq, province=province)
    with django_assert_max_num_queries(10) as few:
        client.get("/agencies/")
    ProvincialUnitFactory.create_batch(35, parent=hq, province=province)
    # when
    with django_assert_max_num_queries(10) as many:
        response = client.get("/agencies/")
    # then
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_form_lists_no_unit_of_another_province_as_a_parent(demo):
    # when
    page = _client("staff").get("/agencies/new/").content.decode()
    # then
    assert "وزارت آموزش و پرورش" in page
    assert "ادارهٔ کل آموزش و پرورش استان اردبیل" in page
    assert "ادارهٔ کل آموزش و پرورش استان ایلام" not in page
