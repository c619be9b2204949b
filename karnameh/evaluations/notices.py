"""Who is told about assignments, an initial approval and its return. No notice carries a score:
a notice may reach an inbox the embargo does not cover; it links to the page that checks
``scores.view``."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from karnameh.common.text import persian_digits
from karnameh.notifications import recipients
from karnameh.notifications.services import notify

from .models import Assignment


def assigned(assignments: list[Assignment], actor: Any) -> int:
    """Each evaluator once, naming every agency and part they were just given (a suggestion
    applied gives one evaluator several)."""
    by_evaluator: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_evaluator.setdefault(assignment.evaluator_id, []).append(assignment)
    sent = 0
    for given in by_evaluator.values():
        first = given[0]
        p = first.participation
        with translation.override(settings.LANGUAGE_CODE):
            title = _("You were assigned to evaluate: %(cycle)s") % _names(first)
            body = "\n".join(_given(a) for a in given)
        sent += notify(
            users=[first.evaluator] if first.evaluator_id != actor.pk else [],
            kind="evaluation_assigned",
            title=title,
            body=body,
            url=reverse("evaluations:queue", args=[p.cycle_id]),
        )
    return sent


def _given(assignment: Assignment) -> str:
    names = _names(assignment)
    if assignment.axes:
        names["axes"] = persian_digits("، ".join(assignment.axes))
        return _("%(agency)s: the %(part)s part, axes %(axes)s") % names
    return _("%(agency)s: the whole %(part)s part") % names


def unassigned(assignment: Assignment, actor: Any, reason: str) -> int:
    """The evaluator: this agency is no longer theirs to score, and why."""
    p = assignment.participation
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Your assignment was removed: %(agency)s") % _names(assignment)
        body = _("Reason: %(reason)s") % {"reason": reason}
    return notify(
        users=[assignment.evaluator] if assignment.evaluator_id != actor.pk else [],
        kind="evaluation_unassigned",
        title=title,
        body=body,
        url=reverse("evaluations:queue", args=[p.cycle_id]),
    )


def _names(assignment: Assignment) -> dict[str, str]:
    p = assignment.participation
    return {
        "agency": p.agency.name,
        "cycle": persian_digits(p.cycle.title),
        "part": str(assignment.get_scope_display()),
    }


def approved(assignment: Assignment, actor: Any) -> int:
    """The agency's users and performance office: their provisional scores may be read."""
    p = assignment.participation
    with translation.override(settings.LANGUAGE_CODE):
        names = _names(assignment)
        title = _("Provisional scores of %(agency)s") % names
        body = (
            _(
                "An evaluator gave the initial approval of the %(part)s part for %(cycle)s. See "
                "the provisional scores and the notes of deficiencies."
            )
            % names
        )
    return notify(
        users=recipients.agency_side([p.agency_id]).exclude(pk=actor.pk),
        kind="initial_approval",
        title=title,
        body=body,
        url=reverse("evaluations:scores", args=[p.cycle_id, p.agency.code]),
    )


def returned(assignment: Assignment, actor: Any, reason: str) -> int:
    """The evaluator: their part is open again, and why."""
    p = assignment.participation
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Your initial approval was returned: %(agency)s") % _names(assignment)
        body = _("Reason: %(reason)s") % {"reason": reason}
    users = [assignment.evaluator] if assignment.evaluator_id != actor.pk else []
    return notify(
        users=users,
        kind="initial_return",
        title=title,
        body=body,
        url=reverse("evaluations:review", args=[p.cycle_id, assignment.pk]),
    )
