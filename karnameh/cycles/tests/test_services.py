"""The cycle services: each allowed change is saved and audited; each refusal changes nothing."""

import datetime as dt

import pytest
import time_machine

from karnameh.agencies.models import Agency, AgencyType, Province
from karnameh.catalogue.models import Catalogue, Kind, Status
from karnameh.catalogue.services import catalogue_freeze
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.models import Cycle, CycleStatus, Participation, Step, WeightSet
from karnameh.cycles.services import (
    circular_attach,
    cycle_create,
    cycle_publish,
    cycle_update,
    participants_set,
    step_finish,
    step_start,
    step_update,
    weights_set,
)
from karnameh.cycles.steps import planned_dates
from karnameh.cycles.tests.builders import DEMO_CATALOGUE, START, open_cycle, step_day
from karnameh.cycles.tests.helpers import circular_file, events, exe_file, new_draft
from karnameh.notifications.models import Notification


def test_staff_create_a_draft_with_twelve_steps_and_the_catalogue_is_frozen(demo, demo_user):
    # given: the shared catalogue is a draft staff could not freeze from the catalogue pages
    catalogue = Catalogue.objects.get(code=DEMO_CATALOGUE)
    assert not catalogue.is_frozen and catalogue.province_id is None
    # when
    cycle = new_draft(demo_user("staff"), composition={"general": 60, "specific": 40})
    # then
    assert cycle.status == CycleStatus.DRAFT
    assert cycle.composition == {"general": 60, "specific": 40}
    steps = list(cycle.steps.values_list("number", "planned_start", "planned_end"))
    assert steps == planned_dates(START + dt.timedelta(days=365))
    catalogue.refresh_from_db()
    assert catalogue.status == Status.FROZEN
    assert events("cycle.create") == 1
    assert events("catalogue.freeze") == 1


def test_a_second_cycle_on_a_frozen_catalogue_uses_it_as_it_is(demo, demo_user):
    # given
    new_draft(demo_user("staff"))
    version = Catalogue.objects.get(code=DEMO_CATALOGUE).version
    # when
    new_draft(demo_user("staff"), year=1405, title="ارزیابی ۱۴۰۵")
    # then
    assert Catalogue.objects.get(code=DEMO_CATALOGUE).version == version
    assert events("catalogue.freeze") == 1


def test_the_catalogue_pages_still_refuse_staff_freezing_a_shared_catalogue(demo, demo_user):
    # when / then
    with pytest.raises(Forbidden):
        catalogue_freeze(
            actor=demo_user("staff"), catalogue=Catalogue.objects.get(code=DEMO_CATALOGUE)
        )
    assert not Catalogue.objects.get(code=DEMO_CATALOGUE).is_frozen


def _nothing_created() -> None:
    assert Cycle.objects.count() == 0
    assert Step.objects.count() == 0
    assert events("cycle.create") == 0
    assert not Catalogue.objects.get(code=DEMO_CATALOGUE).is_frozen


def test_a_duplicate_year_level_and_province_is_refused(demo, demo_user):
    # given
    new_draft(demo_user("staff"))
    # when
    with pytest.raises(DomainError) as refused:
        new_draft(demo_user("staff"), title="دوباره")
    # then
    assert "۱۴۰۴" in refused.value.message
    assert Cycle.objects.count() == 1
    assert events("cycle.create") == 1


@pytest.mark.parametrize(
    ("username", "province", "error"),
    [
        ("staff", "ilam", Forbidden),
        ("agency", "ardabil", Forbidden),
        ("evaluator", "ardabil", Forbidden),
    ],
)
def test_only_staff_of_the_province_create_its_cycle(demo, demo_user, username, province, error):
    # when
    with pytest.raises(error):
        new_draft(demo_user(username), province=Province.objects.get(code=province))
    # then
    _nothing_created()


def test_a_national_cycle_is_the_administrators(demo, demo_user):
    # when
    with pytest.raises(Forbidden):
        new_draft(demo_user("staff"), level="national")
    # then
    _nothing_created()


def test_a_bad_composition_is_refused_in_persian(demo, demo_user):
    # when
    with pytest.raises(DomainError) as refused:
        new_draft(demo_user("staff"), composition={"general": 60, "specific": 30})
    # then
    assert "۱۰۰" in refused.value.message
    _nothing_created()


