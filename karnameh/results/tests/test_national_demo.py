"""`karnameh demo --scale national`, run small: provinces, agencies and people, a year evaluated
end to end, published everywhere but Tehran, and nothing doubled by a second run."""

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.accounts.tests.signin import post_login
from karnameh.agencies.models import Agency, AgencyKind, Province
from karnameh.assessments.models import Answer, Evidence
from karnameh.assessments.scoring import LATER
from karnameh.audit.models import AuditEvent
from karnameh.catalogue.models import Catalogue
from karnameh.catalogue.store import engine_catalogue
from karnameh.cycles.models import AssessmentState, Cycle, Participation
from karnameh.evaluations.models import Assignment, Review
from karnameh.files.models import StoredFile
from karnameh.objections.models import OPEN_STATES, Objection, ObjectionState
from karnameh.results.models import Approval, Release, Result
from karnameh.results.national_demo import UNAPPROVED, YEAR, load_national
from karnameh.results.readiness import readiness

PROVINCES, PER_PROVINCE = 4, 3  # Tehran, the demo's Ardabil and Ilam, and Isfahan


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    # The minutes of the councils are real files.
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def nation(demo: Any) -> dict[str, int]:
    return load_national(PROVINCES, PER_PROVINCE)


def _self_scored_gauges() -> int:
    engine = engine_catalogue(Catalogue.objects.get(code="provincial-1397-general"))
    return sum(1 for _i, gauge in engine.gauges() if gauge.rule.kind not in LATER)


def _rows() -> dict[str, int]:
    models = (Province, Agency, User, RoleAssignment, Cycle, Participation, Answer, Review)
    more = (Assignment, Evidence, StoredFile, Objection, Approval, Result, Release, AuditEvent)
    return {model.__name__: model.objects.count() for model in (*models, *more)}


def test_a_small_nation_is_built_and_counted(nation: dict[str, int]) -> None:
    # then: the counts a person would check
    agencies = PROVINCES * PER_PROVINCE
    gauges = _self_scored_gauges()
    assert gauges == 99  # the 1397 catalogue's 100 gauges but convergence
    people = 4 + 1 + PER_PROVINCE  # staff, deputy, council, expert; one evaluator; agencies
    assert nation == {
        "provinces": PROVINCES,
        "agencies": agencies,
        "users": PROVINCES * people,
        "answers": agencies * gauges,
        "reviews": agencies * gauges,
        "evidence": agencies * 3,
        "objections": nation["objections"],
        "published": PROVINCES - 1,
        "built": PROVINCES,
    }
    assert Province.objects.count() == PROVINCES  # the demo's Ardabil and Ilam are reused
    units = Agency.objects.filter(code__startswith="isfahan-")
    assert units.count() == PER_PROVINCE
    assert set(units.values_list("kind", flat=True)) == {AgencyKind.PROVINCIAL_UNIT}
    assert all(unit.headquarters_id is not None for unit in units)
    assert units.get(code="isfahan-001").name == "اداره‌کل آموزش و پرورش استان اصفهان"
    # Every answer is the agency's, scored; every participation transferred and reviewed.
    cycles = Cycle.objects.filter(year=YEAR)
    assert cycles.count() == PROVINCES
    done = Participation.objects.filter(cycle__in=cycles)
    assert set(done.values_list("state", flat=True)) == {AssessmentState.TRANSFERRED}
    assert not Answer.objects.filter(participation__cycle__in=cycles, score__isnull=True).exists()
    assert not Assignment.objects.filter(
        participation__cycle__in=cycles, approved_at__isnull=True
    ).exists()
    agency_role = RoleAssignment.objects.get(user__username="n-isfahan-001")
    assert (agency_role.role, agency_role.agency.code) == (Role.AGENCY, "isfahan-001")


