"""``karnameh demo --scale national``: 31 provinces, 3,100 agencies, one year evaluated end to end.

``load_national(provinces, per_province)`` needs the demo loaded first (its headquarters,
agency types and the 1397 general catalogue: ``karnameh demo`` does it). For each of Iran's
31 provinces (``accounts.demo_provinces``; Ardabil and Ilam are the demo's own, reused) it
builds, in one transaction per province, so that a failure never leaves half a province:

- ``per_province`` provincial units (codes ``<province>-001``…, e.g. ``tehran-001``) under the
  demo's headquarters and affiliated organizations, over all five agency types;
- the people: one agency user per agency (``n-tehran-001``, the role the demo's ``agency``
  user has), and for the province its modernization group staff (``n-tehran-staff``), deputy
  (``n-tehran-deputy``), council member (``n-tehran-council``), one evaluator for every 20
  agencies (``n-tehran-ev1``…) and an expert (``n-tehran-expert``), who sits with the staff
  member in the cycle's expert group. The password is «demo» for all;
- the provincial cycle of ``YEAR`` (1399: the demo's own cycles are 1400–1403 in Ardabil, and
  the benchmarks build 1404) on the full 1397 general catalogue, with its twelve steps;
- for every agency: its MoU (agreed), an answer to every gauge it scores itself (all but
  convergence, which is computed from the final scores), scored by the engine in memory, and
  its self-assessment transferred to the organization as the workflow leaves it; a few
  evidence files; one internal general evaluator with the initial approval (``readiness``
  counts an agency approved when none of its active assignments lacks ``approved_at``), who
  scores every gauge, a fifth of the judgements lower than the agency did, with notes of
  deficiencies;
- objections from about 5% of the agencies on a gauge or two scored lower: most decided by
  the expert group (accepted with the agency's answer, or rejected), some withdrawn, none left
  open, since an open objection holds the final approval up;
- then the deputy's final approval, the council's approval (with minutes) and publication,
  through the real services (``results.services``), for every province but one.

**Tehran is left evaluated but unapproved**: its calendar puts today on day 3 of step 10 (the
deputy's final approval), so its objection window has closed, every gauge is reviewed and
approved by its evaluator, and nothing is frozen: the staff, deputy and evaluator pages of a
live cycle can be tried (and measured) at national scale. Every other province's calendar
ended two years before the demo's 1401 cycle did, and its results are public.

Rows are written directly in batches (``bulk_create``), as ``assessments.demo`` writes its
own, since a demo loader is not a person; only the approvals and the publication go through
the services, so the results are fixed exactly as production fixes them. **Evidence is
metadata only**: the ``StoredFile`` rows have believable names, sizes and SHA-256 digests, but
no bytes exist on disk, so downloading one fails. The council's minutes and the agencies'
council minutes (one file a province) are real files.

Safe to run again: a province whose cycle of ``YEAR`` exists is skipped whole; agencies and
users that exist are reused. The sizes apply to the provinces built by that run.
"""

import datetime as dt
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import reset_queries, transaction
from django.db.models import Q
from django.utils import timezone

from karnameh.accounts.demo_data import DEMO_PASSWORD
from karnameh.accounts.demo_provinces import EXTRA_UNIT, FIRST_NAMES, LAST_NAMES, PROVINCES, UNITS
from karnameh.accounts.models import EvaluatorOrigin, EvaluatorScope, Role, RoleAssignment, User
from karnameh.agencies.models import Agency, AgencyKind, AgencyType, Province
from karnameh.assessments.demo import CATALOGUE, MINUTES
from karnameh.assessments.models import Answer, Evidence
from karnameh.assessments.scoring import LATER
from karnameh.catalogue.models import Catalogue, Level, Status
from karnameh.catalogue.store import engine_catalogue
from karnameh.catalogue.trying import takes_mou_target
from karnameh.common.text import normalize_fa, persian_digits
from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import Cycle, CycleStatus, Participation, Step
from karnameh.cycles.steps import STEPS, planned_dates
from karnameh.evaluations.models import Review
from karnameh.objections.models import Objection
from karnameh.scoring import Catalogue as Engine
from karnameh.scoring import Gauge, Indicator

from . import national_rows, services
from .demo import EARLIER, OBJECTIONS, PUBLISHED
from .models import Release
from .national_rows import BATCH, PER_EVALUATOR

YEAR = 1399
UNAPPROVED = "tehran"


@dataclass
class Context:
    """What every province is built from, read once."""

    year: int
    today: dt.date
    catalogue: Catalogue
    engine: Engine
    # Every gauge an agency scores itself (convergence is computed later), and whether its
    # target is set by the MoU.
    gauges: list[tuple[Indicator, Gauge, bool]]
    parents: dict[str, Agency]
    types: dict[str, AgencyType]
    # «demo» hashed once: Argon2 takes about 50 ms a hash by design, so hashing it for each
    # of 3,300 users would take minutes; every generated user gets this same hash string.
    password: str


