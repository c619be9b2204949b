"""Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_ABSOLUTE_HOURS after
the sign-in, whatever their activity."""

import datetime as dt

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from karnameh.accounts.models import UserSession
from karnameh.accounts.sessions import ended_message
from karnameh.accounts.tests.signin import post_login
from karnameh.accounts.tokens import token_create
from karnameh.audit.models import AuditEvent

START = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


def _idle() -> dt.timedelta:
    return dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES)


def test_a_session_idle_just_under_the_limit_lives_on(demo):
    # given
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        post_login(client, "staff")
        clock.shift(_idle() - SECOND)
        # when
        first = client.get("/")
        clock.shift(_idle() - SECOND)
        second = client.get("/")
    # then: each request restarted the idle clock
    assert first.status_code == second.status_code == 200


def test_a_session_idle_just_over_the_limit_ends_and_says_so(demo):
    # given
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        post_login(client, "staff")
        key = client.session.session_key
        clock.shift(_idle() + SECOND)
        # when
        response = client.get("/agencies/?q=x")
        page = client.get(response["Location"])
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fagencies%2F%3Fq%3Dx&ended=idle"
    assert ended_message("idle") in page.content.decode()
    assert "۳۰" in ended_message("idle")
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()
    event = AuditEvent.objects.get(action="accounts.session_expire")
    assert (event.actor_username, event.changes) == ("staff", {"reason": "idle"})


def test_an_active_session_ends_at_the_absolute_limit(demo):
    # given: a request every twenty minutes from the sign-in on
    client = Client()
    limit = dt.timedelta(hours=settings.SESSION_ABSOLUTE_HOURS)
    answers = []
    with time_machine.travel(START, tick=False) as clock:
        post_login(client, "council")
        for n in range(1, settings.SESSION_ABSOLUTE_HOURS * 3):
            clock.move_to(START + n * dt.timedelta(minutes=20))
            answers.append(client.get("/").status_code)
        clock.move_to(START + limit - SECOND)
        # when
        just_under = client.get("/")
        clock.move_to(START + limit + SECOND)
        just_over = client.get("/")
    # then
    assert set(answers) == {200}
    assert just_under.status_code == 200
    assert just_over.status_code == 302
    assert just_over["Location"] == "/accounts/login/?next=%2F&ended=absolute"


def test_an_htmx_request_is_told_to_load_the_login_page(demo):
    # given
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        post_login(client, "staff")
        clock.shift(_idle() + SECOND)
        # when
        response = client.get(
            "/agencies/?q=x",
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL="http://testserver/agencies/",
        )
    # then
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fagencies%2F&ended=idle"


def test_an_api_call_on_an_ended_session_gets_401_json(demo):
    # given
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        post_login(client, "staff")
        clock.shift(_idle() + SECOND)
        # when
        response = client.get("/api/v1/accounts/me")
        after = client.get("/api/v1/accounts/me")
    # then
    assert response.status_code == 401
    assert response.json() == {"detail": ended_message("idle"), "code": "session_expired"}
    assert after.status_code == 401
    assert after.json()["code"] == "not_authenticated"


def test_an_api_call_with_a_token_is_answered_by_the_token(demo, demo_user):
    # given: an ended session cookie, and a good token in the same request
    client = Client()
    with time_machine.travel(START, tick=False) as clock:
        _token, secret = token_create(actor=demo_user("staff"), name="dashboard")
        post_login(client, "staff")
        clock.shift(_idle() + SECOND)
        # when
        response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    # then
    assert response.status_code == 200
    assert response.json()["username"] == "staff"
    assert "_auth_user_id" not in client.session
