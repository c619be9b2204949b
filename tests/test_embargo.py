"""The embargo (seed 002: nothing is announced before the evaluation ends), tested exhaustively.

Before the results are released, every URL pattern of the site and every GET operation of the
API is requested as every role that must not see scores: HQ users, the national organization,
an assessing body, another agency's user, an evaluator not assigned to the agency, and an
anonymous visitor. No answer may contain one of the agency's evaluation scores, written the
way pages write them (Persian digits) or the way the API does (ASCII). The same requests as
the agency itself and the organization must show them somewhere, or the test proves nothing.
After the release, the public ranking shows them to everyone.
"""

import itertools
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.agencies.models import Agency
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import after_step, open_cycle, participation, step_day
from karnameh.evaluations.final import scorecard
from karnameh.inquiries.models import Inquiry
from karnameh.inquiries.selectors import inquiry_gauges
from karnameh.inquiries.services import inquiries_send, inquiry_answer
from karnameh.objections.groups import group_create
from karnameh.objections.services import objection_decide, objection_file, objection_route
from karnameh.results.models import Result
from karnameh.results.services import council_approve, final_approve, publish
from karnameh.results.tests.builders import evaluate
from karnameh.results.tests.test_services import PDF

# Parts of the site that are not the product's pages: Django's admin (no role has is_staff)
# and the static files.
SKIPPED = ("admin/", "static/")
# Apps whose rows an URL may point at by primary key.
OBJECT_APPS = ("evaluations", "inquiries", "objections", "results", "assessments", "files")


def patterns(resolvers: list[Any], prefix: str = "") -> Iterator[str]:
    for entry in resolvers:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\{(\w+)\}")


def values(name: str, cycle: Cycle, ids: list[int]) -> list[str]:
    """Values to put in for one URL parameter, by its name."""
    if name in ("cycle", "cycle_pk", "cycle_id"):
        return [str(cycle.pk)]
    if name in ("agency", "agency_code", "code"):
        return ["AR-ED"]
    if name == "part":
        return ["general"]
    if name in ("gauge", "gauge_code"):
        return ["1.1.1", "2.10.1", "4.1.1"]
    if name in ("username", "evaluator"):
        return ["ev-results"]
    if name == "scope":
        return ["general"]
    return [str(i) for i in ids]


def urls(cycle: Cycle) -> list[str]:
    """Every page and API path of the site, filled in for the cycle and the agency AR-ED."""
    ids = sorted(
        {
            pk
            for app in OBJECT_APPS
            for model in apps.get_app_config(app).get_models()
            for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:3]
        }
    )[:12]
    found: set[str] = set()
    routes = [r for r in patterns(get_resolver().url_patterns) if not r.startswith(SKIPPED)]
    for route in routes:
        if "^" in route or "(?P" in route:
            continue
        names = [m.group(2) or m.group(3) for m in PARAM.finditer(route)]
        options = [values(n, cycle, ids) for n in names]
        for combo in itertools.islice(itertools.product(*options), 40):
            filled = iter(combo)
            found.add("/" + PARAM.sub(lambda _m, f=filled: next(f), route))
    return sorted(found)


def marks(cycle: Cycle) -> set[str]:
    """AR-ED's evaluation scores as a page or the API would write them."""
    ed = participation(cycle, "AR-ED")
    result = Result.objects.get(participation=ed)
    card = scorecard(ed)
    numbers = {result.final, result.general}
    general = card.part("general")
    assert general is not None
    # The body's answer and the objection's decision are part of what is scored.
    assert "inquiry" in general.sources.values() and general.sources["2.10.1"] == "objection"
    numbers |= {axis.score for axis in general.result.axes if axis.score > 10}
    written: set[str] = set()
    for n in numbers:
        text = format(Decimal(n).normalize(), "f")
        if "." not in text:
            continue  # a whole number is too common a string to mean a leak
        written |= {fa(n), text}
    return written


def user_of(username: str, role: str, **scope: Any) -> User:
    person = User.objects.create_user(username=username, password="x")
    RoleAssignment.objects.create(user=person, role=role, **scope)
    return person


def person(name: str) -> User:
    return User.objects.get(username=name)


@pytest.fixture
def embargoed(demo: Any) -> Cycle:
    """Every kind of score there is: evaluators', an assessing body's answers, an accepted
    objection, and the deputy's approved totals; nothing released."""
    cycle = open_cycle()
    evaluate(cycle, agree=False)
    ed = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 8), tick=False):
        inquiries_send(actor=person("staff"), cycle=cycle)
        welfare = Inquiry.objects.get(participation=ed, topic__body__code="welfare")
        answers = {
            gauge.code: {"score": int(gauge.max_score) // 4}
            for _indicator, gauge in inquiry_gauges(welfare)
        }
        inquiry_answer(actor=person("assessor"), inquiry=welfare, answers=answers)
    with time_machine.travel(step_day(cycle, 9, offset=2), tick=False):
        objection = objection_file(
            actor=person("agency"),
            participation=ed,
            part="general",
            gauge_code="2.10.1",
            reasoning="سامانهٔ رصد از آغاز سال برقرار بوده است.",
        )
        group = group_create(
            actor=person("staff"), cycle=cycle, name="گروه کارشناسی ۱", members=[person("staff")]
        )
        objection_route(actor=person("staff"), objection=objection, group=group)
        objection_decide(
            actor=person("staff"),
            objection=objection,
            accepted=True,
            reasons="مستندات تازه پذیرفته شد.",
            data={"score": 17},
        )
    with time_machine.travel(after_step(cycle, 9), tick=False):
        final_approve(actor=person("deputy"), cycle=cycle)
    return cycle


def leaks(client: Client, paths: list[str], secrets: set[str]) -> list[str]:
    found = []
    for path in paths:
        response = client.get(path)
        if response.status_code != 200 or response.streaming:
            continue
        body = response.content.decode("utf-8", "replace")
        found += [f"{path}: {s}" for s in secrets if s in body]
    return found


def test_no_score_leaves_before_the_release(embargoed: Cycle) -> None:
    cycle = embargoed
    paths = urls(cycle)
    secrets = marks(cycle)
    assert len(paths) > 100 and len(secrets) >= 4
    ef = Agency.objects.get(code="AR-EF")
    outsiders = {
        "hq": User.objects.get(username="hq"),
        "national": User.objects.get(username="national"),
        "assessor": User.objects.get(username="assessor"),
        "evaluator (not assigned)": User.objects.get(username="evaluator"),
        "another agency": user_of("ef-user", Role.AGENCY, agency=ef),
    }
    for label, person in outsiders.items():
        client = Client()
        client.force_login(person)
        assert leaks(client, paths, secrets) == [], label
    assert leaks(Client(), paths, secrets) == [], "anonymous"
    # The test can fail: those entitled do see the scores, on some page or answer.
    for name in ("staff", "deputy", "council", "agency", "ev-results"):
        client = Client()
        client.force_login(User.objects.get(username=name))
        assert leaks(client, paths, secrets), name


def test_after_the_release_everyone_sees_the_ranking(embargoed: Cycle) -> None:
    cycle = embargoed
    council_approve(
        actor=User.objects.get(username="council"),
        cycle=cycle,
        minutes=SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf"),
    )
    publish(actor=User.objects.get(username="staff"), cycle=cycle)
    result = Result.objects.get(participation=participation(cycle, "AR-ED"))
    assert fa(result.final) in Client().get(f"/results/{cycle.pk}/public/").content.decode()
