"""The one realistic state the access matrix runs against, built once per test package.

On top of the demo (provinces Ardabil and Ilam, one user per role), three provincial cycles:

- Ardabil 1403, in progress: AR-ED (the demo agency's, a unit of the demo HQ «ED»), its
  county unit AR-ED-01, and AR-EF (another agency of the province). Evaluated (the demo
  evaluator holds AR-ED's assignment, «ev-results» the others'), inquiries sent, objections
  filed (AR-ED's routed to an expert group that met), MoU drafts, evidence, feedback,
  workshops, nominations, a conflict of interest, a finished job.
- Ilam 1403, the same stage: IL-TAX (another province) and IL-ED (another unit of «ED»).
- Ardabil 1402, released: AR-ED and AR-EF with published results (the portal, report cards
  and improvement plans open only then).

and a national cycle, a draft cycle, catalogues of each province, every user's own
notification and API token. The clock then stands on day 4 of step 9 (the objection window)
of the 1403 cycles: ``moment()``.

Objects are named by the agency they belong to (``"AR-ED"``, ``"AR-EF"``, ``"IL-TAX"`` …) or
the cycle (``"ardabil"``, ``"ilam"``); ``World.get(kind, name)`` finds them.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import time_machine
from django.db import transaction
from django.utils import timezone

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.accounts.tokens import token_create
from karnameh.agencies.models import Agency, Province
from karnameh.agreements.services import agreement_start
from karnameh.assessments.services import evidence_add
from karnameh.catalogue.models import Catalogue
from karnameh.catalogue.services import catalogue_copy
from karnameh.cycles.models import Cycle, CycleStatus
from karnameh.cycles.tests.builders import (
    DEMO_CATALOGUE,
    START,
    after_step,
    open_cycle,
    participation,
    step_day,
)
from karnameh.cycles.workshops import workshop_material_add, workshop_save
from karnameh.dashboards.tests.builders import approved, released
from karnameh.evaluations.models import Assignment
from karnameh.evaluations.services import conflict_declare
from karnameh.feedback.services import feedback_create
from karnameh.files.services import DOCUMENT_KINDS, store_upload
from karnameh.inquiries.models import Inquiry
from karnameh.inquiries.services import inquiries_send
from karnameh.jobs.models import Job, Status
from karnameh.notifications.models import Notification
from karnameh.objections.groups import group_create, meeting_record
from karnameh.objections.services import objection_file, objection_route
from karnameh.objections.tests.builders import pdf
from karnameh.results.models import Nomination
from karnameh.results.tests.builders import evaluate

# Who plays the agencies and provinces the demo has no user for.
EXTRA_USERS: dict[str, tuple[str, dict[str, str]]] = {
    "ef-agency": (Role.AGENCY, {"agency": "AR-EF"}),
    "il-agency": (Role.AGENCY, {"agency": "IL-TAX"}),
    "il-staff": (Role.STAFF, {"province": "ilam"}),
    "il-evaluator": (Role.EVALUATOR, {"province": "ilam"}),
    "ev-spare": (Role.EVALUATOR, {"province": "ardabil"}),
}
# Who files (and owns) each agency's objections, feedback and evidence.
AGENCY_USER = {"AR-ED": "agency", "AR-EF": "ef-agency", "IL-TAX": "il-agency"}
STAFF_OF = {"ardabil": "staff", "ilam": "il-staff"}
# Who has a finished job (report cards), and in which cycle: the organization's side only
# has jobs (every kind's action is theirs).
JOBS = {
    "admin": "ardabil",
    "staff": "ardabil",
    "deputy": "ardabil",
    "council": "ardabil",
    "il-staff": "ilam",
}
# The gauge objected to: scored by the evaluators (results.tests.builders.evaluate).
OBJECTED = "2.10.1"
EVIDENCE_GAUGE = "1.1.1"
# The assessing body of the demo «assessor» user.
OWN_BODY = "welfare"


@dataclass
class World:
    cycles: dict[str, Cycle]
    objects: dict[tuple[str, str], Any] = field(default_factory=dict)

    def get(self, kind: str, name: str) -> Any:
        return self.objects[(kind, name)]

    def put(self, kind: str, name: str, obj: Any) -> None:
        self.objects[(kind, name)] = obj


def person(name: str) -> User:
    return User.objects.get(username=name)


def _extra_users() -> None:
    for username, (role, scope) in EXTRA_USERS.items():
        user = User.objects.create_user(username=username, password="x")
        where: dict[str, Any] = {}
        if "agency" in scope:
            where["agency"] = Agency.objects.get(code=scope["agency"])
        if "province" in scope:
            where["province"] = Province.objects.get(code=scope["province"])
        if role == Role.EVALUATOR:
            where |= {"evaluator_scope": "general", "evaluator_origin": "internal"}
        RoleAssignment.objects.create(user=user, role=role, **where)


def _document(actor: User, name: str = "سند.pdf") -> Any:
    with transaction.atomic():
        return store_upload(upload=pdf(name), actor=actor, allowed=DOCUMENT_KINDS)


def _released(world: World) -> None:
    """Ardabil 1402: evaluated, approved by the deputy and the council, published."""
    cycle = open_cycle(year=1402, start=START - dt.timedelta(days=366), agencies=("AR-ED", "AR-EF"))
    evaluate(cycle, agree=False)
    approved(cycle)
    with time_machine.travel(after_step(cycle, 10), tick=False):
        released(cycle)
    world.cycles["released"] = cycle
    for code in ("AR-ED", "AR-EF"):
        world.put("released", code, participation(cycle, code))


def _running(world: World) -> None:
    world.cycles["ardabil"] = open_cycle(agencies=("AR-ED", "AR-ED-01", "AR-EF"))
    world.cycles["ilam"] = open_cycle(province="ilam", agencies=("IL-ED", "IL-TAX"))
    for name, cycle in (("ardabil", world.cycles["ardabil"]), ("ilam", world.cycles["ilam"])):
        for p in cycle.participations.select_related("cycle", "agency"):
            world.put("participation", p.agency.code, p)
        cycle.circular = _document(person(STAFF_OF[name]), "بخشنامه.pdf")
        cycle.save(update_fields=["circular"])
    world.cycles["national"] = Cycle.objects.create(
        year=1403,
        level="national",
        province=None,
        title="ارزیابی عملکرد ۱۴۰۳ دستگاه‌های ملی",
        general_catalogue=Catalogue.objects.get(code=DEMO_CATALOGUE),
        status=CycleStatus.PUBLISHED,
        published_at=timezone.now(),
    )


def _before_evaluation(world: World) -> None:
    """Steps 5 and 6: workshops, MoU drafts, evidence and feedback."""
    for name in ("ardabil", "ilam"):
        cycle = world.cycles[name]
        staff = person(STAFF_OF[name])
        with time_machine.travel(step_day(cycle, 4), tick=False):
            workshop = workshop_save(
                actor=staff,
                cycle=cycle,
                step=4,
                title="کارگاه آشنایی با شاخص‌ها",
                audience="agencies",
                starts_at=timezone.now(),
                place="سالن همایش‌ها",
            )
            material = workshop_material_add(actor=staff, workshop=workshop, upload=pdf())
        world.put("workshop", name, workshop)
        world.put("material", name, material)
    for code, username in AGENCY_USER.items():
        p = world.get("participation", code)
        staff = person(STAFF_OF["ilam" if code.startswith("IL") else "ardabil"])
        with time_machine.travel(step_day(p.cycle, 5), tick=False):
            world.put("agreement", code, agreement_start(actor=staff, participation=p))
        with time_machine.travel(step_day(p.cycle, 6, offset=3), tick=False):
            world.put(
                "evidence",
                code,
                evidence_add(
                    actor=person(username),
                    participation=p,
                    part="general",
                    gauge_code=EVIDENCE_GAUGE,
                    upload=pdf(),
                ),
            )
            world.put(
                "feedback",
                code,
                feedback_create(
                    actor=person(username),
                    kind="complaint",
                    agency=p.agency,
                    subject="تأخیر در پاسخ",
                    body="پاسخ استعلام دیر رسید.",
                ),
            )


def _evaluation(world: World) -> None:
    """Step 8: every agency scored; the demo evaluator holds AR-ED's part, others the rest."""
    evaluate(world.cycles["ardabil"], agree=False, who=person("ev-results"))
    evaluate(world.cycles["ilam"], agree=False, who=person("il-evaluator"))
    Assignment.objects.filter(participation=world.get("participation", "AR-ED")).update(
        evaluator=person("evaluator")
    )
    for code in ("AR-ED", "AR-EF", "IL-TAX"):
        world.put(
            "assignment",
            code,
            Assignment.objects.get(
                participation__agency__code=code, participation__cycle__year=1403
            ),
        )
    for name in ("ardabil", "ilam"):
        cycle = world.cycles[name]
        with time_machine.travel(step_day(cycle, 8), tick=False):
            inquiries_send(actor=person(STAFF_OF[name]), cycle=cycle)
    sent = Inquiry.objects.filter(cycle__year=1403).select_related("topic__body")
    world.put(
        "inquiry",
        "AR-ED",
        sent.get(participation__agency__code="AR-ED", topic__body__code=OWN_BODY),
    )
    world.put(
        "inquiry",
        "AR-EF",
        sent.filter(participation__agency__code="AR-EF")
        .exclude(topic__body__code=OWN_BODY)
        .first(),
    )
    world.put(
        "inquiry",
        "IL-TAX",
        sent.get(participation__agency__code="IL-TAX", topic__body__code=OWN_BODY),
    )


