"""What the administrator changes in Django's admin site is audited like any other change."""

from django.test import Client

from karnameh.accounts.models import RoleAssignment, User
from karnameh.agencies.models import Agency, Province
from karnameh.audit.models import AuditEvent


def _admin() -> Client:
    client = Client()
    assert client.login(username="admin", password="demo")
    return client


def _user_form(user: User) -> dict[str, str]:
    """The user change form as the admin page sends it, with the user's role rows."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    rows = list(RoleAssignment.objects.filter(user=user))
    for number, row in enumerate(rows):
        data |= {
            f"roles-{number}-id": str(row.pk),
            f"roles-{number}-user": str(user.pk),
            f"roles-{number}-role": row.role,
            f"roles-{number}-province": str(row.province_id or ""),
            f"roles-{number}-agency": str(row.agency_id or ""),
            f"roles-{number}-assessing_body": str(row.assessing_body_id or ""),
            f"roles-{number}-evaluator_scope": row.evaluator_scope,
            f"roles-{number}-evaluator_origin": row.evaluator_origin,
            f"roles-{number}-is_active": "on",
        }
    data["roles-INITIAL_FORMS"] = str(len(rows))
    data["roles-TOTAL_FORMS"] = str(len(rows))
    return data


def test_granting_a_role_in_the_admin_site_is_audited(demo, demo_user):
    # given
    council = demo_user("council")
    data = _user_form(council)
    data |= {
        "roles-1-user": str(council.pk),
        "roles-1-role": "deputy",
        "roles-1-province": str(Province.objects.get(code="ardabil").pk),
        "roles-1-is_active": "on",
        "roles-TOTAL_FORMS": "2",
    }
    # when
    response = _admin().post(f"/admin/accounts/user/{council.pk}/change/", data)
    # then
    assert response.status_code == 302, response.content.decode()[:3000]
    granted = RoleAssignment.objects.get(user=council, role="deputy")
    event = AuditEvent.objects.get(action="admin.add", target_id=str(granted.pk))
    assert event.actor_username == "admin"
    assert event.changes["role"] == [None, "deputy"]


def test_a_province_added_and_deleted_in_the_admin_site_is_audited(demo):
    # given
    client = _admin()
    # when
    client.post("/admin/agencies/province/add/", {"code": "qom", "name": "قم"})
    province = Province.objects.get(code="qom")
    client.post(f"/admin/agencies/province/{province.pk}/delete/", {"post": "yes"})
    # then
    assert not Province.objects.filter(code="qom").exists()
    actions = list(
        AuditEvent.objects.filter(target_id=str(province.pk), target_repr="قم")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["admin.add", "admin.delete"]


def test_the_admin_site_keeps_the_registrys_rules(demo):
    # given
    unit = Agency.objects.get(code="AR-ED-01")
    data = {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": str(unit.parent_id),
        "province": str(unit.province_id),
        "county": "",  # a county unit without its county
        "agency_type": str(unit.agency_type_id),
        "is_active": "on",
    }
    # when
    response = _admin().post(f"/admin/agencies/agency/{unit.pk}/change/", data)
    # then
    assert response.status_code == 200
    assert "نام شهرستان را وارد کنید" in response.content.decode()
    assert Agency.objects.get(pk=unit.pk).county == unit.county
    assert not AuditEvent.objects.filter(action="admin.change").exists()
