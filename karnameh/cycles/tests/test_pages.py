"""The cycle pages: who sees what, forms that save through the services, Persian digits."""

import pytest
import time_machine
from django.test import Client

from karnameh.agencies.models import Agency, AgencyType
from karnameh.catalogue.models import Catalogue
from karnameh.common.jalali import format_jalali_date
from karnameh.cycles.models import Cycle, CycleStatus, Step, Workshop
from karnameh.cycles.services import circular_attach, workshop_save
from karnameh.cycles.tests.builders import DEMO_CATALOGUE, open_cycle, step_day
from karnameh.cycles.tests.helpers import circular_file, client, events, new_draft
from karnameh.notifications.models import Notification
from tests.test_persian_digits import ascii_digits_shown


@pytest.mark.parametrize(
    ("username", "status"),
    [("staff", 200), ("agency", 200), ("hq", 200), ("evaluator", 200), ("national", 200)],
)
def test_the_list_answers_every_role(demo, username, status):
    # given
    open_cycle()
    # when
    response = client(username).get("/cycles/")
    # then
    assert response.status_code == status
    assert ascii_digits_shown(response.content.decode()) == []


def test_the_list_asks_to_sign_in(demo):
    assert Client().get("/cycles/").status_code == 302


def test_an_agency_lists_only_published_cycles_it_takes_part_in(demo, demo_user):
    # given
    open_cycle()
    new_draft(demo_user("staff"))
    open_cycle(year=1402, agencies=["AR-EF"])
    # when
    page = client("agency").get("/cycles/").content.decode()
    # then
    assert "ارزیابی عملکرد ۱۴۰۳ استان اردبیل" in page
    assert "۱۴۰۴" not in page and "۱۴۰۲" not in page


@pytest.mark.parametrize(
    ("username", "draft", "province", "status"),
    [
        ("staff", True, "ardabil", 200),
        ("evaluator", True, "ardabil", 200),
        ("agency", False, "ardabil", 200),
        ("hq", False, "ardabil", 200),
        ("agency", True, "ardabil", 404),
        ("hq", True, "ardabil", 404),
        ("staff", False, "ilam", 404),
        ("agency", False, "ilam", 404),
    ],
)
def test_who_sees_a_cycle(demo, username, draft, province, status):
    # given
    agencies = ["AR-ED"] if province == "ardabil" else ["IL-ED"]
    cycle = open_cycle(province=province, agencies=agencies, published=not draft)
    # when
    response = client(username).get(f"/cycles/{cycle.pk}/")
    # then
    assert response.status_code == status


def test_the_calendar_marks_todays_step_and_the_late_ones(demo, demo_user):
    # given
    cycle = open_cycle()
    Step.objects.filter(cycle=cycle, number=1).update(actual_end=step_day(cycle, 1))
    # when
    with time_machine.travel(step_day(cycle, 6, offset=3), tick=False):
        page = client("staff").get(f"/cycles/{cycle.pk}/").content.decode()
    # then
    assert page.count('aria-current="step"') == 1
    current = page.split('aria-current="step"')[1].split("</tr>")[0]
    assert current.split("<td>")[1].startswith("۶</td>")
    assert page.count("badge text-bg-danger") == 4  # steps 2 to 5; step 1 ended
    assert "۱۴۰۳/۰۳/۱۴" in page  # step 6 begins
    assert ascii_digits_shown(page) == []


def test_an_agency_sees_a_published_cycle_read_only(demo):
    # given
    cycle = open_cycle()
    # when
    page = client("agency").get(f"/cycles/{cycle.pk}/").content.decode()
    # then
    assert f"/cycles/{cycle.pk}/calendar/" not in page
    assert f"/cycles/{cycle.pk}/participants/" not in page
    assert "ادارهٔ کل امور مالیاتی استان اردبیل" not in page  # another participant
    assert "ادارهٔ کل آموزش و پرورش استان اردبیل" in page


def _create_data(**changes: str) -> dict[str, str]:
    data = {
        "year": "۱۴۰۴",
        "level": "provincial",
        "province": str(demo_province()),
        "general_catalogue": str(Catalogue.objects.get(code=DEMO_CATALOGUE).pk),
        "title": "ارزیابی عملکرد ۱۴۰۴ استان اردبیل",
        "start": "۱۴۰۴/۰۱/۰۱",
        "general": "۶۰",
        "specific": "۴۰",
    }
    return {**data, **changes}


def demo_province() -> int:
    from karnameh.agencies.models import Province

    return Province.objects.get(code="ardabil").pk


def test_staff_create_a_cycle_with_a_jalali_start(demo):
    # when
    response = client("staff").post("/cycles/new/", _create_data())
    # then
    assert response.status_code == 302
    cycle = Cycle.objects.get(year=1404)
    assert cycle.composition == {"general": 60, "specific": 40}
    assert cycle.steps.get(number=1).planned_start.isoformat() == "2025-03-21"


