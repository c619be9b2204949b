"""Two-step sign-in (TOTP) for staff, evaluators, approvers and the administrator."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from karnameh.accounts import totp
from karnameh.accounts.models import LoginFailure, RecoveryCode, TotpDevice
from karnameh.accounts.services_totp import secret_of
from karnameh.accounts.tests.clients import signed_in
from karnameh.accounts.tests.signin import (
    code_now,
    enrol,
    is_signed_in,
    post_code,
    post_login,
    wrong_code,
)
from karnameh.accounts.tokens import token_create
from karnameh.audit.models import AuditEvent

START = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)
STEP = dt.timedelta(seconds=totp.STEP_SECONDS)
OFFERED = ["admin", "staff", "evaluator", "deputy", "council"]
NOT_OFFERED = ["agency", "office", "hq", "assessor", "national"]


@pytest.mark.parametrize("username", OFFERED)
def test_the_roles_that_decide_are_offered_two_step_sign_in(demo, username):
    # when
    client = signed_in(username)
    home = client.get("/").content.decode()
    page = client.get("/accounts/two-step/")
    # then
    assert 'href="/accounts/two-step/"' in home
    assert page.status_code == 200


@pytest.mark.parametrize("username", NOT_OFFERED)
def test_other_roles_are_not_offered_it(demo, demo_user, username):
    # when
    client = signed_in(username)
    home = client.get("/").content.decode()
    page = client.get("/accounts/two-step/")
    start = client.post("/accounts/two-step/start/")
    # then
    assert 'href="/accounts/two-step/"' not in home
    assert 'href="/accounts/password/"' in home
    assert page.status_code == start.status_code == 403
    assert not TotpDevice.objects.filter(user=demo_user(username)).exists()


def test_enrolment_shows_the_key_and_turns_on_with_a_right_code(demo, demo_user):
    # given
    client = signed_in("staff")
    staff = demo_user("staff")
    with time_machine.travel(START, tick=False) as clock:
        # when
        client.post("/accounts/two-step/start/")
        page = client.get("/accounts/two-step/").content.decode()
        clock.shift(STEP)
        wrong = client.post("/accounts/two-step/confirm/", {"code": wrong_code(staff)})
        still_off = TotpDevice.objects.get(user=staff).confirmed_at is None
        right = client.post("/accounts/two-step/confirm/", {"code": code_now(staff)})
    # then: the key in groups of four, the app's address, and a code field for the phone
    device = TotpDevice.objects.get(user=staff)
    key = totp.base32(secret_of(device))
    assert totp.grouped(key) in page
    assert f"otpauth://totp/%DA%A9%D8%A7%D8%B1%D9%86%D8%A7%D9%85%D9%87%3Astaff?secret={key}" in page
    assert 'autocomplete="one-time-code"' in page and 'for="id_code"' in page
    assert key not in device.secret  # sealed in the database
    assert wrong.status_code == 400 and still_off
    # and the recovery codes, shown once, kept only as digests
    assert right.status_code == 200 and device.confirmed_at is not None
    shown = right.content.decode()
    stored = set(RecoveryCode.objects.filter(device=device).values_list("digest", flat=True))
    codes = re.findall(r"[A-Z2-7]{4}(?:-[A-Z2-7]{4}){3}", shown)
    assert len(stored) == len(codes) == totp.RECOVERY_CODES
    assert {totp.recovery_digest(c) for c in codes} == stored
    assert "recovery-codes" not in client.get("/accounts/two-step/").content.decode()
    events = AuditEvent.objects.filter(action__startswith="accounts.totp").order_by("id")
    actions = list(events.values_list("action", flat=True))
    assert actions == ["accounts.totp_enrol", "accounts.totp_enable"]


def _with_two_step(demo_user, username: str = "deputy") -> list[str]:
    with time_machine.travel(START, tick=False):
        return enrol(demo_user(username))


def test_the_password_alone_does_not_sign_in(demo, demo_user):
    # given
    _with_two_step(demo_user)
    client = Client()
    with time_machine.travel(START + 2 * STEP, tick=False):
        # when
        response = post_login(client, "deputy")
        home = client.get("/")
        code_page = client.get("/accounts/login/code/").content.decode()
    # then
    assert response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    assert home["Location"].startswith("/accounts/login/")
    assert 'autocomplete="one-time-code"' in code_page


def test_a_right_code_signs_in_and_the_login_is_audited(demo, demo_user):
    # given
    _with_two_step(demo_user)
    client = Client()
    with time_machine.travel(START + 2 * STEP, tick=False):
        post_login(client, "deputy")
        # when
        response = post_code(client, code_now(demo_user("deputy")))
        inside = is_signed_in(client)
    # then
    assert response.status_code == 302 and inside
    event = AuditEvent.objects.get(action="accounts.login")
    assert event.changes == {"second_step": "totp"}


@pytest.mark.parametrize(("offset", "accepted"), [(-1, True), (1, True), (-2, False), (2, False)])
def test_a_code_one_step_off_is_accepted_and_an_older_or_later_one_is_not(
    demo, demo_user, offset, accepted
):
    # given
    _with_two_step(demo_user)
    client = Client()
    with time_machine.travel(START + 5 * STEP, tick=False):
        post_login(client, "deputy")
        # when
        response = post_code(client, code_now(demo_user("deputy"), steps_later=offset))
        inside = is_signed_in(client)
    # then
    assert (response.status_code == 302) is accepted
    assert inside is accepted


def test_a_wrong_or_reused_code_is_refused_and_counted(demo, demo_user):
    # given: the code of this step was just used to sign in elsewhere
    _with_two_step(demo_user)
    with time_machine.travel(START + 2 * STEP, tick=False):
        first = Client()
        post_login(first, "deputy")
        code = code_now(demo_user("deputy"))
        post_code(first, code)
        # when
        second = Client()
        post_login(second, "deputy", ip="10.0.0.2")
        reused = post_code(second, code, ip="10.0.0.2")
        wrong = post_code(second, wrong_code(demo_user("deputy")), ip="10.0.0.2")
        inside = is_signed_in(second)
    # then
    assert reused.status_code == wrong.status_code == 400
    assert not inside
    assert LoginFailure.objects.filter(username="deputy", ip="10.0.0.2").count() == 2
    assert AuditEvent.objects.filter(action="accounts.login").count() == 1


def test_a_recovery_code_works_once(demo, demo_user):
    # given
    codes = _with_two_step(demo_user)
    with time_machine.travel(START + 2 * STEP, tick=False):
        first, second, third = Client(), Client(), Client()
        for client in (first, second, third):
            post_login(client, "deputy")
        # when
        used = post_code(first, codes[0].lower())
        again = post_code(second, codes[0])
        another = post_code(third, codes[1])
    # then
    assert used.status_code == 302 and another.status_code == 302
    assert again.status_code == 400
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 2
    kinds = AuditEvent.objects.filter(action="accounts.login").values_list("changes", flat=True)
    assert list(kinds) == [{"second_step": "recovery_code"}] * 2


def test_the_code_step_is_throttled_like_the_password(demo, demo_user):
    # given
    _with_two_step(demo_user)
    client = Client()
    with time_machine.travel(START + 2 * STEP, tick=False):
        post_login(client, "deputy")
        for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
            post_code(client, wrong_code(demo_user("deputy")))
        # when
        response = post_code(client, code_now(demo_user("deputy")))
        inside = is_signed_in(client)
    # then
    assert response.status_code == 400
    assert "بیش از حد" in response.content.decode()
    assert not inside
    assert LoginFailure.objects.count() == settings.LOGIN_FAILURES_PER_ACCOUNT
    assert TotpDevice.objects.get().last_step == totp.step_at(START.timestamp())


def test_a_password_waits_only_five_minutes_for_its_code(demo, demo_user):
    # given
    _with_two_step(demo_user)
    client = Client()
    with time_machine.travel(START + 2 * STEP, tick=False) as clock:
        post_login(client, "deputy")
        clock.shift(dt.timedelta(minutes=5, seconds=1))
        # when
        response = post_code(client, code_now(demo_user("deputy")))
    # then
    assert response["Location"] == "/accounts/login/"


def test_turning_off_needs_the_password_and_a_code(demo, demo_user):
    # given
    _with_two_step(demo_user)
    client = signed_in("deputy")
    with time_machine.travel(START + 2 * STEP, tick=False):
        code = code_now(demo_user("deputy"))
        # when
        refused = client.post("/accounts/two-step/disable/", {"password": "not-it", "code": code})
        kept = TotpDevice.objects.filter(user=demo_user("deputy")).exists()
        done = client.post("/accounts/two-step/disable/", {"password": "demo", "code": code})
        later = post_login(Client(), "deputy")
    # then
    assert refused.status_code == 400 and kept
    assert done.status_code == 302
    assert not TotpDevice.objects.exists() and not RecoveryCode.objects.exists()
    assert AuditEvent.objects.filter(action="accounts.totp_disable").count() == 1
    assert later["Location"] == "/"


def test_api_tokens_work_without_a_code(demo, demo_user):
    # given: a token made by a signed-in user who has two-step sign-in on
    _with_two_step(demo_user)
    _token, secret = token_create(actor=demo_user("deputy"), name="sync")
    # when
    response = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    # then
    assert response.status_code == 200
    assert response.json()["username"] == "deputy"


def test_a_secret_sealed_under_a_lost_key_lets_only_recovery_codes_in(demo, demo_user, settings):
    # given: two-step sign-in set up, then SECRET_KEY replaced with no fallback kept
    codes = _with_two_step(demo_user)
    with time_machine.travel(START + 2 * STEP, tick=False):
        right_code = code_now(demo_user("deputy"))
        settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a brand new key " * 4, []
        app, spare = Client(), Client()
        post_login(app, "deputy")
        post_login(spare, "deputy")
        # when
        refused = post_code(app, right_code)
        accepted = post_code(spare, codes[0])
    # then
    assert refused.status_code == 400
    assert accepted.status_code == 302
