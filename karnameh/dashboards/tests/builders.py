"""A cycle caught in the middle, and one taken to publication, for the dashboards' tests.

``running(...)``: every agency evaluated (results.tests.builders.evaluate), then two agencies'
self-assessments put back (one submitted, one never started), the inquiries sent in step 8 and
an objection filed in step 9. ``approved(cycle)``: the deputy's final approval;
``released(cycle)`` then the council's approval and the publication.
"""

from collections.abc import Iterable

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from karnameh.accounts.models import User
from karnameh.cycles.models import AssessmentState, Cycle
from karnameh.cycles.tests.builders import after_step, open_cycle, participation, step_day
from karnameh.inquiries.services import inquiries_send
from karnameh.objections.models import Objection
from karnameh.objections.services import objection_file
from karnameh.results.services import council_approve, final_approve, publish
from karnameh.results.tests.builders import evaluate
from karnameh.results.tests.test_services import PDF

FOUR = ("AR-ED", "AR-EF", "AR-TAX", "AR-WEL")


def person(name: str) -> User:
    return User.objects.get(username=name)


def running(
    *, year: int = 1403, agencies: Iterable[str] = FOUR, reviewer: User | None = None
) -> Cycle:
    codes = list(agencies)
    cycle = open_cycle(year=year, agencies=codes)
    evaluate(cycle, who=reviewer)
    # The last two agencies did not get as far: submitted, and never started.
    for code, state in zip(
        codes[-2:], (AssessmentState.SUBMITTED, AssessmentState.NOT_STARTED), strict=False
    ):
        p = participation(cycle, code)
        p.state = state
        p.save(update_fields=["state"])
    with time_machine.travel(step_day(cycle, 8), tick=False):
        inquiries_send(actor=person("staff"), cycle=cycle)
    return cycle


def objection(cycle: Cycle, code: str = "AR-ED") -> Objection:
    with time_machine.travel(step_day(cycle, 9, offset=2), tick=False):
        return objection_file(
            actor=person("agency"),
            participation=participation(cycle, code),
            part="general",
            gauge_code="2.10.1",
            reasoning="سامانهٔ رصد از آغاز سال برقرار بوده است.",
        )


def approved(cycle: Cycle) -> None:
    """The deputy's final approval: the results are fixed, not yet released."""
    with time_machine.travel(after_step(cycle, 9), tick=False):
        final_approve(actor=person("deputy"), cycle=cycle)


def released(cycle: Cycle) -> None:
    """Approved by the council (with the deputy's approval already given) and published."""
    council_approve(
        actor=person("council"),
        cycle=cycle,
        minutes=SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf"),
    )
    publish(actor=person("staff"), cycle=cycle)
