"""Cycles for the exports' tests: approved (embargoed) or published, with bands and nominees."""

from decimal import Decimal
from typing import Any

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from karnameh.accounts.models import RoleAssignment, User
from karnameh.agencies.models import Agency, AgencyKind, AgencyType, Province
from karnameh.catalogue.models import Catalogue
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import DEMO_CATALOGUE, after_step, open_cycle, participation
from karnameh.results.models import BonusBand, Nomination
from karnameh.results.services import council_approve, final_approve, publish
from karnameh.results.tests.builders import evaluate

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
AGENCIES = ("AR-ED", "AR-EF", "AR-TAX", "AR-WEL")


def user(name: str) -> User:
    return User.objects.get(username=name)


def user_of(username: str, role: str, **scope: Any) -> User:
    person = User.objects.create_user(username=username, password="x")
    RoleAssignment.objects.create(user=person, role=role, **scope)
    return person


def client_of(person: User | None) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def more_agencies(count: int) -> list[str]:
    """Extra provincial units in Ardabil (codes AR-X01…), spread over the agency types."""
    ardabil = Province.objects.get(code="ardabil")
    types = list(AgencyType.objects.order_by("pk"))
    parent = Agency.objects.filter(kind=AgencyKind.HEADQUARTERS).order_by("code").first()
    codes = []
    for i in range(count):
        code = f"AR-X{i + 1:02d}"
        Agency.objects.get_or_create(
            code=code,
            defaults={
                "name": f"اداره‌کل آزمایشی {i + 1}",
                "kind": AgencyKind.PROVINCIAL_UNIT,
                "parent": parent,
                "province": ardabil,
                "agency_type": types[i % len(types)],
            },
        )
        codes.append(code)
    return codes


def approved_cycle(*, year: int = 1403, agencies: tuple[str, ...] = AGENCIES) -> Cycle:
    """Evaluated and finally approved by the deputy; not published (the embargo holds)."""
    cycle = open_cycle(year=year, agencies=agencies)
    # One evaluator for every cycle of a test (``evaluate`` creates it the first time).
    evaluate(cycle, agree=False, who=User.objects.filter(username="ev-results").first())
    with time_machine.travel(after_step(cycle, 9), tick=False):
        final_approve(actor=user("deputy"), cycle=cycle)
    staff = user("staff")
    now = timezone.now()
    BonusBand.objects.bulk_create(
        [
            BonusBand(cycle=cycle, lower=Decimal(0), coefficient=Decimal("0.5")),
            BonusBand(cycle=cycle, lower=Decimal(40), coefficient=Decimal("1.0")),
            BonusBand(cycle=cycle, lower=Decimal(70), coefficient=Decimal("1.25")),
        ]
    )
    Nomination.objects.create(
        participation=participation(cycle, agencies[0]),
        kind="manager",
        full_name="مریم احمدی",
        position="مدیرکل",
        reason="پیشگامی در دولت الکترونیک",
        created_by=staff,
        created_at=now,
    )
    return cycle


def release(cycle: Cycle) -> Cycle:
    council_approve(
        actor=user("council"),
        cycle=cycle,
        minutes=SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf"),
    )
    publish(actor=user("staff"), cycle=cycle)
    return Cycle.objects.get(pk=cycle.pk)


def national_cycle(year: int = 1403) -> Cycle:
    """A national-level cycle (no province) to import provinces' packages into."""
    return Cycle.objects.create(
        year=year,
        level="national",
        province=None,
        title=f"ارزیابی عملکرد ملی {year}",
        general_catalogue=Catalogue.objects.get(code=DEMO_CATALOGUE),
        status="published",
        published_at=timezone.now(),
    )