@pytest.mark.parametrize(
    ("changes", "says"),
    [({"start": "۱۴۰۴/۱۳/۰۱"}, None), ({"general": "۷۰"}, "۱۰۰")],
)
def test_bad_input_on_the_create_form_saves_nothing(demo, changes, says):
    # when
    response = client("staff").post("/cycles/new/", _create_data(**changes))
    # then
    assert response.status_code == 200
    if says:
        assert says in response.content.decode()
    assert Cycle.objects.count() == 0


@pytest.mark.parametrize(("username", "status"), [("staff", 200), ("agency", 403), ("hq", 403)])
def test_the_create_form_is_for_staff(demo, username, status):
    # when
    response = client(username).get("/cycles/new/")
    # then
    assert response.status_code == status
    if status == 200:
        assert ascii_digits_shown(response.content.decode()) == []


def _edit_pages(cycle: Cycle, workshop: Workshop) -> list[str]:
    base = f"/cycles/{cycle.pk}"
    return [
        f"{base}/edit/",
        f"{base}/calendar/",
        f"{base}/participants/",
        f"{base}/weights/",
        f"{base}/weights/social/",
        f"{base}/workshops/new/",
        f"{base}/workshops/{workshop.pk}/",
        f"{base}/workshops/{workshop.pk}/edit/",
    ]


def _workshop(actor, cycle: Cycle) -> Workshop:
    return workshop_save(
        actor=actor,
        cycle=cycle,
        step=4,
        title="کارگاه آموزشی ۱",
        audience="agencies",
        starts_at=step_day(cycle, 4),
        place="سالن ۲",
    )


def test_staff_edit_pages_show_only_persian_digits(demo, demo_user):
    # given
    cycle = open_cycle()
    workshop = _workshop(demo_user("staff"), cycle)
    staff = client("staff")
    for path in _edit_pages(cycle, workshop):
        # when
        response = staff.get(path)
        # then
        assert response.status_code == 200, path
        assert ascii_digits_shown(response.content.decode()) == [], path


@pytest.mark.parametrize(
    ("username", "draft", "status"),
    [("agency", False, 403), ("agency", True, 404), ("evaluator", True, 403)],
)
def test_edit_pages_refuse_others(demo, demo_user, username, draft, status):
    # given
    cycle = open_cycle(published=not draft)
    workshop = _workshop(demo_user("staff"), cycle)
    someone = client(username)
    for path in _edit_pages(cycle, workshop):
        # when / then
        assert someone.get(path).status_code == status, path


def test_the_calendar_saves_all_steps_or_none(demo):
    # given
    cycle = open_cycle()
    before = list(cycle.steps.values_list("planned_start", "planned_end"))
    data = {}
    for step in cycle.steps.all():
        data[f"step{step.number}-planned_start"] = format_jalali_date(step.planned_start)
        data[f"step{step.number}-planned_end"] = format_jalali_date(step.planned_end)
    data["step2-planned_end"] = "۱۴۰۳/۰۱/۲۰"
    data["step9-planned_end"] = "۱۴۰۰/۰۱/۰۱"  # before it starts
    # when
    response = client("staff").post(f"/cycles/{cycle.pk}/calendar/", data)
    # then
    assert response.status_code == 200
    assert "۹" in response.content.decode()
    assert list(cycle.steps.values_list("planned_start", "planned_end")) == before
    assert events("cycle.step_update") == 0
    # when: corrected
    data["step9-planned_end"] = format_jalali_date(cycle.steps.get(number=9).planned_end)
    response = client("staff").post(f"/cycles/{cycle.pk}/calendar/", data)
    # then
    assert response.status_code == 302
    assert cycle.steps.get(number=2).planned_end.isoformat() == "2024-04-08"


def test_participants_are_chosen_by_ticking(demo):
    # given
    cycle = open_cycle(agencies=["AR-ED"])
    picked = Agency.objects.filter(code__in=["AR-ED", "AR-RD"]).values_list("pk", flat=True)
    # when
    response = client("staff").post(
        f"/cycles/{cycle.pk}/participants/", {"agencies": [str(pk) for pk in picked]}
    )
    # then
    assert response.status_code == 302
    assert set(cycle.participations.values_list("agency__code", flat=True)) == {"AR-ED", "AR-RD"}


def test_weights_are_saved_per_agency_type(demo):
    # given
    cycle = open_cycle()
    page = client("staff").get(f"/cycles/{cycle.pk}/weights/social/").content.decode()
    assert 'name="w0"' in page
    # when
    response = client("staff").post(f"/cycles/{cycle.pk}/weights/social/", {"w0": "۲"})
    # then
    assert response.status_code == 302
    saved = cycle.weight_sets.get(agency_type=AgencyType.objects.get(code="social"))
    assert list(saved.weights.values()) == [2]


