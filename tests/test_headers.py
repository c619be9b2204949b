"""The security headers, on every answer of the site (issue 7, item 8).

Every URL pattern of the site (the admin only through its sign-in page) is requested with GET,
and every operation of the API with its own method, over HTTPS with the production settings'
security values, as a signed-in member of the modernization group's staff and as an anonymous
visitor. Every answer, whatever its status, must carry:

- a Content-Security-Policy with ``default-src``, ``frame-ancestors 'none'``, no plugins
  (``object-src 'none'``) and no inline or evaluated script;
- Strict-Transport-Security for at least a year, including subdomains;
- ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and a Referrer-Policy that
  sends no address to other sites;
- ``Cache-Control: no-store`` when someone is signed in; for a visitor, only the public
  portal's pages may be cached, and they set no cookie.

Cookies the answers set are Secure and HttpOnly. The walk must reach every pattern and every
operation, with a path that resolves to it, so a new page cannot escape it.
"""

import itertools
import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpResponseBase
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve

from karnameh.accounts.models import User
from karnameh.accounts.tokens import token_create
from karnameh.api.api import api
from tests.test_api_fuzz import world
from tests.test_embargo import PARAM, patterns

YEAR = 365 * 24 * 60 * 60
# Parts of the site that are not the product's pages: static files are WhiteNoise's; of the
# admin, only its sign-in page is open to anyone.
SKIPPED = ("static/", "admin/")
EXTRA_PAGES = ("/admin/login/",)
# The production settings that change the headers and cookies.
PRODUCTION = (
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
)
STRICT_REFERRERS = {"no-referrer", "same-origin"}
# Values for the pages' path parameters, in addition to those the API fuzzing uses.
NAMED: dict[str, list[Any]] = {
    "kind": ["complaint", "survey"],
    "side": ["agency", "organization"],
    "what": ["start", "finish"],
    "number": [6, 9],  # steps (feedback's tracking numbers come from the data)
}
ALIASES = {"cycle_pk": "cycle", "agency_code": "agency", "workshop": "workshop_id"}
# Paths tried per route until one does not answer 404.
TRIES = 12


def production_env() -> dict[str, str]:
    # Without the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, which production never sets (and
    # check --deploy refuses); the whole suite sets it in this process before this test runs.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "ALLOWED_HOSTS": "karnameh.example",
    }


@cache
def production() -> dict[str, Any]:
    """The values of config.settings.prod, read as production reads them (a fresh process)."""
    code = (
        "import json, config.settings.prod as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {PRODUCTION!r}}}))"
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        env=production_env(),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout)
    found["SECURE_PROXY_SSL_HEADER"] = tuple(found["SECURE_PROXY_SSL_HEADER"])
    return found


@pytest.fixture
def like_production(settings: Any) -> None:
    for name, value in production().items():
        setattr(settings, name, value)


def options(name: str, known: dict[str, list[Any]]) -> list[Any]:
    return [*NAMED.get(name, []), *known.get(ALIASES.get(name, name), [])] or known["id"]


def candidates(route: str, known: dict[str, list[Any]]) -> list[str]:
    """Paths for the route, the likeliest rows first; only those that resolve to it."""
    names = [m.group(2) or m.group(3) for m in PARAM.finditer(route)]
    found = []
    for combo in itertools.islice(
        itertools.product(*(options(n, known) for n in names)), TRIES * 4
    ):
        filled = iter(combo)

        def put(_match: re.Match[str], given: Iterator[Any] = filled) -> str:
            return str(next(given))

        path = "/" + PARAM.sub(put, route)
        if route_of(path) == route.replace("{", "<").replace("}", ">"):
            found.append(path)
    return found[:TRIES]


def route_of(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def routes() -> list[str]:
    """Every URL pattern of the site, the API's included."""
    return [
        r
        for r in patterns(get_resolver().url_patterns)
        if not r.startswith(SKIPPED) and "^" not in r and "(?P" not in r
    ]


def operations() -> list[tuple[str, str]]:
    """Every operation of the API's schema: its method and its route."""
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path.removeprefix("/"))
        for path, item in schema["paths"].items()
        for method in item
    ]


