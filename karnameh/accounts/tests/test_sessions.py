"""Sessions die on logout, on a password change (all but the one making it) and when the
account is disabled; a disabled user's API tokens stop too."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from karnameh.accounts.models import LoginFailure, RoleAssignment, User, UserSession
from karnameh.accounts.services import user_disable
from karnameh.accounts.tests.clients import signed_in
from karnameh.accounts.tests.signin import is_signed_in, post_login
from karnameh.accounts.tokens import token_create
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import Forbidden

NEW_PASSWORD = "kavir-sabz-1403"


def _two_browsers(username: str) -> tuple[Client, Client]:
    first, second = Client(), Client()
    post_login(first, username, ip="10.0.0.1")
    post_login(second, username, ip="10.0.0.2")
    assert is_signed_in(first) and is_signed_in(second)
    return first, second


def test_logout_deletes_the_session_and_its_cookie_opens_nothing(demo):
    # given
    client, other = _two_browsers("deputy")
    key = client.session.session_key
    # when
    client.post("/accounts/logout/")
    # then
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = str(key)
    assert replay.get("/")["Location"].startswith("/accounts/login/")
    assert is_signed_in(other)


def _change(client: Client, old: str = "demo", new: str = NEW_PASSWORD, again: str | None = None):
    data = {"old_password": old, "new_password1": new, "new_password2": again or new}
    return client.post("/accounts/password/", data)


def test_a_password_change_keeps_this_session_and_ends_every_other(demo, demo_user):
    # given
    here, elsewhere = _two_browsers("staff")
    elsewhere_key = elsewhere.session.session_key
    # when
    response = _change(here)
    # then
    assert response.status_code == 302
    assert is_signed_in(here)
    assert elsewhere.get("/")["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key=elsewhere_key).exists()
    assert list(
        UserSession.objects.filter(user__username="staff").values_list("session_key", flat=True)
    ) == [here.session.session_key]
    assert demo_user("staff").check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="accounts.password_change")
    assert (event.actor_username, event.changes) == ("staff", {"other_sessions_ended": 1})
    assert post_login(Client(), "staff", "demo", ip="10.0.0.3").status_code == 400
    assert post_login(Client(), "staff", NEW_PASSWORD, ip="10.0.0.3").status_code == 302


def test_the_password_page_has_labels_and_the_right_autocomplete(demo):
    # when
    page = signed_in("agency").get("/accounts/password/").content.decode()
    # then
    assert 'autocomplete="current-password"' in page
    assert page.count('autocomplete="new-password"') == 2
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'<label class="form-label" for="id_{name}">' in page


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failure(demo, demo_user):
    # given
    here, elsewhere = _two_browsers("agency")
    # when
    response = _change(here, old="not-it")
    # then
    assert response.status_code == 400
    assert "گذرواژهٔ قدیمی‌تان اشتباه وارد شد" in response.content.decode()
    assert demo_user("agency").check_password("demo")
    assert is_signed_in(elsewhere)
    assert LoginFailure.objects.filter(username="agency").count() == 1
    assert not AuditEvent.objects.filter(action="accounts.password_change").exists()


@pytest.mark.parametrize(
    ("new", "again", "shown"),
    [
        ("kavir-sabz-1403", "kavir-sabz-1404", "دو فیلد گذرواژه با هم مطابقت ندارند"),
        ("password", None, "این رمز عبور بسیار رایج است"),
        ("k3x", None, "۸"),
    ],
)
def test_a_weak_or_mistyped_new_password_is_refused(demo, demo_user, new, again, shown):
    # given
    here, elsewhere = _two_browsers("office")
    # when
    response = _change(here, new=new, again=again)
    # then
    assert response.status_code == 400
    assert shown in response.content.decode()
    assert demo_user("office").check_password("demo")
    assert is_signed_in(elsewhere)


def test_disabling_an_account_ends_its_sessions_and_stops_its_tokens(demo, demo_user):
    # given
    first, second = _two_browsers("evaluator")
    _token, secret = token_create(actor=demo_user("evaluator"), name="sync")
    bearer = {"Authorization": f"Bearer {secret}"}
    assert Client().get("/api/v1/accounts/me", headers=bearer).status_code == 200
    # when
    user_disable(actor=demo_user("admin"), user=demo_user("evaluator"), ip="10.0.0.9")
    # then
    for client in (first, second):
        assert client.get("/")["Location"].startswith("/accounts/login/")
    assert not UserSession.objects.filter(user__username="evaluator").exists()
    assert Client().get("/api/v1/accounts/me", headers=bearer).status_code == 401
    event = AuditEvent.objects.get(action="accounts.disable")
    assert event.actor_username == "admin"
    assert event.changes == {"is_active": [True, False], "sessions_ended": 2}


def test_only_the_administrator_disables_accounts(demo, demo_user):
    # given
    here, _elsewhere = _two_browsers("evaluator")
    # when
    with pytest.raises(Forbidden):
        user_disable(actor=demo_user("staff"), user=demo_user("evaluator"))
    # then
    assert demo_user("evaluator").is_active
    assert is_signed_in(here)


def _admin_form(user: User) -> dict[str, str]:
    """What the admin's change form posts for the user as it is."""
    roles = list(RoleAssignment.objects.filter(user=user))
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "roles-TOTAL_FORMS": str(len(roles)),
        "roles-INITIAL_FORMS": str(len(roles)),
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    for n, role in enumerate(roles):
        data |= {
            f"roles-{n}-id": str(role.pk),
            f"roles-{n}-user": str(user.pk),
            f"roles-{n}-role": role.role,
            f"roles-{n}-province": str(role.province_id or ""),
            f"roles-{n}-is_active": "on",
            f"roles-{n}-evaluator_scope": role.evaluator_scope,
            f"roles-{n}-evaluator_origin": role.evaluator_origin,
        }
    return data


def test_an_administrator_unticking_active_in_the_admin_ends_the_sessions(demo, demo_user):
    # given
    first, second = _two_browsers("council")
    council = demo_user("council")
    admin = signed_in("admin")
    # when
    response = admin.post(f"/admin/accounts/user/{council.pk}/change/", _admin_form(council))
    # then
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not demo_user("council").is_active
    for client in (first, second):
        assert client.get("/")["Location"].startswith("/accounts/login/")
    event = AuditEvent.objects.get(action="accounts.sessions_end")
    assert event.changes == {"reason": "disabled", "sessions_ended": 2}
    assert is_signed_in(admin)


def test_a_password_set_in_the_admin_ends_the_persons_sessions(demo, demo_user):
    # given
    first, second = _two_browsers("national")
    national = demo_user("national")
    admin = signed_in("admin")
    # when
    response = admin.post(
        f"/admin/accounts/user/{national.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    # then
    assert response.status_code == 302
    for client in (first, second):
        assert client.get("/")["Location"].startswith("/accounts/login/")
    assert not UserSession.objects.filter(user=national).exists()
    event = AuditEvent.objects.get(action="accounts.sessions_end")
    assert event.changes == {"reason": "password_set", "sessions_ended": 2}
    assert is_signed_in(admin)
