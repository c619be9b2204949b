"""The demo's evaluated cycles: Ardabil 1402 in its objection window, 1401 and 1400 published.

``karnameh demo`` loads them after the 1403 cycle (which is in its self-assessment). Their
calendars are laid out from the day the demo is loaded: 1402 is on day 4 of step 9 (the
objection window), so its agencies can be seen in every state of the second half; 1401 ended
before, and its results have gone through the deputy, the council and publication by the
services themselves, so the public ranking exists, with a bonus table, festival places and
two nominees; 1400 went the same way a year earlier, so every result has last year's beside
it. Self-assessments and evaluators' answers are the engine's believable random ones; the
evaluator scores some gauges lower than the agency did, with notes of deficiencies.
"""

import datetime as dt
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from karnameh.accounts.models import User
from karnameh.agencies.models import Agency, AgencyKind, Province
from karnameh.agreements.selectors import agreed_targets
from karnameh.assessments.answers import clean_answer
from karnameh.assessments.demo import CATALOGUE, MINUTES, agree, answer, move
from karnameh.assessments.models import Answer
from karnameh.assessments.scoring import LATER, self_score, sheets
from karnameh.catalogue.models import Catalogue
from karnameh.common.errors import DomainError
from karnameh.cycles.deadlines import TEHRAN
from karnameh.cycles.models import AssessmentState, Cycle, CycleStatus, Participation, Step
from karnameh.cycles.steps import STEPS, planned_dates
from karnameh.evaluations.models import Assignment, Review
from karnameh.inquiries.models import How, State
from karnameh.inquiries.selectors import inquiry_gauges
from karnameh.inquiries.services import checked_answer, due_for, inquiries_send
from karnameh.objections.groups import group_create
from karnameh.objections.services import (
    objection_decide,
    objection_file,
    objection_record,
    objection_route,
)
from karnameh.scoring.model import effective_assessor
from karnameh.scoring.sample import random_answer

from . import awards, services

OBJECTIONS, PUBLISHED = 1402, 1401
# A year earlier, also published: the ranking, report cards and portal compare with it.
EARLIER = 1400
# 1401's bonus table (from score, coefficient) and festival: two agencies per peer group.
BANDS = (("0", "0"), ("50", "0.5"), ("65", "0.8"), ("80", "1.0"), ("90", "1.2"))
FESTIVAL_SIZE = 2
NOMINEES = (
    ("AR-ED", "manager", "مریم احمدی", "مدیرکل آموزش و پرورش استان"),
    ("AR-WEL", "expert", "علی رضایی", "کارشناس مسئول بهبود مدیریت"),
)
# 1402: agencies whose evaluator has not given the initial approval yet.
IN_PROGRESS = ("AR-HE",)
# 1402: inquiries left overdue, as (agency, assessing body).
UNANSWERED = {("AR-ED", "environment"), ("AR-TAX", "welfare"), ("AR-HE", "prayer")}
DEFICIENCY = "مستندات ارائه‌شده با ادعای دستگاه هم‌خوان نیست؛ بخشی از ادعا پذیرفته نشد."


def _start(today: dt.date, year: int) -> dt.date:
    """1402: today is day 4 of step 9; 1401: its last step ended 20 days ago; 1400 a year
    before 1401."""
    if year == OBJECTIONS:
        before = sum(step.days for step in STEPS if step.number < 9)
        return today - dt.timedelta(days=before + 3)
    earlier = 365 if year == EARLIER else 0
    return today - dt.timedelta(days=sum(step.days for step in STEPS) + 20 + earlier)


def load_demo_evaluations(today: dt.date | None = None) -> int:
    """Both evaluated cycles; the number of participations added (0 when they exist)."""
    province = Province.objects.get(code="ardabil")
    today = today or timezone.now().astimezone(TEHRAN).date()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "staff",
                "office",
                "hq",
                "evaluator",
                "deputy",
                "council",
                "assessor",
                "agency",
            ]
        )
    }
    added = 0
    for year in (EARLIER, PUBLISHED, OBJECTIONS):
        if Cycle.objects.filter(year=year, level="provincial", province=province).exists():
            continue
        with transaction.atomic():
            cycle = _cycle(province, year, _start(today, year), users)
            participations = _participations(cycle, users)
            added += len(participations)
            for p in participations:
                approved = year != OBJECTIONS or p.agency.code not in IN_PROGRESS
                _review(p, users["evaluator"], approved=approved)
            _inquiries(cycle, users, unanswered=UNANSWERED if year == OBJECTIONS else ())
            if year == OBJECTIONS:
                _objections(cycle, users)
            if year in (EARLIER, PUBLISHED):
                _publish(cycle, users, awarded=year == PUBLISHED)
    return added


