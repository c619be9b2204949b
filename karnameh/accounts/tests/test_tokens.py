"""API tokens: the page that hands them out, and bearer authentication on the API."""

import datetime as dt
import hashlib
import json

import pytest
import time_machine
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from karnameh.accounts.models import ApiToken, User
from karnameh.accounts.tokens import token_create, token_revoke
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import Forbidden
from tests.test_persian_digits import ascii_digits_shown


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _refusal() -> str:
    with translation.override("fa"):
        return gettext("The API token is wrong, revoked or expired.")


def test_a_token_acts_as_its_user_and_sees_only_what_that_user_sees(demo, demo_user):
    # given
    _token, staff_secret = token_create(actor=demo_user("staff"), name="داشبورد")
    _token, agency_secret = token_create(actor=demo_user("agency"), name="سامانه داخلی")
    # when
    staff = Client().get("/api/v1/agencies/?limit=100", headers=_bearer(staff_secret))
    agency = Client().get("/api/v1/agencies/?limit=100", headers=_bearer(agency_secret))
    me = Client().get("/api/v1/accounts/me", headers=_bearer(agency_secret))
    # then
    staff_codes = {item["code"] for item in staff.json()["items"]}
    assert staff.status_code == 200
    assert staff.json()["count"] == 40
    assert "AR-ED" in staff_codes and "IL-ED" not in staff_codes
    assert "AR-ED" in {item["code"] for item in agency.json()["items"]}
    assert agency.json()["count"] < staff.json()["count"]
    assert me.json()["username"] == "agency"


def _revoked(user: User) -> str:
    token, secret = token_create(actor=user, name="x")
    token_revoke(actor=user, token=token)
    return secret


def _expired(user: User) -> str:
    with time_machine.travel("2024-01-01 08:00Z", tick=False):
        _token, secret = token_create(
            actor=user, name="x", expires_at=timezone.now() + dt.timedelta(days=1)
        )
    return secret


def _inactive(user: User) -> str:
    _token, secret = token_create(actor=user, name="x")
    User.objects.filter(pk=user.pk).update(is_active=False)
    return secret


def _wrong(user: User) -> str:
    _token, secret = token_create(actor=user, name="x")
    # The right prefix with the wrong rest: the digest comparison must refuse it.
    return secret[:8] + "A" * (len(secret) - 8)


@pytest.mark.parametrize("make", [_revoked, _expired, _inactive, _wrong])
def test_a_revoked_expired_wrong_or_inactive_users_token_is_refused(demo, demo_user, make):
    # given
    secret = make(demo_user("staff"))
    # when
    response = Client().get("/api/v1/agencies/", headers=_bearer(secret))
    # then
    assert response.status_code == 401
    assert response.json() == {"detail": _refusal(), "code": "invalid_token"}


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer ", "Bearer short", "Token abcdefghijkl", "Basic Zm9vOmJhcg=="]
)
def test_a_malformed_header_is_refused(demo, header):
    # when
    response = Client().get("/api/v1/agencies/", headers={"Authorization": header})
    # then
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert response.json()["detail"] == _refusal()


def test_without_a_token_or_a_session_the_api_asks_to_sign_in(demo):
    # when
    response = Client().get("/api/v1/agencies/")
    # then
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_post_with_a_token_needs_no_csrf_but_a_session_post_still_does(demo, demo_user):
    # given
    _token, secret = token_create(actor=demo_user("agency"), name="x")
    body = json.dumps({"kind": "complaint", "subject": "موضوع", "body": "متن"})
    session = Client(enforce_csrf_checks=True)
    session.force_login(demo_user("agency"))
    # when
    with_token = Client(enforce_csrf_checks=True).post(
        "/api/v1/feedback/", body, content_type="application/json", headers=_bearer(secret)
    )
    with_session = session.post("/api/v1/feedback/", body, content_type="application/json")
    # then
    assert with_token.status_code == 201
    assert with_token.json()["author"] == "agency"
    assert with_session.status_code == 403