@dataclass
class People:
    """A province's generated users."""

    staff: User
    deputy: User
    council: User
    expert: User
    evaluators: list[User]
    agency_users: dict[int, User] = field(default_factory=dict)  # agency id -> its user


def load_national(
    provinces: int = 31,
    per_province: int = 100,
    *,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Build the first ``provinces`` provinces; the national data's counts afterwards."""
    if not 1 <= provinces <= len(PROVINCES) or per_province < 1:
        raise ValueError(f"provinces must be 1–{len(PROVINCES)} and per_province at least 1")
    began = time.perf_counter()
    ctx = _context(today or timezone.now().astimezone(TEHRAN).date())
    built = 0
    for number, (code, name) in enumerate(PROVINCES[:provinces], start=1):
        with transaction.atomic():
            timing = build_province(ctx, code, name, per_province)
        # With DEBUG on, Django keeps the last 9,000 statements, each batch's whole INSERT
        # among them: over a gigabyte by the end of a national run.
        reset_queries()
        built += timing is not None
        if progress is not None:
            what = "already there, skipped"
            if timing is not None:
                what = f"rows {timing[0]:.1f} s"
                what += f", approved and published {timing[1]:.1f} s" if timing[1] else ""
            elapsed = time.perf_counter() - began
            progress(f"  {number:>2}/{provinces} {code:<20} {what} (elapsed {elapsed:.1f} s)")
    return {**national_counts(), "built": built}


def _context(today: dt.date) -> Context:
    if YEAR in (EARLIER, PUBLISHED, OBJECTIONS):  # pragma: no cover (a constant changed)
        raise RuntimeError("the national year must differ from the demo's own cycles")
    catalogue = Catalogue.objects.filter(code=CATALOGUE).first()
    wanted = {parent for _name, parent, _type in [*UNITS, EXTRA_UNIT]}
    parents = Agency.objects.in_bulk(wanted, field_name="code")
    if catalogue is None or len(parents) != len(wanted):
        raise RuntimeError("Load the demo first (karnameh demo): its agencies and catalogue.")
    if not catalogue.is_frozen:
        # As the demo's own cycle does: a cycle's catalogue is frozen once it is used.
        catalogue.status, catalogue.frozen_at = Status.FROZEN, timezone.now()
        catalogue.version += 1
        catalogue.save(update_fields=["status", "frozen_at", "version"])
    engine = engine_catalogue(catalogue)
    return Context(
        year=YEAR,
        today=today,
        catalogue=catalogue,
        engine=engine,
        gauges=[
            (indicator, gauge, takes_mou_target(indicator, gauge))
            for indicator, gauge in engine.gauges()
            if gauge.rule.kind not in LATER
        ],
        parents=parents,
        types={t.code: t for t in AgencyType.objects.all()},
        password=make_password(DEMO_PASSWORD),
    )


def build_province(
    ctx: Context, code: str, name: str, per_province: int
) -> tuple[float, float] | None:
    """One province, whole: seconds spent writing its rows and in the approval services;
    None when its cycle exists already."""
    began = time.perf_counter()
    province = Province.objects.get_or_create(code=code, defaults={"name": name})[0]
    if Cycle.objects.filter(year=ctx.year, level=Level.PROVINCIAL, province=province).exists():
        return None
    agencies = _agencies(ctx, province, per_province)
    people = _people(ctx, province, agencies)
    unapproved = code == UNAPPROVED
    cycle, days = _cycle(ctx, province, people.staff, unapproved=unapproved)
    national_rows.build(ctx, cycle, days, agencies, people)
    written = time.perf_counter()
    if unapproved:
        return written - began, 0.0
    _publish(cycle, people)
    return written - began, time.perf_counter() - written


def _agencies(ctx: Context, province: Province, count: int) -> list[Agency]:
    codes = [f"{province.code}-{number:03d}" for number in range(1, count + 1)]
    found = set(Agency.objects.filter(code__in=codes).values_list("code", flat=True))
    new = []
    for index, code in enumerate(codes):
        if code in found:
            continue
        template, parent_code, type_code = UNITS[index] if index < len(UNITS) else EXTRA_UNIT
        district = persian_digits(index - len(UNITS) + 4)  # after the list's districts 1–3
        name = normalize_fa(template.format(p=province.name, n=district))
        parent = ctx.parents[parent_code]
        # bulk_create skips Agency.save(): its derived fields are set here as save() would.
        new.append(
            Agency(
                code=code,
                name=name,
                search_name=name.lower(),
                kind=AgencyKind.PROVINCIAL_UNIT,
                parent=parent,
                headquarters_id=parent.headquarters_id,
                province=province,
                agency_type=ctx.types[type_code],
            )
        )
    Agency.objects.bulk_create(new, batch_size=BATCH)
    return list(
        Agency.objects.filter(code__in=codes).select_related("agency_type").order_by("code")
    )


def _people(ctx: Context, province: Province, agencies: list[Agency]) -> People:
    """The province's users and their roles; existing ones are reused as they are."""
    prefix = f"n-{province.code}"
    general = {
        "evaluator_scope": EvaluatorScope.GENERAL,
        "evaluator_origin": EvaluatorOrigin.INTERNAL,
    }
    wanted: list[tuple[str, str, dict[str, Any]]] = [
        (f"{prefix}-staff", Role.STAFF, {"province": province}),
        (f"{prefix}-deputy", Role.DEPUTY, {"province": province}),
        (f"{prefix}-council", Role.COUNCIL, {"province": province}),
        (f"{prefix}-expert", Role.EVALUATOR, {"province": province, **general}),
    ]
    evaluators = math.ceil(len(agencies) / PER_EVALUATOR)
    wanted += [
        (f"{prefix}-ev{n}", Role.EVALUATOR, {"province": province, **general})
        for n in range(1, evaluators + 1)
    ]
    wanted += [(f"n-{agency.code}", Role.AGENCY, {"agency": agency}) for agency in agencies]
    names = [username for username, _role, _scope in wanted]
    rng = random.Random(f"{province.code}-people")  # noqa: S311  # nosec B311  # demo data
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(
                username=username,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                password=ctx.password,
                is_active=True,
            )
            for username in names
            if username not in existing
        ],
        batch_size=BATCH,
    )
    users = User.objects.in_bulk(names, field_name="username")
    held = set(
        RoleAssignment.objects.filter(user__in=users.values()).values_list("user_id", "role")
    )
    grants = []
    for username, role, scope in wanted:
        user = users[username]
        if (user.pk, role) in held:
            continue
        grant = RoleAssignment(user=user, role=role, **scope)
        grant.clean()  # the role's scope, checked without a query a row
        grants.append(grant)
    RoleAssignment.objects.bulk_create(grants, batch_size=BATCH)
    return People(
        staff=users[f"{prefix}-staff"],
        deputy=users[f"{prefix}-deputy"],
        council=users[f"{prefix}-council"],
        expert=users[f"{prefix}-expert"],
        evaluators=[users[f"{prefix}-ev{n}"] for n in range(1, evaluators + 1)],
        agency_users={agency.pk: users[f"n-{agency.code}"] for agency in agencies},
    )