def test_every_cycle_but_tehrans_is_published_with_a_result_per_agency(nation: Any) -> None:
    for cycle in Cycle.objects.filter(year=YEAR).select_related("province"):
        results = Result.objects.filter(participation__cycle=cycle)
        if cycle.province.code == UNAPPROVED:
            # evaluated, the objection window closed, nothing held up, nothing approved
            found = readiness(cycle)
            assert found.ready and not found.window_open
            assert not results.exists()
            assert not Release.objects.filter(cycle=cycle).exists()
            assert not Approval.objects.filter(cycle=cycle).exists()
        else:
            assert results.count() == cycle.participations.count() == PER_PROVINCE
            assert Release.objects.filter(cycle=cycle).exists()
            assert Client().get(f"/results/{cycle.pk}/public/").status_code == 200
            stages = Approval.objects.filter(cycle=cycle).values_list(
                "stage", "approved_by__username"
            )
            code = cycle.province.code
            assert set(stages) == {("deputy", f"n-{code}-deputy"), ("council", f"n-{code}-council")}


def test_objections_were_filed_and_none_is_left_open(nation: Any) -> None:
    objections = Objection.objects.filter(participation__cycle__year=YEAR)
    # at least one agency a province objects
    assert objections.values("participation__cycle").distinct().count() == PROVINCES
    assert not objections.filter(state__in=OPEN_STATES).exists()
    decided = objections.exclude(state=ObjectionState.WITHDRAWN)
    assert decided.exists()
    for objection in decided.select_related("group", "participation__cycle__province"):
        code = objection.participation.cycle.province.code
        assert objection.decided_by.username == f"n-{code}-expert"
        assert objection.original_evaluator not in objection.group.members.all()
    accepted = objections.filter(state=ObjectionState.ACCEPTED)
    assert accepted.exists()
    assert all(o.new_score is not None and o.new_score > o.old_score for o in accepted)


def test_an_agency_user_signs_in_with_demo_and_opens_the_workspace(nation: Any) -> None:
    # given
    cycle = Cycle.objects.get(year=YEAR, province__code="isfahan")
    client = Client()
    # when
    signed_in = post_login(client, "n-isfahan-002", "demo")
    page = client.get(f"/assessments/{cycle.pk}/isfahan-002/")
    # then
    assert signed_in.status_code == 302
    assert page.status_code == 200


def test_tehrans_staff_and_evaluator_open_the_cycle_awaiting_approval(nation: Any) -> None:
    # given
    cycle = Cycle.objects.get(year=YEAR, province__code=UNAPPROVED)
    staff, evaluator = Client(), Client()
    staff.force_login(User.objects.get(username="n-tehran-staff"))
    evaluator.force_login(User.objects.get(username="n-tehran-ev1"))
    # when
    approvals = staff.get(f"/results/{cycle.pk}/")
    queue = evaluator.get(f"/evaluations/{cycle.pk}/queue/")
    # then
    assert approvals.status_code == 200
    assert queue.status_code == 200
    assert "tehran-001" in queue.content.decode()


def test_running_it_again_changes_nothing(nation: dict[str, int]) -> None:
    # given
    before = _rows()
    # when
    again = load_national(PROVINCES, PER_PROVINCE)
    # then
    assert _rows() == before
    assert again == {**nation, "built": 0}


@override_settings(DEBUG=True)
def test_the_command_loads_the_demo_then_a_small_nation(db: None, capsys: Any) -> None:
    # when
    call_command("demo", scale="national", provinces=2, per_province=2)
    first = _rows()
    call_command("demo", scale="national", provinces=2, per_province=2)
    # then
    out = capsys.readouterr().out
    assert "national data" in out.lower() and "n-tehran-staff" in out
    assert Cycle.objects.filter(year=YEAR).count() == 2
    assert Release.objects.filter(cycle__year=YEAR).count() == 1  # Ardabil's, not Tehran's
    # only a second demo.load event
    assert {k: v for k, v in _rows().items() if k != "AuditEvent"} == {
        k: v for k, v in first.items() if k != "AuditEvent"
    }
    loads = AuditEvent.objects.filter(action="demo.load").order_by("id")
    assert loads.count() == 2
    national = loads.last().changes["national"]
    assert (national["provinces"], national["agencies"], national["published"]) == (2, 4, 1)
    assert national["built"] == 0 and loads.first().changes["national"]["built"] == 2