def test_the_secret_is_not_stored_only_its_digest(demo, demo_user):
    # when
    token, secret = token_create(actor=demo_user("staff"), name="گزارش")
    # then
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert row["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert row["prefix"] == secret[:8]
    assert not any(secret in str(value) for value in row.values())
    assert not any(secret in str(e.changes) for e in AuditEvent.objects.all())
    assert AuditEvent.objects.filter(action="token.create").count() == 1


def test_last_use_is_written_at_most_once_a_minute(demo, demo_user):
    # given
    token, secret = token_create(actor=demo_user("staff"), name="x")
    client = Client()
    # when
    with time_machine.travel("2024-06-01 08:00:00Z", tick=False):
        client.get("/api/v1/accounts/me", headers=_bearer(secret))
    with time_machine.travel("2024-06-01 08:00:40Z", tick=False):
        client.get("/api/v1/accounts/me", headers=_bearer(secret))
        seen_early = ApiToken.objects.get(pk=token.pk).last_used_at
    with time_machine.travel("2024-06-01 08:01:30Z", tick=False):
        client.get("/api/v1/accounts/me", headers=_bearer(secret))
    # then
    assert seen_early == dt.datetime(2024, 6, 1, 8, 0, tzinfo=dt.UTC)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == dt.datetime(
        2024, 6, 1, 8, 1, 30, tzinfo=dt.UTC
    )


def _page(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_the_secret_once_and_lists_own_tokens(demo, demo_user):
    # given
    token_create(actor=demo_user("agency"), name="توکن دیگری")
    client = _page(demo_user("staff"))
    # when
    created = client.post("/accounts/tokens/", {"name": "داشبورد استان", "expires_on": ""})
    later = client.get("/accounts/tokens/")
    # then
    token = ApiToken.objects.get(user=demo_user("staff"))
    secret = created.content.decode().split('id="new-token-secret"')[1].split('value="')[1]
    secret = secret.split('"')[0]
    assert hashlib.sha256(secret.encode()).hexdigest() == token.digest
    assert "no-store" in created["Cache-Control"]
    assert secret not in later.content.decode()
    assert "داشبورد استان" in later.content.decode()
    assert "توکن دیگری" not in later.content.decode()


def test_a_token_may_be_given_a_last_day(demo, demo_user):
    # given: 1403/03/12
    client = _page(demo_user("staff"))
    # when
    with time_machine.travel("2024-06-01 08:00Z", tick=False):
        past = client.post("/accounts/tokens/", {"name": "x", "expires_on": "۱۴۰۳/۰۳/۱۱"})
        ok = client.post("/accounts/tokens/", {"name": "y", "expires_on": "۱۴۰۳/۰۳/۲۰"})
    # then
    assert "alert-danger" in past.content.decode()
    assert ok.status_code == 200
    # Through the whole of 1403/03/20 (2024-06-09) in Tehran.
    assert ApiToken.objects.get().expires_at == dt.datetime(2024, 6, 9, 20, 30, tzinfo=dt.UTC)


def test_an_owner_revokes_and_another_users_token_is_not_found(demo, demo_user):
    # given
    mine, _secret = token_create(actor=demo_user("staff"), name="x")
    theirs, _secret = token_create(actor=demo_user("agency"), name="y")
    client = _page(demo_user("staff"))
    # when
    revoked = client.post(f"/accounts/tokens/{mine.pk}/revoke/")
    other = client.post(f"/accounts/tokens/{theirs.pk}/revoke/")
    # then
    assert revoked.status_code == 302
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is not None
    assert other.status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
    assert AuditEvent.objects.filter(action="token.revoke").count() == 1


def test_the_service_refuses_to_revoke_another_users_token(demo, demo_user):
    # given
    theirs, _secret = token_create(actor=demo_user("agency"), name="y")
    # when
    with pytest.raises(Forbidden):
        token_revoke(actor=demo_user("staff"), token=theirs)
    # then
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


def test_the_administrator_sees_and_revokes_everyones(demo, demo_user):
    # given
    theirs, _secret = token_create(actor=demo_user("agency"), name="سامانهٔ آموزش")
    client = _page(demo_user("admin"))
    # when
    page = client.get("/accounts/tokens/").content.decode()
    revoked = client.post(f"/accounts/tokens/{theirs.pk}/revoke/")
    # then
    assert "سامانهٔ آموزش" in page
    assert revoked.status_code == 302
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is not None


def test_a_user_without_a_role_gets_no_token(db):
    # given
    user = User.objects.create_user("nobody", password="x")
    # when
    response = _page(user).post("/accounts/tokens/", {"name": "x"})
    # then
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_the_page_shows_only_persian_digits_besides_token_prefixes(demo, demo_user):
    # given
    with time_machine.travel("2024-06-01 08:00Z", tick=False):
        token, secret = token_create(
            actor=demo_user("agency"), name="x", expires_at=timezone.now() + dt.timedelta(days=3)
        )
        Client().get("/api/v1/accounts/me", headers=_bearer(secret))
    # when
    response = _page(demo_user("admin")).get("/accounts/tokens/")
    # then
    shown = ascii_digits_shown(response.content.decode())
    assert [text for text in shown if text != f"{token.prefix}…"] == []


def _queries(client: Client, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(15) as captured:
        response = client.get("/accounts/tokens/")
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_page_costs_the_same_with_few_or_many_tokens(
    demo, demo_user, django_assert_max_num_queries
):
    # given
    client = _page(demo_user("admin"))
    token_create(actor=demo_user("agency"), name="x")
    few = _queries(client, django_assert_max_num_queries)
    # when
    for number in range(20):
        token_create(actor=demo_user("staff" if number % 2 else "agency"), name=f"t{number}")
    many = _queries(client, django_assert_max_num_queries)
    # then
    assert many == few
