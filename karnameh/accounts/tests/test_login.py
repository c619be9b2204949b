"""Signing in and out: throttling, session rotation, a logout that really ends the session."""

import datetime as dt

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from karnameh.accounts.models import LoginFailure
from karnameh.accounts.tests.signin import post_login as _post_login
from karnameh.audit.models import AuditEvent

START = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)


def test_a_demo_user_logs_in_and_the_login_is_audited(demo):
    # given
    client = Client()
    # when
    response = _post_login(client, "staff", "demo")
    # then
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.login", actor_username="staff").count() == 1


def test_a_wrong_password_is_refused_and_counted(demo):
    # when
    response = _post_login(Client(), "staff", "wrong")
    # then
    assert response.status_code == 400
    assert "نام کاربری یا گذرواژه نادرست است" in response.content.decode()
    assert LoginFailure.objects.filter(username="staff").count() == 1


def test_the_account_locks_after_repeated_failures_even_for_the_right_password(demo):
    # given
    limit = settings.LOGIN_FAILURES_PER_ACCOUNT
    with time_machine.travel(START, tick=False):
        for _ in range(limit):
            _post_login(Client(), "staff", "wrong")
        # when
        client = Client()
        response = _post_login(client, "staff", "demo")
        # then
        assert response.status_code == 400
        assert "بیش از حد" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert LoginFailure.objects.count() == limit  # a locked attempt is not even checked


def test_the_lock_expires_after_the_window(demo):
    # given
    with time_machine.travel(START, tick=False):
        for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
            _post_login(Client(), "staff", "wrong")
    later = START + dt.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES, seconds=1)
    # when
    with time_machine.travel(later, tick=False):
        response = _post_login(Client(), "staff", "demo")
    # then
    assert response.status_code == 302
    assert not LoginFailure.objects.filter(username="staff").exists()


def test_one_address_guessing_many_accounts_is_locked_out(demo):
    # given
    with time_machine.travel(START, tick=False):
        for number in range(settings.LOGIN_FAILURES_PER_IP):
            _post_login(Client(), f"nobody{number}", "guess", ip="10.9.9.9")
        # when
        locked = _post_login(Client(), "council", "demo", ip="10.9.9.9")
        elsewhere = _post_login(Client(), "council", "demo", ip="10.1.1.1")
    # then
    assert locked.status_code == 400
    assert elsewhere.status_code == 302


def test_login_gives_the_session_a_new_key(demo):
    # given
    client = Client()
    client.get("/accounts/login/")
    session = client.session
    session["planted"] = "by someone else"
    session.save()
    planted_key = session.session_key
    # when
    _post_login(client, "agency", "demo")
    # then
    assert client.session.session_key != planted_key
    assert not Session.objects.filter(session_key=planted_key).exists()


def test_logout_ends_the_session_so_the_old_cookie_opens_nothing(demo):
    # given
    client = Client()
    _post_login(client, "deputy", "demo")
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    # when
    response = client.post("/accounts/logout/")
    # then
    assert response.status_code == 302
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    assert thief.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="accounts.logout", actor_username="deputy").exists()


def test_logout_by_get_is_refused_and_keeps_the_session(demo):
    # given
    client = Client()
    _post_login(client, "deputy", "demo")
    # when
    response = client.get("/accounts/logout/")
    # then
    assert response.status_code == 405
    assert client.get("/").status_code == 200


def test_login_only_returns_to_pages_of_this_site(demo):
    # when
    inside = _post_login_next(Client(), "/agencies/")
    outside = _post_login_next(Client(), "https://evil.example/phish")
    # then
    assert inside["Location"] == "/agencies/"
    assert outside["Location"] == "/"


def _post_login_next(client: Client, target: str):
    return client.post(
        "/accounts/login/", {"username": "staff", "password": "demo", "next": target}
    )


def test_pages_need_a_login(db):
    # when
    response = Client().get("/agencies/")
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_behind_a_proxy_the_clients_own_address_is_throttled(demo, settings):
    # given: every request arrives from the proxy at 127.0.0.1, which names the client
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    with time_machine.travel(START, tick=False):
        for number in range(settings.LOGIN_FAILURES_PER_IP):
            Client().post(
                "/accounts/login/",
                {"username": f"nobody{number}", "password": "guess"},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_REAL_IP="10.6.6.6",
            )
        # when
        other_client = Client().post(
            "/accounts/login/",
            {"username": "council", "password": "demo"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP="10.7.7.7",
        )
    # then
    assert other_client.status_code == 302
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"10.6.6.6"}
