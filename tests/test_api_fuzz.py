"""The API, fuzzed: schemathesis against ``/api/v1/openapi.json`` as five kinds of caller.

Every operation of the schema is called with generated requests (valid ones, some with the
path filled with rows that exist so the handlers get past their 404s, and deliberately invalid
ones) as an anonymous visitor and with the API tokens of an agency user, the modernization
group's staff, an evaluator and a council member. No answer may be a server error, and every
answer must be one the schema declares: its status code, its content type and its body.

State-changing operations change the test database as they go; that is the point (a later
request meets what an earlier one made). ``SCHEMATHESIS_MAX_EXAMPLES`` raises the number of
examples per operation and caller (the default keeps ``make test`` within a few minutes); the
run is derandomized, so a failure here fails the same way on the next run.
"""

import itertools
import os
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from karnameh.accounts.models import User
from karnameh.accounts.tokens import token_create
from karnameh.agencies.models import Agency, AgencyType
from karnameh.assessments.demo import load_demo_cycle
from karnameh.assessments.workflow import TRANSITIONS
from karnameh.catalogue.models import Catalogue
from karnameh.cycles.models import Cycle, Workshop
from karnameh.cycles.tests.builders import open_cycle
from karnameh.evaluations.models import Assignment
from karnameh.feedback.models import Feedback
from karnameh.feedback.services import feedback_create
from karnameh.files.models import StoredFile
from karnameh.inquiries.models import Inquiry
from karnameh.jobs.models import Job
from karnameh.notifications.models import Notification
from karnameh.objections.models import ExpertGroup, Objection
from karnameh.results.demo import load_demo_evaluations
from karnameh.results.models import Approval
from karnameh.results.tests.builders import evaluate