def test_a_specific_catalogue_is_refused(demo, demo_user):
    # given
    catalogue = Catalogue.objects.get(code=DEMO_CATALOGUE)
    Catalogue.objects.filter(pk=catalogue.pk).update(kind=Kind.SPECIFIC)
    # when
    with pytest.raises(DomainError) as refused:
        new_draft(demo_user("staff"))
    # then
    assert catalogue.title in refused.value.message
    _nothing_created()


def test_another_provinces_catalogue_is_refused(demo, demo_user):
    # given
    Catalogue.objects.filter(code=DEMO_CATALOGUE).update(province=Province.objects.get(code="ilam"))
    # when
    with pytest.raises(DomainError):
        new_draft(demo_user("staff"))
    # then
    _nothing_created()


def test_cycle_update_changes_title_and_composition(demo, demo_user):
    # given
    cycle = new_draft(demo_user("staff"))
    # when
    cycle_update(
        actor=demo_user("staff"),
        cycle=cycle,
        title="عنوان تازه",
        composition={"general": "80", "specific": 20},
    )
    # then
    cycle.refresh_from_db()
    assert cycle.title == "عنوان تازه"
    assert cycle.composition == {"general": 80, "specific": 20}
    assert events("cycle.update") == 1


@pytest.mark.parametrize(
    ("username", "composition", "error"),
    [
        ("staff", {"general": 50, "specific": 20}, DomainError),
        ("staff", {"general": -10, "specific": 110}, DomainError),
        ("agency", {"general": 50, "specific": 50}, Forbidden),
    ],
)
def test_cycle_update_refusals_change_nothing(demo, demo_user, username, composition, error):
    # given
    cycle = new_draft(demo_user("staff"))
    # when
    with pytest.raises(error):
        cycle_update(actor=demo_user(username), cycle=cycle, composition=composition)
    # then
    cycle.refresh_from_db()
    assert cycle.composition == {"general": 70, "specific": 30}
    assert events("cycle.update") == 0


def test_weights_per_agency_type_keep_the_indicators_named(demo, demo_user):
    # given
    cycle = new_draft(demo_user("staff"))
    social = AgencyType.objects.get(code="social")
    # when
    saved = weights_set(
        actor=demo_user("staff"), cycle=cycle, agency_type=social, weights={"2.4": "1.5"}
    )
    # then
    assert saved.weights == {"2.4": 1.5}
    assert events("cycle.weights") == 1


@pytest.mark.parametrize(
    ("weights", "says"), [({"9.9": 1}, "9.9"), ({"2.4": -1}, "2.4"), ({"2.4": "زیاد"}, "2.4")]
)
def test_bad_weights_are_refused_naming_the_indicator(demo, demo_user, weights, says):
    # given
    cycle = new_draft(demo_user("staff"))
    # when
    with pytest.raises(DomainError) as refused:
        weights_set(
            actor=demo_user("staff"),
            cycle=cycle,
            agency_type=AgencyType.objects.get(code="social"),
            weights=weights,
        )
    # then
    assert says in refused.value.message
    assert WeightSet.objects.count() == 0
    assert events("cycle.weights") == 0


def test_a_step_is_moved_and_audited(demo, demo_user):
    # given
    cycle = new_draft(demo_user("staff"))
    step = cycle.steps.get(number=5)
    # when
    step_update(
        actor=demo_user("staff"),
        step=step,
        planned_start=step.planned_start,
        planned_end=step.planned_end + dt.timedelta(days=10),
        reason="تعطیلات",
    )
    # then
    step.refresh_from_db()
    assert (step.planned_end - step.planned_start).days == 69
    assert events("cycle.step_update") == 1


def test_a_step_cannot_end_before_it_starts(demo, demo_user):
    # given
    cycle = new_draft(demo_user("staff"))
    step = cycle.steps.get(number=5)
    before = (step.planned_start, step.planned_end)
    # when
    with pytest.raises(DomainError) as refused:
        step_update(
            actor=demo_user("staff"),
            step=step,
            planned_start=step.planned_end,
            planned_end=step.planned_start,
        )
    # then
    assert "۵" in refused.value.message
    step.refresh_from_db()
    assert (step.planned_start, step.planned_end) == before
    assert events("cycle.step_update") == 0


def test_another_provinces_staff_cannot_move_a_step(demo, demo_user):
    # given
    cycle = open_cycle(province="ilam", agencies=["IL-ED"])
    step = cycle.steps.get(number=2)
    # when
    with pytest.raises(Forbidden):
        step_update(
            actor=demo_user("staff"),
            step=step,
            planned_start=step.planned_start,
            planned_end=step.planned_end + dt.timedelta(days=3),
        )
    # then
    assert Step.objects.get(pk=step.pk).planned_end == step.planned_end