def test_a_draft_gets_its_circular_and_is_published_from_its_page(demo, demo_user):
    # given
    cycle = open_cycle(published=False, agencies=["AR-ED"])
    staff = client("staff")
    # when
    staff.post(f"/cycles/{cycle.pk}/circular/upload/", {"upload": circular_file()})
    response = staff.post(f"/cycles/{cycle.pk}/publish/")
    # then
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.PUBLISHED
    assert Notification.objects.filter(kind="cycle_published", user__username="agency").exists()


def test_publishing_without_a_circular_says_so_and_changes_nothing(demo):
    # given
    cycle = open_cycle(published=False, agencies=["AR-ED"])
    # when
    response = client("staff").post(f"/cycles/{cycle.pk}/publish/", follow=True)
    # then
    assert "alert" in response.content.decode()
    assert Cycle.objects.get(pk=cycle.pk).status == CycleStatus.DRAFT


def test_the_circular_is_downloaded_by_those_who_see_the_cycle(demo, demo_user):
    # given
    draft = open_cycle(published=False, agencies=["AR-ED"])
    circular_attach(actor=demo_user("staff"), cycle=draft, upload=circular_file())
    # when / then
    response = client("staff").get(f"/cycles/{draft.pk}/circular/")
    assert response.status_code == 200
    assert response.getvalue().startswith(b"%PDF")
    assert client("agency").get(f"/cycles/{draft.pk}/circular/").status_code == 404
    Cycle.objects.filter(pk=draft.pk).update(status=CycleStatus.PUBLISHED)
    assert client("agency").get(f"/cycles/{draft.pk}/circular/").status_code == 200


def test_a_workshop_is_planned_with_materials_and_attendance(demo, demo_user):
    # given
    cycle = open_cycle(agencies=["AR-ED"])
    staff = client("staff")
    # when
    response = staff.post(
        f"/cycles/{cycle.pk}/workshops/new/",
        {
            "step": "4",
            "title": "کارگاه خودارزیابی",
            "audience": "agencies",
            "day": "۱۴۰۳/۰۱/۱۲",
            "time": "۰۹:۳۰",
            "place": "سالن همایش",
        },
    )
    # then
    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert workshop.starts_at.isoformat() == "2024-03-31T06:00:00+00:00"
    # when
    staff.post(
        f"/cycles/{cycle.pk}/workshops/{workshop.pk}/", {"upload": circular_file("اسلاید.pdf")}
    )
    agency = Agency.objects.get(code="AR-ED")
    staff.post(
        f"/cycles/{cycle.pk}/workshops/{workshop.pk}/",
        {f"name_{agency.pk}": "مریم کریمی", f"came_{agency.pk}": "on", "other_name_0": "مهمان"},
    )
    # then
    assert workshop.materials.count() == 1
    assert set(workshop.attendance.values_list("name", "attended")) == {
        ("مریم کریمی", True),
        ("مهمان", False),
    }
    page = client("agency").get(f"/cycles/{cycle.pk}/").content.decode()
    assert "کارگاه خودارزیابی" in page and "اسلاید.pdf" in page
    material = workshop.materials.get()
    download = client("agency").get(
        f"/cycles/{cycle.pk}/workshops/{workshop.pk}/files/{material.pk}/"
    )
    assert download.status_code == 200


def _queries(path: str, django_assert_max_num_queries) -> int:
    staff = client("staff")
    with django_assert_max_num_queries(30) as captured:
        response = staff.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_list_costs_the_same_with_one_or_many_cycles(demo, django_assert_max_num_queries):
    # given
    open_cycle(year=1401)
    few = _queries("/cycles/", django_assert_max_num_queries)
    # when
    for year in (1395, 1396, 1397, 1398, 1399):
        open_cycle(year=year)
    many = _queries("/cycles/", django_assert_max_num_queries)
    # then
    assert many == few


def test_the_detail_costs_the_same_with_one_or_many_participants(
    demo, demo_user, django_assert_max_num_queries
):
    # given
    one = open_cycle(year=1401, agencies=["AR-ED"])
    _workshop(demo_user("staff"), one)
    codes = list(Agency.objects.filter(province__code="ardabil").values_list("code", flat=True))
    many = open_cycle(year=1402, agencies=codes[:20])
    _workshop(demo_user("staff"), many)
    _workshop(demo_user("staff"), many)
    # when
    few_queries = _queries(f"/cycles/{one.pk}/", django_assert_max_num_queries)
    many_queries = _queries(f"/cycles/{many.pk}/", django_assert_max_num_queries)
    # then
    assert many_queries == few_queries