def _objections(world: World) -> None:
    """Step 9: each agency objects to one gauge; AR-ED's and IL-TAX's go to a group that met."""
    for code, username in AGENCY_USER.items():
        p = world.get("participation", code)
        with time_machine.travel(step_day(p.cycle, 9, offset=1), tick=False):
            world.put(
                "objection",
                code,
                objection_file(
                    actor=person(username),
                    participation=p,
                    part="general",
                    gauge_code=OBJECTED,
                    reasoning="سامانهٔ رصد از آغاز سال برقرار بوده است.",
                    uploads=[pdf()],
                ),
            )
    for name, code, members in (
        ("ardabil", "AR-ED", ("staff", "ev-results")),
        ("ilam", "IL-TAX", ("il-staff",)),
    ):
        cycle = world.cycles[name]
        staff = person(STAFF_OF[name])
        with time_machine.travel(step_day(cycle, 9, offset=2), tick=False):
            group = group_create(
                actor=staff,
                cycle=cycle,
                name="گروه کارشناسی ۱",
                members=[person(m) for m in members],
            )
            objection_route(actor=staff, objection=world.get("objection", code), group=group)
            meeting = meeting_record(
                actor=staff,
                group=group,
                held_on=timezone.now().date(),
                present=[staff],
                minutes=pdf("صورت‌جلسه.pdf"),
            )
        world.put("group", name, group)
        world.put("meeting", name, meeting)
        world.put(
            "conflict",
            name,
            conflict_declare(
                actor=staff,
                evaluator=person("ev-spare" if name == "ardabil" else "il-evaluator"),
                agency=world.get("participation", code).agency,
                reason="خویشاوندی با مدیر دستگاه",
            ),
        )