ROLES = {
    "anonymous": None,
    "agency": "agency",
    "staff": "staff",
    "evaluator": "evaluator",
    "council": "council",
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"))
# Path parameters filled with existing rows, at most this many combinations per operation.
COMBINATIONS = 4
# Rows whose primary keys the paths name.
ROWS = (
    Assignment,
    StoredFile,
    Notification,
    Workshop,
    Inquiry,
    Objection,
    ExpertGroup,
    Job,
    Approval,
)


@pytest.fixture
def app() -> Iterator[WSGIHandler]:
    """Django's WSGI handler, sharing the test's connection and transaction.

    The handler closes "old" connections when a request starts and ends; inside the test's
    transaction that would throw the test data away (Django's own test client unhooks it
    for the same reason).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def crashes() -> Iterator[list[str]]:
    """The last lines of every exception a view raised (a 500 says nothing more)."""
    seen: list[str] = []

    def keep(sender: Any, request: Any = None, **_kwargs: Any) -> None:
        seen.append(traceback.format_exc(limit=-3))

    got_request_exception.connect(keep)
    yield seen
    got_request_exception.disconnect(keep)


def world(*, full_demo: bool = False) -> dict[str, list[Any]]:
    """Data to hit, and the values to put in each path parameter (the likeliest first).

    The demo's open cycle, and either one evaluated cycle or, with ``full_demo``, the demo's
    cycles under objection, published and earlier (every page then has something to show, at
    the price of some seconds).
    """
    load_demo_cycle()
    if full_demo:
        load_demo_evaluations()
    else:
        evaluate(open_cycle(year=1402), who=User.objects.get(username="evaluator"))
    feedback = feedback_create(
        actor=User.objects.get(username="agency"),
        kind="complaint",
        agency=Agency.objects.get(code="AR-ED"),
        subject="کندی سامانه",
        body="صفحهٔ خودارزیابی دیر باز می‌شود.",
    )
    cycles = list(Cycle.objects.order_by("-pk").values_list("pk", flat=True))
    rows = sorted(
        {
            pk
            for model in ROWS
            for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:2]
        }
    )
    return {
        "cycle": cycles,
        "pk": cycles + rows,
        "agency": ["AR-ED", "AR-EF"],
        "code": ["AR-ED", *Catalogue.objects.values_list("code", flat=True)[:1]],
        "part": ["general", "specific"],
        "gauge": ["1.1.1", "2.10.1"],
        "name": sorted(TRANSITIONS)[:3],
        "type_code": list(AgencyType.objects.values_list("code", flat=True)[:2]),
        "number": [feedback.tracking_number],
        "id": rows,
        "file": rows,
        "notification_id": rows,
        "workshop_id": rows,
    }


def strategy(operation: Any, known: dict[str, list[Any]]) -> Any:
    """Valid requests on existing rows and on generated paths, and invalid requests."""
    names = [p.name for p in operation.path_parameters]
    combos = itertools.islice(
        itertools.product(*(known.get(name, [None]) for name in names)), COMBINATIONS
    )
    on_rows = [
        operation.as_strategy(path_parameters=dict(zip(names, combo, strict=True)))
        for combo in combos
        if None not in combo
    ]
    return st.one_of(
        *on_rows,
        operation.as_strategy(),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )


def fuzz(
    operation: Any,
    known: dict[str, list[Any]],
    callers: dict[str, dict[str, str]],
    failures: dict[str, str],
    sent: Counter[str],
) -> None:
    """Each generated request is sent once as every caller: generating costs as much as
    answering, and the same request is then judged for every role."""

    @given(case=strategy(operation, known))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        for role, headers in callers.items():
            response = case.call(headers=headers)
            sent[str(response.status_code)] += 1
            sent[f"{role} {operation.label}"] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                for failure in group.exceptions:
                    # One example of each kind of failure per operation is enough to fix it.
                    failures.setdefault(
                        f"{operation.label} [{failure.title}]",
                        f"as {role}: {response.status_code} {failure.message[:600]}\n"
                        f"{case.as_curl_command(headers=headers)}",
                    )

    run()


def test_every_operation_as_every_role_gives_no_server_error_and_keeps_to_the_schema(
    demo: Any, app: WSGIHandler, crashes: list[str]
) -> None:
    # given
    known = world()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    tokens = {
        role: token_create(actor=User.objects.get(username=username), name="fuzz")[1]
        for role, username in ROLES.items()
        if username
    }
    callers = {
        role: {"Authorization": f"Bearer {tokens[role]}"} if role in tokens else {}
        for role in ROLES
    }
    failures: dict[str, str] = {}
    sent: Counter[str] = Counter()
    started = time.perf_counter()
    # when
    for operation in operations:
        fuzz(operation, known, callers, failures, sent)
    elapsed = time.perf_counter() - started
    # then
    statuses = {key: n for key, n in sorted(sent.items()) if key.isdigit()}
    print(
        f"\nfuzzed {len(operations)} operations x {len(ROLES)} roles: "
        f"{sum(statuses.values())} requests in {elapsed:.0f} s; statuses {statuses}"
    )
    report = "\n\n".join(f"{key}\n{detail}" for key, detail in sorted(failures.items()))
    assert failures == {}, f"{len(failures)} failures:\n\n{report}\n\n" + "\n".join(crashes[:5])
    # every operation was called as every role
    assert len(operations) > 100
    assert {f"{role} {operation.label}" for role in ROLES for operation in operations} <= set(sent)


def test_two_schemas_of_the_same_name_each_keep_their_own_description(demo: Any) -> None:
    # given: agencies and the portal both have a class named AgencyOut
    # when
    schema = Client().get("/api/v1/openapi.json").json()
    # then: each operation points at its own, and the two differ
    agency = schema["paths"]["/api/v1/agencies/{code}"]["get"]["responses"]["200"]
    portal = schema["paths"]["/api/v1/public/{cycle}/{agency}"]["get"]["responses"]["200"]
    names = [
        answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        for answer in (agency, portal)
    ]
    assert names == ["AgenciesAgencyOut", "PortalAgencyOut"]
    components = schema["components"]["schemas"]
    assert "kind" in components[names[0]]["properties"]
    assert "standing" in components[names[1]]["properties"]


def test_every_refusal_has_the_same_shape(demo: Any) -> None:
    # given
    _token, secret = token_create(actor=User.objects.get(username="agency"), name="shape")
    token = {"Authorization": f"Bearer {secret}"}
    session = Client(enforce_csrf_checks=True)
    session.force_login(User.objects.get(username="agency"))
    before = Feedback.objects.count()
    # when
    answers = {
        "not signed in": Client().get("/api/v1/feedback/"),
        "not found": Client().get("/api/v1/feedback/FB-1400-000001", headers=token),
        "not json": Client().post(
            "/api/v1/feedback/", "{", content_type="application/json", headers=token
        ),
        "invalid": Client().post(
            "/api/v1/feedback/", {"kind": "praise"}, content_type="application/json", headers=token
        ),
        "no csrf token": session.post(
            "/api/v1/feedback/", {"kind": "complaint"}, content_type="application/json"
        ),
        "offset too large": Client().get("/api/v1/feedback/?offset=99999999999", headers=token),
    }
    # then
    statuses = {name: (r.status_code, r.json()["code"]) for name, r in answers.items()}
    assert statuses == {
        "not signed in": (401, "not_authenticated"),
        "not found": (404, "not_found"),
        "not json": (400, "bad_request"),
        "invalid": (422, "invalid"),
        "no csrf token": (403, "csrf_failed"),
        "offset too large": (422, "invalid"),
    }
    assert all(r.json()["detail"] for r in answers.values())
    problems = answers["invalid"].json()["errors"]
    assert {tuple(p["loc"]) for p in problems} >= {("body", "payload", "kind")}
    assert Feedback.objects.count() == before


@pytest.mark.parametrize(
    ("method", "path", "body", "statuses"),
    [
        # an explicit null for a field that may not be empty: left as it is
        ("patch", "/api/v1/agencies/AR-ED", {"has_county_units": None, "name": None}, {200}),
        # numbers beyond what a database holds
        ("get", "/api/v1/notifications/?offset=11581304620540637184", None, {422}),
        ("get", "/api/v1/agencies/?limit=3594074151039409518781923328", None, {422}),
        # SQLite refuses the number (400); PostgreSQL finds nothing (404)
        ("get", f"/api/v1/evaluations/{10**30}/AR-ED/reviews", None, {400, 404}),
        # PostgreSQL refuses a NUL character even in a query (400); SQLite finds nothing (404)
        ("get", "/api/v1/agencies/AR%00ED", None, {400, 404}),
    ],
)
def test_what_the_fuzzing_found_is_answered_without_a_server_error(
    demo: Any, method: str, path: str, body: Any, statuses: set[int]
) -> None:
    # given
    staff = Client()
    staff.force_login(User.objects.get(username="staff"))
    before = list(Agency.objects.order_by("pk").values_list("name", "has_county_units"))
    # when
    response = getattr(staff, method)(path, body, content_type="application/json")
    # then
    assert response.status_code in statuses, response.content
    assert response.json()["code"]
    assert list(Agency.objects.order_by("pk").values_list("name", "has_county_units")) == before
