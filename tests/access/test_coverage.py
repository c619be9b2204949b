"""Every route of the site has an expectation in the access matrix, and no expectation is
left for a route that is gone (the way Zulip's URL coverage works).

A new URL pattern or API operation fails here, by name, until routes_pages.py or
routes_api.py says what each role must get from it (docs/access.md, "Adding a route").
"""

from karnameh.accounts.policy import TABLE

from .matrix import site_routes
from .routes_api import API_ROUTES
from .routes_pages import PAGE_ROUTES
from .targets import KINDS

ROUTES = {**PAGE_ROUTES, **API_ROUTES}


def test_every_route_of_the_site_has_an_expectation() -> None:
    missing = sorted(set(site_routes()) - set(ROUTES))
    assert missing == [], "routes with no entry in tests/access/routes_*.py"


def test_no_expectation_is_left_for_a_route_that_is_gone() -> None:
    gone = sorted(set(ROUTES) - set(site_routes()))
    assert gone == [], "entries of tests/access/routes_*.py for routes that no longer exist"


def test_every_expectation_names_a_known_action_and_target() -> None:
    # given
    names = set(TABLE) | {"self"}
    wrong = []
    # when
    for route, spec in ROUTES.items():
        for expression in (spec.action, spec.sees):
            if expression in (None, "default"):
                continue
            wrong += [
                f"{route}: {a}"
                for part in expression.split("|")
                for a in part.split("&")
                if a not in names
            ]
        if spec.target not in KINDS:
            wrong.append(f"{route}: target {spec.target}")
    # then
    assert wrong == []
