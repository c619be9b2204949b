"""`karnameh demo`: a believable province, one personal account per role, safe to run again."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from karnameh.accounts.demo_data import USERS
from karnameh.accounts.models import RoleAssignment, User
from karnameh.agencies.models import Agency, AgencyKind


def _counts() -> tuple[int, int, int]:
    return Agency.objects.count(), User.objects.count(), RoleAssignment.objects.count()


@override_settings(DEBUG=True)
def test_the_demo_builds_a_province_and_running_it_again_changes_nothing(db, capsys):
    # when
    call_command("demo")
    first = _counts()
    call_command("demo")
    # then
    assert _counts() == first
    ardabil = Agency.objects.filter(province__code="ardabil")
    assert ardabil.count() == 40
    assert ardabil.filter(kind=AgencyKind.COUNTY_UNIT).count() == 15
    assert ardabil.values("agency_type").distinct().count() == 5
    assert "staff" in capsys.readouterr().out


@override_settings(DEBUG=True)
def test_every_role_has_one_personal_account_with_the_demo_password(db):
    # when
    call_command("demo")
    # then
    assert sorted(RoleAssignment.objects.values_list("role", flat=True)) == sorted(
        role for _first, _last, role, *_rest in USERS.values()
    )
    for username in USERS:
        user = User.objects.get(username=username)
        assert user.check_password("demo")
        assert user.roles.count() == 1
        assert not user.is_superuser


@override_settings(DEBUG=False)
def test_the_demo_refuses_to_run_in_production(db):
    # when
    with pytest.raises(CommandError) as refused:
        call_command("demo")
    # then
    assert "DEBUG" in str(refused.value)
    assert _counts() == (0, 0, 0)
