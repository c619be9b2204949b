"""Login throttling that stops guessing without letting a stranger lock a person out."""

import datetime as dt

import time_machine
from django.conf import settings
from django.test import Client

from karnameh.accounts.models import LoginFailure
from karnameh.accounts.tests.signin import is_signed_in, post_login
from karnameh.accounts.throttle import DEVICE_COOKIE

START = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)
ATTACKER = "10.6.6.6"


def _fail(username: str, times: int, ip: str = ATTACKER) -> None:
    for _ in range(times):
        post_login(Client(), username, "wrong", ip=ip)


def test_the_victim_signs_in_from_elsewhere_while_the_attackers_address_is_locked(demo):
    # given: an attacker used up the account's attempts from their address
    with time_machine.travel(START, tick=False):
        _fail("staff", settings.LOGIN_FAILURES_PER_ACCOUNT)
        # when
        attacker = post_login(Client(), "staff", "demo", ip=ATTACKER)
        victim = Client()
        from_office = post_login(victim, "staff", "demo", ip="10.1.1.1")
        victim_in = is_signed_in(victim)
        attacker_again = post_login(Client(), "staff", "demo", ip=ATTACKER)
    # then: the victim is in, and their success did not forgive the attacker
    assert attacker.status_code == 400
    assert from_office.status_code == 302 and victim_in
    assert attacker_again.status_code == 400
    assert LoginFailure.objects.filter(ip=ATTACKER).count() == settings.LOGIN_FAILURES_PER_ACCOUNT


def test_the_lock_message_says_in_persian_how_long_to_wait(demo):
    # given
    with time_machine.travel(START, tick=False) as clock:
        _fail("staff", settings.LOGIN_FAILURES_PER_ACCOUNT)
        clock.shift(dt.timedelta(minutes=5))
        # when
        response = post_login(Client(), "staff", "demo", ip=ATTACKER)
    # then: the window is 15 minutes and 5 have passed
    page = response.content.decode()
    assert "بیش از حد" in page
    assert "۱۰ دقیقه صبر کنید" in page


def test_a_locked_attempt_with_the_right_password_fails_and_resets_nothing(demo):
    # given
    limit = settings.LOGIN_FAILURES_PER_ACCOUNT
    with time_machine.travel(START, tick=False) as clock:
        _fail("staff", limit)
        # when
        client = Client()
        right = post_login(client, "staff", "demo", ip=ATTACKER)
        right_in = is_signed_in(client)
        clock.shift(dt.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES - 1))
        still = post_login(Client(), "staff", "demo", ip=ATTACKER)
    # then
    assert right.status_code == still.status_code == 400
    assert not right_in
    assert LoginFailure.objects.filter(username="staff").count() == limit


def test_failures_spread_over_many_addresses_lock_the_account_for_strangers_only(demo):
    # given: the person signed in once from their own browser, which keeps its device cookie
    own_browser = Client()
    with time_machine.travel(START, tick=False) as clock:
        post_login(own_browser, "council", ip="10.1.1.1")
        own_browser.post("/accounts/logout/")
        clock.shift(dt.timedelta(minutes=1))
        # and guesses from many addresses, each staying under its own limit
        per_address = settings.LOGIN_FAILURES_PER_ACCOUNT - 1
        addresses = -(-settings.LOGIN_FAILURES_PER_ACCOUNT_TOTAL // per_address)
        for n in range(addresses):
            _fail("council", per_address, ip=f"10.8.0.{n + 1}")
        # when
        stranger = post_login(Client(), "council", "demo", ip="10.9.9.9")
        own = post_login(own_browser, "council", "demo", ip="10.9.9.9")
        own_in = is_signed_in(own_browser)
        clock.shift(dt.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES, seconds=1))
        later = post_login(Client(), "council", "demo", ip="10.9.9.9")
    # then: a new address is refused until the window passes; the person's browser is not
    assert stranger.status_code == 400
    assert own.status_code == 302 and own_in
    assert later.status_code == 302


def test_the_device_cookie_counts_its_own_failures_and_serves_no_other_account(demo):
    # given: a browser trusted for «staff»
    browser = Client()
    with time_machine.travel(START, tick=False):
        post_login(browser, "staff", ip="10.1.1.1")
        browser.post("/accounts/logout/")
        # when: it fails for «staff» up to the limit, and «council» was locked at its address
        for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
            post_login(browser, "staff", "wrong", ip="10.1.1.1")
        _fail("council", settings.LOGIN_FAILURES_PER_ACCOUNT, ip="10.1.1.1")
        own = post_login(browser, "staff", "demo", ip="10.1.1.1")
        other = post_login(browser, "council", "demo", ip="10.1.1.1")
    # then
    assert own.status_code == 400
    assert other.status_code == 400
    assert set(LoginFailure.objects.filter(username="staff").values_list("device", flat=True)) != {
        ""
    }


def test_a_forged_device_cookie_is_ignored(demo):
    # given
    with time_machine.travel(START, tick=False):
        _fail("staff", settings.LOGIN_FAILURES_PER_ACCOUNT)
        forger = Client()
        forger.cookies[DEVICE_COOKIE] = '{"u": "staff", "d": "abc"}:forged:signature'
        # when
        response = post_login(forger, "staff", "demo", ip=ATTACKER)
        forger_in = is_signed_in(forger)
    # then
    assert response.status_code == 400
    assert not forger_in


def test_a_complete_sign_in_gives_the_browser_a_device_cookie_for_the_sign_in_pages(demo):
    # when
    response = post_login(Client(), "staff")
    # then
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["path"] == "/accounts/"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