def _personal(world: World) -> None:
    """Every user's own notification and token; finished jobs; a nomination per province."""
    for user in User.objects.all():
        world.put(
            "notification",
            user.username,
            Notification.objects.create(
                user=user, kind="test", title="یادآوری", created_at=timezone.now()
            ),
        )
        world.put("token", user.username, token_create(actor=user, name="اسکریپت")[0])
    for username, name in JOBS.items():
        staff = person(username)
        output = _document(staff, "کارنامه‌ها.pdf")
        world.put(
            "job",
            username,
            Job.objects.create(
                kind="reports.cards",
                cycle=world.cycles[name],
                requested_by=staff,
                status=Status.DONE,
                done=1,
                total=1,
                finished_at=timezone.now(),
                output=output,
                output_name="cards.zip",
                output_size=output.size,
            ),
        )
    for name in STAFF_OF:
        world.put(
            "nomination",
            name,
            Nomination.objects.create(
                participation=world.get(
                    "participation", "AR-ED" if name == "ardabil" else "IL-TAX"
                ),
                kind="manager",
                full_name="مریم احمدی",
                position="مدیرکل",
                reason="پیشگامی در دولت الکترونیک",
                created_by=person(STAFF_OF[name]),
                created_at=timezone.now(),
            ),
        )


def _catalogues(world: World) -> None:
    shared = Catalogue.objects.get(code=DEMO_CATALOGUE)
    world.put("catalogue", "shared", shared)
    for name in ("ardabil", "ilam"):
        world.put(
            "catalogue",
            name,
            catalogue_copy(
                actor=person(STAFF_OF[name]),
                source=shared,
                code=f"{name}-1404-general",
                year=1404,
                title=f"شاخص‌های عمومی ۱۴۰۴ {name}",
                province=Province.objects.get(code=name),
            ),
        )


def build() -> World:
    """The whole state (the demo must be loaded); about ten seconds on SQLite."""
    _extra_users()
    world = World(cycles={})
    _catalogues(world)
    _released(world)
    _running(world)
    _before_evaluation(world)
    _evaluation(world)
    _objections(world)
    _personal(world)
    for code in ("AR-ED", "AR-ED-01", "AR-EF", "IL-TAX", "IL-ED", "ED"):
        world.put("agency", code, Agency.objects.get(code=code))
    # A draft: seen by the organization's side only, until it is published.
    world.cycles["draft"] = open_cycle(year=1404, published=False, agencies=("AR-ED",))
    world.put("draft", "AR-ED", participation(world.cycles["draft"], "AR-ED"))
    refreshed(world)
    return world


def moment(world: World) -> dt.datetime:
    """Where the clock stands while the matrix runs: step 9, day 4, of the 1403 cycles."""
    return step_day(world.cycles["ardabil"], 9, offset=3)


def refreshed(world: World) -> None:
    for key, obj in world.objects.items():
        if hasattr(obj, "refresh_from_db"):
            obj.refresh_from_db()
        world.objects[key] = obj
