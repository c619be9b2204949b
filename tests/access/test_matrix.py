"""The access matrix: every route of the site, as every demo role and a visitor, against an
object of each relationship, answers exactly what the policy table makes of it.

One test per route and role; inside, one request per object the route addresses (AR-ED's,
its county unit's, AR-EF's, IL-TAX's, a released cycle's, one's own and someone else's…).
Every request runs in a savepoint that is rolled back, so the requests do not depend on one
another. A state-changing request that is refused (any 4xx, or sent to sign in) must leave
every table's row count and the watched columns as they were.
"""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from karnameh.accounts.demo_data import USERS
from karnameh.accounts.models import User
from karnameh.accounts.permissions import grants
from karnameh.accounts.policy import TABLE
from karnameh.accounts.relations import relation

from .matrix import api_operations, attempt, status_of
from .routes_api import API_ROUTES
from .routes_pages import PAGE_ROUTES
from .spec import Spec, data_for, expected, url_for
from .state import World
from .targets import Target, subject, targets

pytestmark = pytest.mark.django_db

ROUTES: dict[str, Spec] = {**PAGE_ROUTES, **API_ROUTES}
ROLES = ("anonymous", *USERS)


def _where(spec: Spec, user: Any, target: Target) -> str:
    """The target's relation to the user's role, for the failure message."""
    found = grants(user)
    if not found or target.obj is None or spec.action in (None, "self"):
        return target.name
    action = spec.action.split("|")[0].split("&")[0]
    obj = spec.about(target, user) if spec.about else target.obj
    shown = subject(obj, TABLE[action].subject, user)
    return f"{target.name}, {relation(found[0], user, shown) if shown is not None else '-'}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_the_route_answers_what_the_policy_says(
    world: World, clients: dict[str, Client], route: str, role: str
) -> None:
    # given
    spec = ROUTES[route]
    method, path = route.split(" ", 1)
    user = AnonymousUser() if role == "anonymous" else User.objects.get(username=role)
    api = route in API_OPERATIONS
    wrong = []
    found = targets(world, spec.target, user)
    # A method the page does not take is refused before the object is looked at: one will do.
    for target in found[:1] if spec.ok == 405 else found:
        url = url_for(spec, path, target)
        # when
        response, changed = attempt(clients[role], route, url, data_for(spec, target))
        # then
        got = status_of(response)
        want, refusal = expected(spec, api, role, user, target)
        if got != want:
            where = _where(spec, user, target)
            wrong.append(f"{role} {route} on {where}: expected {want}, got {got}")
        # A refusal, or an allowed request the form or the service turns down.
        refused = refusal or want.startswith("4")
        if method != "GET" and refused and changed:
            where = _where(spec, user, target)
            wrong.append(
                f"{role} {route} on {where}: refused ({got}) but changed {sorted(changed)}"
            )
    assert not wrong, "\n".join(wrong)


API_OPERATIONS = frozenset(api_operations())