def policy(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def problems(response: HttpResponseBase, *, signed_in: bool, path: str) -> list[str]:
    """What is wrong with one answer's headers (nothing, if all is well)."""
    found = []
    csp = policy(response.get("Content-Security-Policy", ""))

    def effective(directive: str) -> list[str]:
        return csp.get(directive, csp.get("default-src", []))

    if "default-src" not in csp:
        found.append("CSP without default-src")
    if csp.get("frame-ancestors") != ["'none'"]:
        found.append("CSP without frame-ancestors 'none'")
    if effective("object-src") != ["'none'"]:
        found.append("CSP allows plugins (object-src)")
    if {"'unsafe-inline'", "'unsafe-eval'"} & set(effective("script-src")):
        found.append("CSP allows inline or evaluated script")
    hsts = [d.strip().lower() for d in response.get("Strict-Transport-Security", "").split(";")]
    age = next((int(d.split("=")[1]) for d in hsts if d.startswith("max-age=")), 0)
    if age < YEAR or "includesubdomains" not in hsts:
        found.append(f"HSTS {hsts}")
    if response.get("X-Content-Type-Options") != "nosniff":
        found.append("no nosniff")
    if response.get("X-Frame-Options") != "DENY":
        found.append(f"X-Frame-Options {response.get('X-Frame-Options')}")
    referrer = response.get("Referrer-Policy", "").split(",")[-1].strip()
    if referrer not in STRICT_REFERRERS:
        found.append(f"Referrer-Policy {referrer!r}")
    caching = response.get("Cache-Control", "")
    if signed_in and "no-store" not in caching:
        found.append(f"Cache-Control {caching!r} when signed in")
    if not signed_in and "no-store" not in caching:
        portal = path.startswith("/public/") and "public" in caching
        if not portal or response.cookies:
            found.append(f"Cache-Control {caching!r} for a visitor")
    for name, cookie in response.cookies.items():
        if cookie.value and not (cookie["secure"] and cookie["httponly"]):
            found.append(f"cookie {name} not Secure and HttpOnly")
    return [f"{response.status_code} {path}: {p}" for p in found]


@dataclass
class Walker:
    """Sends requests as one caller and keeps what is wrong with the answers."""

    client: Client
    user: User | None
    found: list[str] = field(default_factory=list)
    sent: set[str] = field(default_factory=set)

    def send(self, method: str, path: str) -> HttpResponseBase:
        form = "application/json" if path.startswith("/api/") else "multipart/form-data"
        body = b"" if method == "GET" else b"{}" if form == "application/json" else {}
        if method == "GET" or form == "application/json":
            response = self.client.generic(method, path, body, form, secure=True)
        else:
            response = self.client.post(path, body, secure=True)
        self.sent.add(f"{method} {route_of(path)}")
        self.found += problems(response, signed_in=self.user is not None, path=path)
        if self.user and not response.wsgi_request.user.is_authenticated:
            self.client.force_login(self.user)  # the page signed out (logout): in again
        return response

    def page(self, path: str) -> int:
        """GET, and POST too where the page only takes a form."""
        status = self.send("GET", path).status_code
        if status == 405:
            status = self.send("POST", path).status_code
        return status


def walk(staff: User, known: dict[str, list[Any]]) -> tuple[Walker, Walker, dict[str, str]]:
    """Every route and operation as staff (trying rows until one is found) and as a visitor."""
    signed_in, visitor = Walker(Client(), staff), Walker(Client(), None)
    signed_in.client.force_login(staff)
    chosen: dict[str, str] = {}
    for route in routes():
        for path in candidates(route, known):
            chosen[route] = path
            if signed_in.page(path) != 404:
                break
    for path in chosen.values():
        visitor.page(path)
    for method, template in operations():
        route = template.replace("{", "<").replace("}", ">")
        path = chosen.get(route) or next(iter(candidates(template, known)), "")
        if method != "GET" and path:
            signed_in.send(method, path)
        if path:
            visitor.send(method, path)
    for route in EXTRA_PAGES:
        signed_in.page(route)
        visitor.page(route)
    return signed_in, visitor, chosen


@pytest.mark.usefixtures("like_production")
def test_every_answer_carries_the_security_headers(demo: Any) -> None:
    # given: every kind of page has something to show
    known = world(full_demo=True)
    staff = User.objects.get(username="staff")
    # when
    signed_in, visitor, chosen = walk(staff, known)
    # then
    assert signed_in.found == [] and visitor.found == []
    # the walk reached every pattern of the site and every operation of the API
    every_route, every_operation = routes(), operations()
    assert len(every_route) > 250 and len(every_operation) > 100
    assert set(every_route) - set(chosen) == set()
    for walker in (signed_in, visitor):
        assert {f"GET {route}" for route in every_route} <= walker.sent
        assert {
            f"{method} {route.replace('{', '<').replace('}', '>')}"
            for method, route in every_operation
        } <= walker.sent


def test_the_production_settings_pass_the_deployment_checks() -> None:
    # given: production's own settings, with the secrets it demands
    env = production_env()
    # when
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    # then
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
    assert production()["SECURE_HSTS_SECONDS"] >= YEAR


def test_the_portal_may_be_cached_for_visitors_but_never_for_the_signed_in(demo: Any) -> None:
    # given: the portal's index, which sets public caching itself
    staff = Client()
    staff.force_login(User.objects.get(username="staff"))
    # when
    anonymous = Client().get("/public/")
    signed_in = staff.get("/public/")
    # then
    assert anonymous.status_code == signed_in.status_code == 200
    assert "public" in anonymous["Cache-Control"] and "no-store" not in anonymous["Cache-Control"]
    assert "no-store" in signed_in["Cache-Control"] and "public" not in signed_in["Cache-Control"]
    assert "private" in signed_in["Cache-Control"]
    assert anonymous.content == signed_in.content


def test_a_view_that_chose_no_store_keeps_its_own_words(demo: Any) -> None:
    # given: the agencies' spreadsheet, which says only "no-store" itself
    staff = Client()
    staff.force_login(User.objects.get(username="staff"))
    # when
    download = staff.get("/agencies/export.xlsx")
    # then
    assert download.status_code == 200
    assert download["Cache-Control"] == "no-store"


def test_an_answer_nobody_chose_caching_for_is_not_stored(demo: Any) -> None:
    # given: an API list, and the login page that sets the CSRF cookie
    staff = Client()
    staff.force_login(User.objects.get(username="staff"))
    # when
    listing = staff.get("/api/v1/agencies/")
    login = Client().get("/accounts/login/")
    # then
    assert listing.status_code == login.status_code == 200
    assert "no-store" in listing["Cache-Control"] and "private" in listing["Cache-Control"]
    assert "no-store" in login["Cache-Control"] and login.cookies


def test_an_api_answer_to_a_token_is_never_stored(demo: Any) -> None:
    # given
    _token, secret = token_create(actor=User.objects.get(username="agency"), name="headers")
    # when
    response = Client().get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {secret}"})
    # then
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"] and not response.cookies
