"""The demo cycle: Ardabil's 1403 evaluation on the 1397 catalogue, agencies in every state.

The calendar is laid out from the day the demo is loaded, so that the self-assessment step
is open (day 10 of its 30) whenever someone tries the demo. Answers are the engine's
believable random ones (``scoring.sample``), checked and scored like a real save; MoUs are
agreed by both sides; the states are set as the workflow would leave them. Rows are written
directly (a demo loader is not a person), and the whole load is one audit event.
"""

import datetime as dt
import hashlib
import random
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from karnameh.accounts.models import User
from karnameh.agencies.models import Agency, AgencyKind, Province
from karnameh.agreements.models import Agreement, AgreementStatus, Target
from karnameh.catalogue.models import Catalogue, Status
from karnameh.catalogue.trying import takes_mou_target
from karnameh.common.errors import DomainError
from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import AssessmentState as S
from karnameh.cycles.models import Cycle, CycleStatus, Participation, Step
from karnameh.cycles.steps import SELF_ASSESSMENT, STEPS, planned_dates
from karnameh.files.models import StoredFile
from karnameh.scoring.numbers import to_decimal
from karnameh.scoring.sample import random_answer

from .answers import clean_answer
from .models import Answer
from .scoring import LATER, self_score, sheets

YEAR = 1403
CATALOGUE = "provincial-1397-general"
# Agencies left in each state; every other Ardabil unit takes part and has not started.
STATES = {
    "AR-ED": S.DRAFT,
    "AR-TAX": S.SUBMITTED,
    "AR-WEL": S.OFFICE_APPROVED,
    "AR-HE": S.HQ_APPROVED,
    "AR-AG": S.TRANSFERRED,
    "AR-RD": S.TRANSFERRED,
}
# The share of gauges answered in a half-done self-assessment.
HALF = 0.5
MINUTES = b"%PDF-1.4\n% demo minutes\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _start(today: dt.date) -> dt.date:
    """The first day of step 1 such that today is the tenth day of step 6."""
    before = sum(step.days for step in STEPS if step.number < SELF_ASSESSMENT)
    return today - dt.timedelta(days=before + 9)


def load_demo_cycle(today: dt.date | None = None) -> int:
    """Open the demo cycle; the number of participations added (0 when it exists already)."""
    province = Province.objects.get(code="ardabil")
    if Cycle.objects.filter(year=YEAR, level="provincial", province=province).exists():
        return 0
    catalogue = Catalogue.objects.get(code=CATALOGUE)
    today = today or timezone.now().astimezone(TEHRAN).date()
    users = {u.username: u for u in User.objects.filter(username__in=["staff", "office", "hq"])}
    with transaction.atomic():
        if not catalogue.is_frozen:
            catalogue.status, catalogue.frozen_at = Status.FROZEN, timezone.now()
            catalogue.version += 1
            catalogue.save(update_fields=["status", "frozen_at", "version"])
        cycle = Cycle.objects.create(
            year=YEAR,
            level="provincial",
            province=province,
            title=f"ارزیابی عملکرد دستگاه‌های اجرایی استان اردبیل، سال {YEAR}",
            general_catalogue=catalogue,
            status=CycleStatus.PUBLISHED,
            published_at=timezone.now(),
            published_by=users.get("staff"),
        )
        Step.objects.bulk_create(
            Step(cycle=cycle, number=n, planned_start=first, planned_end=last)
            for n, first, last in planned_dates(_start(today))
        )
        agencies = Agency.objects.filter(
            province=province, kind=AgencyKind.PROVINCIAL_UNIT, is_active=True
        ).select_related("agency_type")
        participations = Participation.objects.bulk_create(
            Participation(cycle=cycle, agency=agency) for agency in agencies
        )
        for participation in participations:
            participation.cycle = cycle
            agree(participation, users)
            state = STATES.get(participation.agency.code)
            if state is not None:
                answer(participation, full=state != S.DRAFT)
                move(participation, state, users)
    return len(participations)


def agree(participation: Participation, users: dict[str, User]) -> None:
    """Version 1 of the MoU, agreed by both sides, with a target for every `*` gauge."""
    now = timezone.now()
    agreement = Agreement.objects.create(
        participation=participation,
        version=1,
        status=AgreementStatus.AGREED,
        agency_approved_at=now,
        agency_approved_by=users.get("office"),
        organization_approved_at=now,
        organization_approved_by=users.get("staff"),
        created_by=users.get("staff"),
    )
    rng = random.Random(participation.agency.code)  # noqa: S311 (seeded demo data)  # nosec B311
    Target.objects.bulk_create(
        Target(
            agreement=agreement,
            part=sheet.part,
            gauge_code=gauge.code,
            value=to_decimal(rng.choice([50, 60, 70, 80, 90, 100])) or 0,
        )
        for sheet in sheets(participation)
        for indicator, gauge in sheet.engine.gauges()
        if takes_mou_target(indicator, gauge)
    )


def answer(participation: Participation, *, full: bool) -> None:
    rng = random.Random(f"{participation.agency.code}-{participation.cycle.year}")  # noqa: S311  # nosec B311  # demo data
    targets = {
        (t.part, t.gauge_code): t.value
        for t in Target.objects.filter(agreement__participation=participation)
    }
    rows = []
    now = timezone.now()
    for sheet in sheets(participation):
        for indicator, gauge in sheet.engine.gauges():
            if gauge.rule.kind in LATER or (not full and rng.random() > HALF):
                continue
            raw = random_answer(rng, indicator, gauge)
            if raw is None:
                continue
            raw.pop("target", None)
            try:
                data = clean_answer(indicator, gauge, raw)
            except DomainError:
                continue
            result = self_score(
                sheet.engine, indicator, gauge, data, targets.get((sheet.part, gauge.code))
            )
            rows.append(
                Answer(
                    participation=participation,
                    part=sheet.part,
                    gauge_code=gauge.code,
                    data=data,
                    score=result.score,
                    status=result.status,
                    version=1,
                    updated_at=now,
                )
            )
    Answer.objects.bulk_create(rows)


def move(participation: Participation, state: str, users: dict[str, User]) -> None:
    """Leave the participation where the workflow would after these steps."""
    p = participation
    now = timezone.now()
    order: list[Any] = list(S.values)
    reached = order.index(state)
    p.state = state
    if reached >= order.index(S.SUBMITTED):
        p.submitted_at = now - dt.timedelta(days=3)
        p.receipt = f"{p.cycle.year}-{p.pk:06d}-001"
    if reached >= order.index(S.OFFICE_APPROVED):
        p.office_approved_at, p.office_approved_by = now - dt.timedelta(days=2), users.get("office")
        p.office_minutes = demo_minutes(users.get("office"))
    if reached >= order.index(S.HQ_APPROVED):
        p.hq_approved_at, p.hq_approved_by = now - dt.timedelta(days=1), users.get("hq")
    if reached >= order.index(S.TRANSFERRED):
        p.transferred_at, p.transferred_by = now, users.get("hq")
    p.version = reached
    p.save()


def demo_minutes(user: User | None) -> StoredFile:
    stored = StoredFile(
        name="صورت‌جلسهٔ شورای راهبری.pdf",
        size=len(MINUTES),
        sha256=hashlib.sha256(MINUTES).hexdigest(),
        kind="pdf",
        content_type="application/pdf",
        uploaded_by=user,
    )
    stored.file.save("minutes", ContentFile(MINUTES), save=False)
    stored.save()
    return stored
