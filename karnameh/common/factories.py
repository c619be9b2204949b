"""factory_boy factories shared by every app's tests (Persian data from Faker's fa_IR)."""

from typing import Any

import factory
from factory.django import DjangoModelFactory

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.agencies.models import Agency, AgencyKind, AgencyType, AssessingBody, Province

factory.Faker._DEFAULT_LOCALE = "fa_IR"


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"p{n}")
    name = factory.Sequence(lambda n: f"استان {n}")


class AgencyTypeFactory(DjangoModelFactory):
    class Meta:
        model = AgencyType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"type{n}")
    name = factory.Sequence(lambda n: f"گروه دستگاه {n}")


class AssessingBodyFactory(DjangoModelFactory):
    class Meta:
        model = AssessingBody

    code = factory.Sequence(lambda n: f"body{n}")
    name = factory.Faker("company")


class HeadquartersFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"HQ{n}")
    name = factory.Sequence(lambda n: f"وزارت شمارهٔ {n}")
    kind = AgencyKind.HEADQUARTERS
    agency_type = factory.SubFactory(AgencyTypeFactory)


class ProvincialUnitFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.Sequence(lambda n: f"ادارهٔ کل شمارهٔ {n}")
    kind = AgencyKind.PROVINCIAL_UNIT
    parent = factory.SubFactory(HeadquartersFactory)
    province = factory.SubFactory(ProvinceFactory)
    agency_type = factory.SelfAttribute("parent.agency_type")


class CountyUnitFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"ادارهٔ شهرستان {n}")
    kind = AgencyKind.COUNTY_UNIT
    parent = factory.SubFactory(ProvincialUnitFactory, has_county_units=True)
    province = factory.SelfAttribute("parent.province")
    county = factory.Faker("city")
    agency_type = factory.SelfAttribute("parent.agency_type")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("secret-pass-1")


def user_with_role(role: str, **scope: Any) -> User:
    """A user holding one role, e.g. ``user_with_role(Role.STAFF, province=p)``."""
    user: User = UserFactory()  # type: ignore[assignment]
    extra: dict[str, Any] = {}
    if role == Role.EVALUATOR:
        extra = {"evaluator_scope": "general", "evaluator_origin": "internal"}
    RoleAssignment.objects.create(user=user, role=role, **scope, **extra)
    if role == Role.ADMIN:
        User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
        user.refresh_from_db()
    return user