def _cycle(province: Province, year: int, start: dt.date, users: dict[str, User]) -> Cycle:
    cycle = Cycle.objects.create(
        year=year,
        level="provincial",
        province=province,
        title=f"ارزیابی عملکرد دستگاه‌های اجرایی استان اردبیل، سال {year}",
        general_catalogue=Catalogue.objects.get(code=CATALOGUE),
        status=CycleStatus.PUBLISHED,
        published_at=timezone.now(),
        published_by=users.get("staff"),
    )
    Step.objects.bulk_create(
        Step(cycle=cycle, number=n, planned_start=first, planned_end=last)
        for n, first, last in planned_dates(start)
    )
    return cycle


def _participations(cycle: Cycle, users: dict[str, User]) -> list[Participation]:
    agencies = Agency.objects.filter(
        province=cycle.province, kind=AgencyKind.PROVINCIAL_UNIT, is_active=True
    ).select_related("agency_type")
    made = Participation.objects.bulk_create(
        Participation(cycle=cycle, agency=agency) for agency in agencies
    )
    for p in made:
        p.cycle = cycle
        agree(p, users)
        answer(p, full=True)
        move(p, AssessmentState.TRANSFERRED, users)
    return made


def _review(p: Participation, evaluator: User, *, approved: bool) -> None:
    """The evaluator's answers: the agency's own, a fifth of the judgements scored lower."""
    rng = random.Random(f"{p.agency.code}-{p.cycle.year}-review")  # noqa: S311 (demo data)  # nosec B311
    now = timezone.now()
    assignment = Assignment.objects.create(
        participation=p,
        evaluator=evaluator,
        scope="general",
        origin="internal",
        assigned_by=User.objects.get(username="staff"),
        assigned_at=now - dt.timedelta(days=30),
        approved_at=now - dt.timedelta(days=5) if approved else None,
    )
    targets = agreed_targets(p)
    own = {(a.part, a.gauge_code): a for a in Answer.objects.filter(participation=p)}
    rows = []
    for sheet in sheets(p):
        for indicator, gauge in sheet.engine.gauges():
            if gauge.rule.kind in LATER:
                continue
            if effective_assessor(indicator, gauge):
                continue  # the assessing bodies' gauges come in through inquiries
            if not approved and rng.random() < 0.5:
                continue
            mine = own.get((sheet.part, gauge.code))
            data = dict(mine.data) if mine else _own_answer(rng, indicator, gauge)
            notes = ""
            if "score" in data and rng.random() < 0.2:
                data["score"] = float(data["score"]) // 2
                notes = DEFICIENCY
            result = self_score(
                sheet.engine, indicator, gauge, data, targets.get((sheet.part, gauge.code))
            )
            rows.append(
                Review(
                    score=result.score,
                    status=result.status,
                    assignment=assignment,
                    participation=p,
                    part=sheet.part,
                    gauge_code=gauge.code,
                    data=data,
                    deficiencies=notes,
                    version=1,
                    updated_at=now,
                    updated_by=evaluator,
                )
            )
    Review.objects.bulk_create(rows)


def _inquiries(cycle: Cycle, users: dict[str, User], *, unanswered: Any) -> None:
    """Sent at the start of step 8 through the service; answered a few days later, by the
    welfare directorate's own user in the system and by staff from the other bodies' letters;
    those in ``unanswered`` are left overdue."""
    staff = users["staff"]
    made = inquiries_send(actor=staff, cycle=cycle)
    start = cycle.steps.get(number=8).planned_start
    sent = dt.datetime.combine(start, dt.time(9), tzinfo=TEHRAN)
    rng = random.Random(f"{cycle.year}-inquiries")  # noqa: S311 (demo data)  # nosec B311
    for inquiry in made:
        inquiry.sent_at = sent
        inquiry.due_at = due_for(sent, inquiry.topic.answer_days)
        fields = ["sent_at", "due_at"]
        if (inquiry.participation.agency.code, inquiry.topic.body.code) not in unanswered:
            answers = {
                gauge.code: _own_answer(rng, indicator, gauge)
                for indicator, gauge in inquiry_gauges(inquiry)
            }
            try:
                inquiry.answer, inquiry.scores = checked_answer(inquiry, answers)
            except DomainError:
                continue
            by_body = inquiry.topic.body.code == "welfare"
            inquiry.state = State.ANSWERED
            inquiry.answered_at = sent + dt.timedelta(days=rng.randint(2, 6))
            inquiry.answered_by = users["assessor"] if by_body else staff
            inquiry.how = How.SYSTEM if by_body else How.LETTER
            inquiry.reference = "" if by_body else f"{cycle.year}/{inquiry.pk:04d}/ص"
            inquiry.version = 1
            fields += ["answer", "scores", "state", "answered_at", "answered_by", "how"]
            fields += ["reference", "version"]
        inquiry.save(update_fields=fields)


