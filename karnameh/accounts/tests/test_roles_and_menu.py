"""What each demo role sees in the menu, and one refused action for every role."""

import pytest
from django.test import Client

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.accounts.navigation import menu_for
from karnameh.agencies.models import Agency
from karnameh.audit.models import AuditEvent
from karnameh.common.factories import ProvinceFactory, UserFactory

EXPECTED_MENU = {
    "admin": [
        "home",
        "cycles",
        "agencies",
        "agency-import",
        "catalogues",
        "feedback",
        "audit",
        "api-docs",
        "tokens",
        "admin",
    ],
    "staff": [
        "home",
        "cycles",
        "agencies",
        "agency-import",
        "catalogues",
        "feedback",
        "audit",
        "api-docs",
        "tokens",
    ],
    "evaluator": ["home", "cycles", "catalogues", "tokens"],
    "agency": ["home", "mine", "cycles", "agencies", "catalogues", "feedback", "tokens"],
    "office": ["home", "mine", "cycles", "agencies", "catalogues", "feedback", "tokens"],
    "hq": ["home", "cycles", "agencies", "catalogues", "tokens"],
    "assessor": ["home", "cycles", "inquiries", "catalogues", "tokens"],
    "deputy": ["home", "cycles", "agencies", "catalogues", "tokens"],
    "council": ["home", "cycles", "agencies", "catalogues", "tokens"],
    "national": ["home", "cycles", "agencies", "catalogues", "tokens"],
}


def _login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="demo")
    return client


@pytest.mark.parametrize("username", sorted(EXPECTED_MENU))
def test_each_role_sees_exactly_its_menu(demo, demo_user, username):
    # when
    keys = [item["key"] for item in menu_for(demo_user(username))]
    page = _login(username).get("/").content.decode()
    # then
    assert keys == EXPECTED_MENU[username]
    for key in {i for keys in EXPECTED_MENU.values() for i in keys}:
        assert (f'data-menu="{key}"' in page) == (key in keys), key


def _agency_state() -> list[tuple[str, str, bool]]:
    return list(Agency.objects.order_by("code").values_list("code", "name", "is_active"))


# (username, method, path, data, expected status): one refusal per role.
REFUSALS = [
    # Not even the administrator may write into the audit trail.
    ("admin", "post", "/admin/audit/auditevent/add/", {"action": "forged"}, 403),
    ("staff", "get", "/agencies/IL-ED/", None, 404),
    ("staff", "post", "/agencies/IL-ED/edit/", {"name": "x"}, 404),
    ("evaluator", "get", "/agencies/", None, 403),
    ("agency", "post", "/agencies/AR-ED/edit/", {"name": "دستکاری"}, 403),
    ("office", "get", "/agencies/import/", None, 403),
    ("hq", "post", "/agencies/AR-ED/edit/", {"name": "دستکاری"}, 403),
    ("assessor", "get", "/audit/", None, 403),
    ("deputy", "post", "/agencies/new/", {"code": "NEW1", "name": "x"}, 403),
    ("council", "get", "/admin/", None, 302),
    ("national", "post", "/agencies/AR-ED/edit/", {"name": "دستکاری"}, 403),
]


@pytest.mark.parametrize(("username", "method", "path", "data", "status"), REFUSALS)
def test_each_role_is_refused_what_it_may_not_do(demo, username, method, path, data, status):
    # given
    client = _login(username)
    before, events = _agency_state(), AuditEvent.objects.count()
    # when
    response = getattr(client, method)(path, data or {})
    # then
    assert response.status_code == status
    assert _agency_state() == before
    assert AuditEvent.objects.count() == events


def test_refusals_cover_every_demo_role():
    assert {row[0] for row in REFUSALS} == set(EXPECTED_MENU)


def test_admin_is_not_sent_to_another_site_after_login(demo):
    # when
    response = Client().post(
        "/accounts/login/",
        {"username": "admin", "password": "demo", "next": "https://evil.example/"},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_admin_site_opens_only_for_the_administrator(demo):
    # then
    assert _login("admin").get("/admin/").status_code == 200
    assert _login("council").get("/admin/")["Location"].startswith("/admin/login/")


def test_forbidden_pages_answer_in_persian(demo):
    # when
    response = _login("evaluator").get("/agencies/")
    # then
    assert response.status_code == 403
    assert "شما اجازهٔ" in response.content.decode()


@pytest.mark.parametrize(
    ("username", "visible", "hidden"),
    [
        ("staff", {"AR-ED", "AR-ED-01", "AR-TAX"}, {"IL-ED", "ED", "EF-TAX"}),
        ("deputy", {"AR-ED", "AR-HE-02"}, {"IL-IC", "ED"}),
        ("hq", {"ED", "AR-ED", "AR-ED-01", "IL-ED"}, {"AR-TAX", "EF", "IL-IC"}),
        ("agency", {"AR-ED", "AR-ED-01", "AR-ED-04"}, {"AR-TAX", "ED", "IL-ED"}),
        ("office", {"AR-ED", "AR-ED-02"}, {"AR-HE", "IL-ED"}),
        ("national", {"ED", "AR-ED", "IL-ED", "EF-TAX"}, set()),
        ("admin", {"ED", "AR-ED", "IL-ED"}, set()),
        ("evaluator", set(), {"AR-ED", "IL-ED", "ED"}),
        ("assessor", set(), {"AR-ED", "IL-ED", "ED"}),
    ],
)
def test_each_role_sees_only_its_agencies(demo, demo_user, username, visible, hidden):
    from karnameh.accounts.permissions import visible_agencies

    # when
    codes = set(visible_agencies(demo_user(username)).values_list("code", flat=True))
    # then
    assert visible <= codes
    assert not hidden & codes


def test_staff_see_all_forty_agencies_of_their_province_and_no_other(demo, demo_user):
    from karnameh.accounts.permissions import visible_agencies

    # when
    seen = visible_agencies(demo_user("staff"))
    # then
    assert seen.count() == Agency.objects.filter(province__code="ardabil").count() == 40


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        (Role.STAFF, {}, "province"),
        (Role.AGENCY, {"province": True}, "province"),
        (Role.EVALUATOR, {"province": True}, "evaluator_scope"),
        (Role.ASSESSOR, {}, "assessing_body"),
    ],
)
def test_a_role_must_carry_exactly_its_scope(db, role, scope, field):
    from django.core.exceptions import ValidationError

    # given
    user: User = UserFactory()  # type: ignore[assignment]
    fields = {"province": ProvinceFactory()} if scope.get("province") else {}
    assignment = RoleAssignment(user=user, role=role, **fields)
    # when
    with pytest.raises(ValidationError) as refused:
        assignment.full_clean()
    # then
    assert field in refused.value.message_dict
    assert not RoleAssignment.objects.filter(user=user).exists()