def calendar_start(today: dt.date, *, unapproved: bool) -> dt.date:
    """The unapproved province: today is day 3 of step 10 (the objection window closed two
    days ago). The others: their last step ended two years and 20 days ago, two years before
    the demo's 1401 cycle ended."""
    if unapproved:
        return today - dt.timedelta(days=sum(s.days for s in STEPS if s.number < 10) + 2)
    return today - dt.timedelta(days=sum(step.days for step in STEPS) + 20 + 2 * 365)


def _cycle(
    ctx: Context, province: Province, staff: User, *, unapproved: bool
) -> tuple[Cycle, dict[int, tuple[dt.date, dt.date]]]:
    dates = planned_dates(calendar_start(ctx.today, unapproved=unapproved))
    cycle = Cycle.objects.create(
        year=ctx.year,
        level=Level.PROVINCIAL,
        province=province,
        title=f"ارزیابی عملکرد دستگاه‌های اجرایی استان {province.name}، سال {ctx.year}",
        general_catalogue=ctx.catalogue,
        status=CycleStatus.PUBLISHED,
        published_at=dt.datetime.combine(dates[0][1], dt.time(9), tzinfo=TEHRAN),
        published_by=staff,
    )
    Step.objects.bulk_create(
        Step(cycle=cycle, number=n, planned_start=first, planned_end=last)
        for n, first, last in dates
    )
    return cycle, {n: (first, last) for n, first, last in dates}


def _publish(cycle: Cycle, people: People) -> None:
    """Through the services, so the record shows who approved and published, and when."""
    services.final_approve(actor=people.deputy, cycle=cycle, note="بررسی و تایید شد.")
    minutes = SimpleUploadedFile("صورت‌جلسهٔ شورا.pdf", MINUTES, content_type="application/pdf")
    services.council_approve(actor=people.council, cycle=cycle, minutes=minutes)
    services.publish(actor=people.staff, cycle=cycle)


def national_counts() -> dict[str, int]:
    """What the national demo holds, over every province it builds."""
    codes = [code for code, _name in PROVINCES]
    cycles = Cycle.objects.filter(year=YEAR, level=Level.PROVINCIAL, province__code__in=codes)
    generated = Q()
    for code in codes:
        generated |= Q(username__startswith=f"n-{code}-")
    return {
        "provinces": cycles.count(),
        "agencies": Participation.objects.filter(cycle__in=cycles).count(),
        "users": User.objects.filter(generated).count(),
        "answers": Answer.objects.filter(participation__cycle__in=cycles).count(),
        "reviews": Review.objects.filter(participation__cycle__in=cycles).count(),
        "evidence": Evidence.objects.filter(participation__cycle__in=cycles).count(),
        "objections": Objection.objects.filter(participation__cycle__in=cycles).count(),
        "published": Release.objects.filter(cycle__in=cycles).count(),
    }