def test_a_step_starts_and_ends_now_once(demo, demo_user):
    # given
    cycle = open_cycle()
    step = cycle.steps.get(number=2)
    # when
    with time_machine.travel(step_day(cycle, 2), tick=False):
        step_start(actor=demo_user("staff"), step=step)
        with pytest.raises(DomainError):
            step_start(actor=demo_user("staff"), step=step)
        step_finish(actor=demo_user("staff"), step=step)
    # then
    step.refresh_from_db()
    assert step.actual_start == step.actual_end == step_day(cycle, 2)
    assert events("cycle.step_start") == events("cycle.step_finish") == 1


def test_a_step_that_has_not_started_cannot_end(demo, demo_user):
    # given
    step = open_cycle().steps.get(number=3)
    # when
    with pytest.raises(DomainError):
        step_finish(actor=demo_user("staff"), step=step)
    # then
    step.refresh_from_db()
    assert step.actual_end is None
    assert events("cycle.step_finish") == 0


def _agencies(*codes: str) -> list[Agency]:
    return list(Agency.objects.filter(code__in=codes))


def test_participants_are_set_added_and_removed(demo, demo_user):
    # given
    cycle = open_cycle(agencies=["AR-ED", "AR-EF"])
    # when
    participants_set(
        actor=demo_user("staff"), cycle=cycle, agencies=_agencies("AR-ED", "AR-TAX", "AR-TAX-01")
    )
    # then
    codes = set(cycle.participations.values_list("agency__code", flat=True))
    assert codes == {"AR-ED", "AR-TAX", "AR-TAX-01"}
    assert events("cycle.participants") == 1


@pytest.mark.parametrize("code", ["IL-ED", "ED", "EF-TAX"])
def test_agencies_outside_the_province_are_refused_by_name(demo, demo_user, code):
    # given
    cycle = open_cycle(agencies=["AR-ED"])
    # when
    with pytest.raises(DomainError) as refused:
        participants_set(actor=demo_user("staff"), cycle=cycle, agencies=_agencies("AR-ED", code))
    # then
    assert Agency.objects.get(code=code).name in refused.value.message
    assert list(cycle.participations.values_list("agency__code", flat=True)) == ["AR-ED"]
    assert events("cycle.participants") == 0


def test_an_inactive_agency_cannot_take_part(demo, demo_user):
    # given
    cycle = open_cycle(agencies=["AR-ED"])
    Agency.objects.filter(code="AR-RD").update(is_active=False)
    # when
    with pytest.raises(DomainError):
        participants_set(actor=demo_user("staff"), cycle=cycle, agencies=_agencies("AR-RD"))
    # then
    assert cycle.participations.count() == 1


def test_a_national_cycle_takes_headquarters_and_affiliated_organizations(demo, demo_user):
    # given
    Catalogue.objects.filter(code=DEMO_CATALOGUE).update(level="national")
    cycle = new_draft(demo_user("admin"), level="national", province=None)
    # when
    participants_set(actor=demo_user("admin"), cycle=cycle, agencies=_agencies("ED", "EF-TAX"))
    with pytest.raises(DomainError):
        participants_set(actor=demo_user("admin"), cycle=cycle, agencies=_agencies("AR-ED"))
    # then
    assert set(cycle.participations.values_list("agency__code", flat=True)) == {"ED", "EF-TAX"}


def test_an_agency_with_answers_cannot_be_removed(demo, demo_user):
    # given
    from karnameh.assessments.models import Answer

    cycle = open_cycle(agencies=["AR-ED", "AR-EF"])
    participation = cycle.participations.get(agency__code="AR-ED")
    Answer.objects.create(participation=participation, part="general", gauge_code="2.4.1")
    # when
    with pytest.raises(DomainError) as refused:
        participants_set(actor=demo_user("staff"), cycle=cycle, agencies=_agencies("AR-EF"))
    # then
    assert "ادارهٔ کل آموزش و پرورش استان اردبیل" in refused.value.message
    assert cycle.participations.count() == 2
    assert events("cycle.participants") == 0


def test_the_circular_is_stored_and_audited(demo, demo_user):
    # given
    cycle = new_draft(demo_user("staff"))
    # when
    circular_attach(actor=demo_user("staff"), cycle=cycle, upload=circular_file())
    # then
    cycle.refresh_from_db()
    assert cycle.circular is not None
    assert cycle.circular.name == "بخشنامه ۱۴۰۳.pdf"
    assert events("cycle.circular") == 1