def _objections(cycle: Cycle, users: dict[str, User]) -> None:
    """Through the services, in today's objection window: education's objection waits for an
    expert group, welfare's is with the group, taxes' was accepted and customs' rejected."""
    staff = users["staff"]
    group = group_create(
        actor=staff, cycle=cycle, name="گروه کارشناسی شاخص‌های عمومی", members=[staff]
    )
    for code, fate in (
        ("AR-ED", "filed"),
        ("AR-WEL", "routed"),
        ("AR-TAX", "accepted"),
        ("AR-CUS", "rejected"),
    ):
        p = cycle.participations.select_related("agency").get(agency__code=code)
        review = (
            Review.objects.filter(participation=p).exclude(deficiencies="").order_by("gauge_code")
        ).first()
        if review is None:
            continue
        objection = (
            objection_file(
                actor=users["agency"],
                participation=p,
                part=review.part,
                gauge_code=review.gauge_code,
                reasoning="مستندات کامل در سامانه بارگذاری شده بود؛ درخواست بازبینی امتیاز داریم.",
            )
            if code == "AR-ED"
            else objection_record(
                actor=staff,
                participation=p,
                part=review.part,
                gauge_code=review.gauge_code,
                reasoning="دستگاه در نشست حضوری، مستندات تکمیلی را ارائه کرد.",
                representative="نمایندهٔ دفتر مدیریت عملکرد دستگاه",
            )
        )
        if fate == "filed":
            continue
        objection_route(actor=staff, objection=objection, group=group)
        if fate == "routed":
            continue
        own = Answer.objects.filter(
            participation=p, part=review.part, gauge_code=review.gauge_code
        ).first()
        objection_decide(
            actor=staff,
            objection=objection,
            accepted=fate == "accepted",
            reasons="مستندات تکمیلی بررسی شد و ادعای دستگاه پذیرفته شد."
            if fate == "accepted"
            else "مستندات تکمیلی ادعای دستگاه را ثابت نمی‌کند.",
            data=own.data if own and fate == "accepted" else None,
        )


def _own_answer(rng: random.Random, indicator: Any, gauge: Any) -> dict[str, Any]:
    """The evaluator's own figures for a gauge the agency left unanswered."""
    raw = None
    while raw is None:
        raw = random_answer(rng, indicator, gauge)
    raw.pop("target", None)
    try:
        return clean_answer(indicator, gauge, raw)
    except DomainError:
        return {"fields": {}}


def _publish(cycle: Cycle, users: dict[str, User], *, awarded: bool) -> None:
    """Through the services, so the record shows who approved and published, and when."""
    services.final_approve(actor=users["deputy"], cycle=cycle, note="بررسی و تایید شد.")
    minutes = SimpleUploadedFile("صورت‌جلسهٔ شورا.pdf", MINUTES, content_type="application/pdf")
    services.council_approve(actor=users["council"], cycle=cycle, minutes=minutes)
    if awarded:
        awards.policy_set(actor=users["staff"], cycle=cycle, festival_size=FESTIVAL_SIZE)
        awards.bands_set(actor=users["staff"], cycle=cycle, rows=BANDS)
    services.publish(actor=users["staff"], cycle=cycle)
    if awarded:
        for code, kind, name, position in NOMINEES:
            awards.nomination_add(
                actor=users["staff"],
                participation=cycle.participations.select_related("cycle", "agency").get(
                    agency__code=code
                ),
                kind=kind,
                full_name=name,
                position=position,
            )
