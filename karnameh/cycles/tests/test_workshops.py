"""Workshops of steps 2 and 4, their materials and attendance."""

import datetime as dt

import pytest

from karnameh.agencies.models import Agency
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import Attendance, Workshop
from karnameh.cycles.services import attendance_record, workshop_material_add, workshop_save
from karnameh.cycles.tests.builders import open_cycle
from karnameh.cycles.tests.helpers import circular_file, events, exe_file

WHEN = dt.datetime(2024, 4, 1, 9, tzinfo=TEHRAN)


def _save(actor, cycle, **changes):
    data = {
        "step": 4,
        "title": "آشنایی با شاخص‌های عمومی",
        "audience": "agencies",
        "starts_at": WHEN,
        "place": "سالن اجتماعات سازمان",
        "description": "",
    }
    return workshop_save(actor=actor, cycle=cycle, **{**data, **changes})


def test_staff_plan_and_change_a_workshop(demo, demo_user):
    # given
    cycle = open_cycle()
    workshop = _save(demo_user("staff"), cycle)
    # when
    _save(demo_user("staff"), cycle, workshop=workshop, place="تالار وحدت")
    # then
    workshop.refresh_from_db()
    assert workshop.place == "تالار وحدت"
    assert workshop.starts_at == WHEN
    assert events("workshop.create") == events("workshop.update") == 1


@pytest.mark.parametrize(
    ("changes", "code"),
    [({"step": 6}, "invalid_step"), ({"audience": "public"}, "invalid_audience")],
)
def test_a_workshop_belongs_to_step_two_or_four(demo, demo_user, changes, code):
    # given
    cycle = open_cycle()
    # when
    with pytest.raises(DomainError) as refused:
        _save(demo_user("staff"), cycle, **changes)
    # then
    assert refused.value.code == code
    assert Workshop.objects.count() == 0
    assert events("workshop.create") == 0


@pytest.mark.parametrize("username", ["agency", "evaluator"])
def test_only_staff_plan_workshops(demo, demo_user, username):
    # when
    with pytest.raises(Forbidden):
        _save(demo_user(username), open_cycle())
    # then
    assert Workshop.objects.count() == 0


def test_materials_are_stored_and_a_program_is_refused(demo, demo_user):
    # given
    workshop = _save(demo_user("staff"), open_cycle())
    # when
    stored = workshop_material_add(
        actor=demo_user("staff"), workshop=workshop, upload=circular_file("اسلایدها.pdf")
    )
    with pytest.raises(DomainError):
        workshop_material_add(actor=demo_user("staff"), workshop=workshop, upload=exe_file())
    # then
    assert list(workshop.materials.all()) == [stored]
    assert events("workshop.material") == 1


def test_attendance_is_replaced_as_a_whole(demo, demo_user):
    # given
    workshop = _save(demo_user("staff"), open_cycle())
    ed, ef = Agency.objects.get(code="AR-ED"), Agency.objects.get(code="AR-EF")
    attendance_record(actor=demo_user("staff"), workshop=workshop, rows=[(ed, None, "", False)])
    # when
    attendance_record(
        actor=demo_user("staff"),
        workshop=workshop,
        rows=[
            (ed, None, "خانم کریمی", True),
            (ef, None, "", False),
            (None, demo_user("evaluator"), "", True),
        ],
    )
    # then
    rows = set(Attendance.objects.values_list("name", "attended"))
    assert rows == {("خانم کریمی", True), (ef.name, False), ("علی حسینی", True)}
    assert events("workshop.attendance") == 2


@pytest.mark.parametrize(
    ("row", "says"),
    [
        ((None, None, "  ", True), "۱"),
        (("IL-ED", None, "", True), "ادارهٔ کل آموزش و پرورش استان ایلام"),
    ],
)
def test_bad_attendance_rows_are_refused_naming_the_row(demo, demo_user, row, says):
    # given
    workshop = _save(demo_user("staff"), open_cycle())
    agency = Agency.objects.get(code=row[0]) if row[0] else None
    # when
    with pytest.raises(DomainError) as refused:
        attendance_record(actor=demo_user("staff"), workshop=workshop, rows=[(agency, *row[1:])])
    # then
    assert says in refused.value.message
    assert Attendance.objects.count() == 0
    assert events("workshop.attendance") == 0
