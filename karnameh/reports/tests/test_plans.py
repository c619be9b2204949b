"""The improvement plan: who writes it and when, what it must hold, and that it shows."""

import datetime as dt
import json
from typing import Any

import jdatetime
import pytest
from django.utils import timezone

from karnameh.accounts.models import User
from karnameh.accounts.tests.clients import signed_in as client_for
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.tests.builders import participation
from karnameh.reports.plans import plan_save
from karnameh.results.models import ImprovementPlan

from .test_cards_builders import SAMPLE, published_cycle


def jalali(days: int) -> str:
    day = timezone.localdate() + dt.timedelta(days=days)
    return jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")


def action(
    gauge: str = "1.1.2", due: str | None = None, text: str = "تهیهٔ صورت‌جلسه"
) -> dict[str, str]:
    return {"gauge": gauge, "action": text, "owner": "دفتر مدیریت عملکرد", "due": due or jalali(90)}


def state() -> tuple[Any, ...]:
    return (
        list(ImprovementPlan.objects.values_list("summary", "actions", "version")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def cycle(demo: Any) -> Any:
    return published_cycle(SAMPLE)


def test_the_agency_writes_its_plan_and_the_card_shows_it(cycle: Any) -> None:
    # given
    client = client_for("office")
    form = client.get(f"/reports/{cycle.pk}/card/AR-ED/plan/")
    # then the form starts from the card's weaknesses
    assert form.status_code == 200
    assert 'name="gauge" list="plan-gauges" value="1.1.2"' in form.content.decode()
    # when
    response = client.post(
        f"/reports/{cycle.pk}/card/AR-ED/plan/",
        {
            "summary": "برنامهٔ سال آینده",
            "version": "0",
            "gauge": ["1.1.2", ""],
            "action": ["تهیهٔ صورت‌جلسهٔ کمیته", ""],
            "owner": ["دفتر مدیریت عملکرد", ""],
            "due": [jalali(30).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")), ""],
        },
    )
    # then
    assert response.status_code == 302
    plan = ImprovementPlan.objects.get(participation__cycle=cycle)
    assert plan.version == 1 and plan.updated_by.username == "office"
    assert plan.actions == [
        {
            "gauge": "1.1.2",
            "action": "تهیهٔ صورت‌جلسهٔ کمیته",
            "owner": "دفتر مدیریت عملکرد",
            "due": jalali(30).replace("/", "-"),
        }
    ]
    assert AuditEvent.objects.filter(action="reports.plan_save").count() == 1
    card = client_for("hq").get(f"/reports/{cycle.pk}/card/AR-ED/").content.decode()
    assert "تهیهٔ صورت‌جلسهٔ کمیته" in card.split('data-testid="card-plan"')[1]


def test_the_api_writes_the_same_plan(cycle: Any) -> None:
    # when
    response = client_for("agency").put(
        f"/api/v1/reports/{cycle.pk}/cards/AR-ED/plan",
        json.dumps({"summary": "خلاصه", "actions": [action()], "version": 0}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 1
    card = client_for("agency").get(f"/api/v1/reports/{cycle.pk}/cards/AR-ED").json()
    assert card["plan"]["actions"][0]["gauge"] == "1.1.2"
    assert [w["code"] for w in card["weaknesses"]] == ["1.1.2"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (action(gauge="9.9.9"), "۹.۹.۹"),
        (action(text=""), "۱"),
        (action(due="1404/13/40"), "1404/13/40"),
        (action(due="فردا"), "فردا"),
        ({"gauge": "1.1.2", "action": "x", "owner": "", "due": ""}, "۱"),
    ],
)
def test_an_invalid_row_is_refused_by_name_and_nothing_changes(
    cycle: Any, row: dict[str, str], message: str
) -> None:
    # given
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        plan_save(
            actor=User.objects.get(username="agency"),
            participation=participation(cycle, "AR-ED"),
            summary="x",
            actions=[row],
            version=0,
        )
    # then
    assert message in refused.value.message
    assert state() == before


def test_a_past_due_date_is_refused_naming_the_row(cycle: Any) -> None:
    before = state()
    with pytest.raises(DomainError) as refused:
        plan_save(
            actor=User.objects.get(username="agency"),
            participation=participation(cycle, "AR-ED"),
            summary="",
            actions=[action(), action(due=jalali(-1))],
            version=0,
        )
    assert refused.value.code == "invalid" and "۲" in refused.value.message
    assert state() == before


def test_a_stale_edit_is_refused(cycle: Any) -> None:
    # given: someone saved version 1 meanwhile
    ed = participation(cycle, "AR-ED")
    plan_save(
        actor=User.objects.get(username="agency"),
        participation=ed,
        summary="یک",
        actions=[action()],
        version=0,
    )
    before = state()
    # when
    response = client_for("office").post(
        f"/reports/{cycle.pk}/card/AR-ED/plan/",
        {
            "summary": "دو",
            "version": "0",
            "gauge": ["1.1.2"],
            "action": ["x"],
            "owner": [""],
            "due": [jalali(5)],
        },
    )
    # then
    assert response.status_code == 400
    assert state() == before
    assert ImprovementPlan.objects.get().summary == "یک"


@pytest.mark.parametrize("name", ["hq", "staff", "national", "deputy"])
def test_only_the_agency_writes_its_plan(cycle: Any, name: str) -> None:
    before = state()
    with pytest.raises(Forbidden):
        plan_save(
            actor=User.objects.get(username=name),
            participation=participation(cycle, "AR-ED"),
            summary="x",
            actions=[action()],
            version=0,
        )
    response = client_for(name).post(
        f"/reports/{cycle.pk}/card/AR-ED/plan/",
        {
            "summary": "x",
            "version": "0",
            "gauge": ["1.1.2"],
            "action": ["x"],
            "owner": [""],
            "due": [jalali(5)],
        },
    )
    assert response.status_code in (403, 404)
    assert state() == before


def test_no_plan_before_publication(demo: Any) -> None:
    cycle = published_cycle(SAMPLE, released=False)
    before = state()
    with pytest.raises(Forbidden):
        plan_save(
            actor=User.objects.get(username="agency"),
            participation=participation(cycle, "AR-ED"),
            summary="x",
            actions=[action()],
            version=0,
        )
    assert client_for("agency").get(f"/reports/{cycle.pk}/card/AR-ED/plan/").status_code in (
        403,
        404,
    )
    assert state() == before
