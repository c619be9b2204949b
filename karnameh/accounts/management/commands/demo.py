"""``karnameh demo``: a believable province to try the system with. Safe to run again.

``--scale national`` then adds Iran's 31 provinces with 100 agencies each, one year evaluated
end to end and published in all but Tehran (``karnameh.results.national_demo``).
"""

import argparse
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from karnameh.accounts import demo_data as data
from karnameh.accounts.models import RoleAssignment, User
from karnameh.agencies.models import Agency, AgencyKind, AgencyType, AssessingBody, Province
from karnameh.assessments.demo import YEAR as DEMO_YEAR
from karnameh.assessments.demo import load_demo_cycle
from karnameh.audit.services import record
from karnameh.catalogue.demo import load_demo_catalogues
from karnameh.catalogue.models import Catalogue
from karnameh.results.demo import EARLIER, OBJECTIONS, PUBLISHED, load_demo_evaluations
from karnameh.results.national_demo import YEAR as NATIONAL_YEAR
from karnameh.results.national_demo import load_national

# What a provincial unit's office in a county is called.
COUNTY_OFFICE = {
    "AR-ED": "ادارهٔ آموزش و پرورش",
    "AR-HE": "شبکهٔ بهداشت و درمان",
    "AR-TAX": "ادارهٔ امور مالیاتی",
    "AR-AG": "مدیریت جهاد کشاورزی",
    "AR-WEL": "ادارهٔ بهزیستی",
}


class Command(BaseCommand):
    help = "Load the demo province, its agencies and one user per role (password: demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=["province", "national"],
            default="province",
            help="province: the demo province (default); national: then 31 provinces with "
            "100 agencies each, one year evaluated and published (a few minutes)",
        )
        # Smaller national runs, for tests and trials; the defaults are the national sizes.
        parser.add_argument("--provinces", type=int, default=31, help=argparse.SUPPRESS)
        parser.add_argument("--per-province", type=int, default=100, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo is not loaded with DEBUG off (production settings): every demo "
                "account has the password «demo»."
            )
        national = options["scale"] == "national"
        if national and not (1 <= options["provinces"] <= 31 and options["per_province"] >= 1):
            raise CommandError("--provinces must be 1–31 and --per-province at least 1.")
        with transaction.atomic():
            counts: dict[str, Any] = load_demo()
            counts["participations"] = load_demo_cycle()
            counts["evaluated"] = load_demo_evaluations()
            if not national:
                record(actor=None, action="demo.load", changes=counts)
        self.stdout.write(
            f"Demo loaded: agencies {counts['agencies']}, users {counts['users']}, "
            f"catalogues {counts['catalogues']}, "
            f"agencies added to the {DEMO_YEAR} cycle {counts['participations']}, "
            f"to the evaluated {OBJECTIONS}, {PUBLISHED} and {EARLIER} cycles "
            f"{counts['evaluated']}.\n"
            "Log in with the password «demo» as one of:"
        )
        for username, (first, last, role, *_rest) in data.USERS.items():
            self.stdout.write(f"  {username:<10} {role:<20} {first} {last}")
        if national:
            counts["national"] = self._national(options["provinces"], options["per_province"])
            # One event for the whole load, as for the province alone; each province was
            # built (and its results approved) in its own transaction before it.
            with transaction.atomic():
                record(actor=None, action="demo.load", changes=counts)

    def _national(self, provinces: int, per_province: int) -> dict[str, int]:
        self.stdout.write(
            f"National scale: {provinces} provinces × {per_province} agencies, "
            f"the {NATIONAL_YEAR} cycles…"
        )
        began = time.perf_counter()
        counts = load_national(provinces, per_province, progress=self.stdout.write)
        self.stdout.write(
            f"National data in {time.perf_counter() - began:.1f} s: "
            + ", ".join(f"{name} {value:,}" for name, value in counts.items())
        )
        self.stdout.write(
            "In each province (e.g. tehran, whose cycle awaits the deputy's approval), also "
            "with the password «demo»: n-tehran-staff, n-tehran-deputy, n-tehran-council, "
            "n-tehran-ev1…, n-tehran-expert, and one user per agency: n-tehran-001…"
        )
        return counts


def load_demo() -> dict[str, int]:
    provinces = {
        code: Province.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in data.PROVINCES
    }
    types = {
        code: AgencyType.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in data.AGENCY_TYPES
    }
    bodies = {
        code: AssessingBody.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in data.ASSESSING_BODIES
    }
    agencies: dict[str, Agency] = {}

    def put(code: str, **fields: Any) -> Agency:
        agency = Agency.objects.filter(code=code).first() or Agency(code=code)
        for field, value in fields.items():
            setattr(agency, field, value)
        agency.save()
        agencies[code] = agency
        return agency

    for code, name, type_code in data.HEADQUARTERS:
        put(code, name=name, kind=AgencyKind.HEADQUARTERS, agency_type=types[type_code])
    for code, name, parent, type_code in data.AFFILIATED:
        put(
            code,
            name=name,
            kind=AgencyKind.AFFILIATED,
            parent=agencies[parent],
            agency_type=types[type_code],
        )
    for province, units in (("ardabil", data.ARDABIL_UNITS), ("ilam", data.ILAM_UNITS)):
        for code, name, parent, type_code, counties in units:
            unit = put(
                code,
                name=name,
                kind=AgencyKind.PROVINCIAL_UNIT,
                parent=agencies[parent],
                province=provinces[province],
                agency_type=types[type_code],
                has_county_units=bool(counties),
            )
            for number, county in enumerate(counties, start=1):
                put(
                    f"{code}-{number:02d}",
                    name=f"{COUNTY_OFFICE.get(code, 'ادارهٔ')} شهرستان {county}",
                    kind=AgencyKind.COUNTY_UNIT,
                    parent=unit,
                    province=provinces[province],
                    county=county,
                    agency_type=types[type_code],
                )

    scopes: dict[str, dict[str, Any]] = {
        "province": provinces,
        "agency": agencies,
        "assessing_body": bodies,
    }
    for username, (first, last, role, scope, scope_code, extra) in data.USERS.items():
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name, user.last_name = first, last
        user.is_active = True
        # Roles alone decide (accounts.backends); Django's own flags stay off.
        user.is_staff = user.is_superuser = False
        user.set_password(data.DEMO_PASSWORD)
        user.save()
        scope_fields = {scope: scopes[scope][scope_code]} if scope and scope_code else {}
        assignment = RoleAssignment(user=user, role=role, **scope_fields, **extra)
        assignment.full_clean(validate_unique=False)
        RoleAssignment.objects.update_or_create(
            user=user, role=role, **scope_fields, defaults={"is_active": True, **extra}
        )
    load_demo_catalogues()
    return {
        "agencies": Agency.objects.count(),
        "users": len(data.USERS),
        "catalogues": Catalogue.objects.count(),
    }
