"""No mass assignment: a request cannot set what its form or schema does not offer.

Every JSON body of the API forbids fields it does not declare (``extra="forbid"``), so a
client that sends ``score``, ``status``, ``evaluator``, ``published`` (or ``final_score``,
``is_published``, ``agency``, ``cycle``) where the operation has no such field gets a 422
naming the field, and nothing changes. A page's form reads only its own fields: the extras
are ignored, and the record keeps what the service decided. Where an operation does take an
agency or a cycle, naming someone else's is refused like any other request about it.
"""

from typing import Any

import pytest
from django.test import Client

from karnameh.accounts.demo_data import USERS
from karnameh.accounts.models import User
from karnameh.cycles.models import CycleStatus
from karnameh.feedback.models import Feedback, FeedbackStatus
from karnameh.jobs.models import Job

from .matrix import api_operations, attempt, body, resolve, schema
from .routes_api import API_ROUTES
from .spec import data_for, expected, url_for
from .state import World
from .targets import targets

pytestmark = pytest.mark.django_db

SIBLINGS = (
    "score",
    "status",
    "evaluator",
    "published",
    "final_score",
    "is_published",
    "agency",
    "cycle",
)


def _json_operations() -> list[str]:
    found = []
    for key in api_operations():
        method, path = key.split(" ", 1)
        content = schema()["paths"][path][method.lower()].get("requestBody", {}).get("content", {})
        if "application/json" in content:
            found.append(key)
    return sorted(found)


def _object_schemas(node: dict[str, Any], seen: set[str]) -> list[tuple[str, dict[str, Any]]]:
    """The named object schemas a request body is made of, nested ones included."""
    found = []
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return []
        seen.add(name)
        resolved = resolve(node)
        if "properties" in resolved:
            found.append((name, resolved))
        node = resolved
    for child in (node.get("items"), *node.get("properties", {}).values()):
        if isinstance(child, dict):
            found += _object_schemas(child, seen)
    for key in ("anyOf", "oneOf", "allOf"):
        for child in node.get(key, []):
            found += _object_schemas(child, seen)
    return found


def test_every_json_body_forbids_fields_it_does_not_declare() -> None:
    # given
    open_ended = []
    # when
    for key in _json_operations():
        method, path = key.split(" ", 1)
        operation = schema()["paths"][path][method.lower()]
        root = operation["requestBody"]["content"]["application/json"]["schema"]
        for name, found in _object_schemas(root, set()) or [(key, resolve(root))]:
            if "properties" in found and found.get("additionalProperties") is not False:
                open_ended.append(f"{key}: {name}")
    # then
    assert open_ended == [], "give these schemas model_config = {'extra': 'forbid'}"


def _allowed(world: World, key: str) -> tuple[str, Any] | None:
    """A demo user and a target the operation allows, to send the extras with."""
    spec = API_ROUTES[key]
    for role in USERS:
        user = User.objects.get(username=role)
        for target in targets(world, spec.target, user):
            if not expected(spec, True, role, user, target)[1]:
                return role, target
    return None


def _with_extras(key: str, payload: Any) -> tuple[Any, list[str]]:
    method, path = key.split(" ", 1)
    root = schema()["paths"][path][method.lower()]["requestBody"]["content"]["application/json"]
    node = resolve(root["schema"])
    if node.get("type") == "array":
        item = resolve(node["items"])
        names = [n for n in SIBLINGS if n not in item.get("properties", {})]
        return [{**(payload[0] if payload else {}), **dict.fromkeys(names, 1)}], names
    names = [n for n in SIBLINGS if n not in node.get("properties", {})]
    return {**(payload or {}), **dict.fromkeys(names, 1)}, names


@pytest.mark.parametrize("key", _json_operations())
def test_extra_fields_are_refused_and_change_nothing(
    world: World, clients: dict[str, Client], key: str
) -> None:
    # given: a person the operation allows, and its body with the fields it does not have
    found = _allowed(world, key)
    assert found is not None, f"no demo user may use {key}"
    role, target = found
    spec = API_ROUTES[key]
    payload = data_for(spec, target)
    if payload is None:
        payload = body(key)[1]
    sent, extras = _with_extras(key, payload)
    url = url_for(spec, key.split(" ", 1)[1], target)
    # when
    response, changed = attempt(clients[role], key, url, sent)
    # then
    answer = response.json()
    assert (response.status_code, answer["code"]) in ((422, "invalid"), (400, "invalid")), (
        role,
        target.name,
        answer,
    )
    # Each extra field is named: in ninja's list of errors, or in the message itself.
    named = {
        str(e["loc"][-1]) for e in answer.get("errors") or () if e["type"] == "extra_forbidden"
    }
    assert all(name in named or name in answer["detail"] for name in extras), answer
    assert not changed, sorted(changed)


def test_a_page_form_ignores_fields_it_does_not_have(
    world: World, clients: dict[str, Client]
) -> None:
    # given: staff answer AR-ED's complaint, adding a status, a person and another agency
    feedback = world.get("feedback", "AR-ED")
    other = world.get("agency", "AR-EF")
    sent = {
        "answer": "پاسخ استعلام ارسال شد.",
        "status": FeedbackStatus.CLOSED,
        "answered_by": str(User.objects.get(username="agency").pk),
        "agency": other.code,
        "published": "on",
    }
    # when
    response = clients["staff"].post(f"/feedback/{feedback.tracking_number}/answer/", sent)
    # then: answered by staff, as the service sets it, for AR-ED still
    assert response.status_code == 302
    saved = Feedback.objects.get(pk=feedback.pk)
    assert (saved.status, saved.answered_by.username, saved.agency.code) == (
        FeedbackStatus.ANSWERED,
        "staff",
        "AR-ED",
    )


def test_the_cycle_form_cannot_unpublish_a_cycle(world: World, clients: dict[str, Client]) -> None:
    # given
    cycle = world.cycles["ardabil"]
    page = clients["staff"].get(f"/cycles/{cycle.pk}/edit/")
    form = page.context["form"]
    sent = {name: form[name].value() or "" for name in form.fields}
    sent |= {
        "title": "عنوان تازه",
        "status": CycleStatus.DRAFT,
        "published_at": "",
        "province": "2",
    }
    # when
    response = clients["staff"].post(f"/cycles/{cycle.pk}/edit/", sent)
    # then: the title changed, nothing else did
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.title, cycle.status, cycle.province.code) == (
        "عنوان تازه",
        CycleStatus.PUBLISHED,
        "ardabil",
    )


def test_an_agency_cannot_file_feedback_for_another_agency(
    world: World, clients: dict[str, Client]
) -> None:
    # given
    before = Feedback.objects.count()
    sent = {"kind": "complaint", "agency": "AR-EF", "subject": "تأخیر", "body": "دیر رسید."}
    # when
    response, changed = attempt(
        clients["agency"], "POST /api/v1/feedback/", "/api/v1/feedback/", sent
    )
    # then: AR-EF is out of the AR-ED user's sight
    assert response.status_code == 404
    assert not changed and Feedback.objects.count() == before


def test_staff_cannot_start_a_job_on_another_provinces_cycle(
    world: World, clients: dict[str, Client]
) -> None:
    # given
    before = Job.objects.count()
    sent = {"kind": "reports.cards", "cycle": world.cycles["ilam"].pk}
    # when
    response, changed = attempt(clients["staff"], "POST /api/v1/jobs", "/api/v1/jobs", sent)
    # then
    assert response.status_code == 404
    assert not changed and Job.objects.count() == before