def test_a_disguised_program_is_not_a_circular(demo, demo_user):
    # given
    cycle = new_draft(demo_user("staff"))
    # when
    with pytest.raises(DomainError):
        circular_attach(actor=demo_user("staff"), cycle=cycle, upload=exe_file())
    # then
    cycle.refresh_from_db()
    assert cycle.circular is None
    assert events("cycle.circular") == 0


def _ready(actor) -> Cycle:
    cycle = new_draft(actor)
    circular_attach(actor=actor, cycle=cycle, upload=circular_file())
    participants_set(actor=actor, cycle=cycle, agencies=_agencies("AR-ED", "AR-EF"))
    return cycle


def test_publishing_starts_step_one_and_tells_the_agencies(demo, demo_user):
    # given
    cycle = _ready(demo_user("staff"))
    moment = dt.datetime(2025, 3, 21, 8, tzinfo=dt.UTC)
    # when
    with time_machine.travel(moment, tick=False):
        cycle_publish(actor=demo_user("staff"), cycle=cycle)
    # then
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.PUBLISHED
    assert cycle.published_at == moment
    assert cycle.published_by == demo_user("staff")
    assert cycle.steps.get(number=1).actual_start == moment
    told = set(
        Notification.objects.filter(kind="cycle_published").values_list("user__username", flat=True)
    )
    assert told == {"agency", "office", "hq"}
    assert events("cycle.publish") == 1


@pytest.mark.parametrize("missing", ["circular", "participants", "both"])
def test_publishing_refuses_what_is_missing_by_name(demo, demo_user, missing):
    # given
    staff = demo_user("staff")
    cycle = new_draft(staff)
    if missing == "participants":
        circular_attach(actor=staff, cycle=cycle, upload=circular_file())
    if missing == "circular":
        participants_set(actor=staff, cycle=cycle, agencies=_agencies("AR-ED"))
    # when
    with pytest.raises(DomainError) as refused:
        cycle_publish(actor=staff, cycle=cycle)
    # then
    assert refused.value.code == "incomplete"
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT and cycle.published_at is None
    assert Notification.objects.count() == 0
    assert events("cycle.publish") == 0


def test_a_published_cycle_is_not_published_twice(demo, demo_user):
    # given
    cycle = _ready(demo_user("staff"))
    cycle_publish(actor=demo_user("staff"), cycle=cycle)
    told = Notification.objects.count()
    # when
    with pytest.raises(DomainError):
        cycle_publish(actor=demo_user("staff"), cycle=cycle)
    # then
    assert Notification.objects.count() == told
    assert events("cycle.publish") == 1


@pytest.mark.parametrize("username", ["agency", "evaluator", "deputy"])
def test_only_staff_publish(demo, demo_user, username):
    # given
    cycle = _ready(demo_user("staff"))
    # when
    with pytest.raises(Forbidden):
        cycle_publish(actor=demo_user(username), cycle=cycle)
    # then
    assert Cycle.objects.get(pk=cycle.pk).status == CycleStatus.DRAFT
    assert Notification.objects.count() == 0


def test_a_published_cycles_circular_stays(demo, demo_user):
    # given
    cycle = _ready(demo_user("staff"))
    cycle_publish(actor=demo_user("staff"), cycle=cycle)
    first = Cycle.objects.get(pk=cycle.pk).circular_id
    # when
    with pytest.raises(DomainError):
        circular_attach(actor=demo_user("staff"), cycle=cycle, upload=circular_file("دیگر.pdf"))
    # then
    assert Cycle.objects.get(pk=cycle.pk).circular_id == first


def test_a_closed_cycle_cannot_change(demo, demo_user):
    # given
    cycle = open_cycle()
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.CLOSED)
    # when
    with pytest.raises(DomainError):
        cycle_update(actor=demo_user("staff"), cycle=cycle, title="تازه")
    # then
    assert Cycle.objects.get(pk=cycle.pk).title == cycle.title
    assert Participation.objects.filter(cycle=cycle).count() == 4


def test_cycle_create_checks_the_catalogue_level(demo, demo_user):
    # when: the shipped catalogue is provincial, the cycle national
    with pytest.raises(DomainError) as refused:
        cycle_create(
            actor=demo_user("admin"),
            year=1404,
            level="national",
            province=None,
            title="ملی",
            general_catalogue=Catalogue.objects.get(code=DEMO_CATALOGUE),
            start=START,
        )
    # then
    assert refused.value.code == "invalid_catalogue"
    _nothing_created()
