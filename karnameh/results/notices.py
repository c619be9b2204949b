"""Who is told about approvals, reopenings and publication. No notice ever carries a score:
before publication a notice may reach someone the embargo keeps from scores (an email client,
a shared inbox); it says what happened and links to the page that checks ``scores.view``."""

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from karnameh.accounts.models import Role
from karnameh.common.text import persian_digits
from karnameh.cycles.models import Cycle
from karnameh.notifications import recipients
from karnameh.notifications.services import notify

from .models import Stage

ORGANIZATION = (Role.STAFF, Role.DEPUTY, Role.COUNCIL)


def _url(cycle: Cycle) -> str:
    return f"/results/{cycle.pk}/"


def _organization(cycle: Cycle, actor: Any) -> Any:
    return recipients.province_users(cycle.province_id, ORGANIZATION).exclude(pk=actor.pk)


def approved(cycle: Cycle, actor: Any, stage: str) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        names = {"cycle": persian_digits(cycle.title)}
        if stage == Stage.DEPUTY:
            title = _("The deputy gave the final approval of the scores of %(cycle)s") % names
            body = _("The ranking now waits for the steering council's approval.")
        else:
            title = _("The steering council approved the ranking of %(cycle)s") % names
            body = _("The results may now be published.")
    return notify(
        users=_organization(cycle, actor),
        kind=f"results_{stage}",
        title=title,
        body=body,
        url=_url(cycle),
    )


def reopened(cycle: Cycle, actor: Any, reason: str) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("The scores of %(cycle)s were reopened") % {"cycle": persian_digits(cycle.title)}
        body = _("Reason: %(reason)s") % {"reason": reason}
    users = _organization(cycle, actor) | recipients.province_users(
        cycle.province_id, [Role.EVALUATOR]
    ).filter(evaluation_assignments__participation__cycle=cycle).exclude(pk=actor.pk)
    return notify(
        users=users.distinct(), kind="results_reopened", title=title, body=body, url=_url(cycle)
    )


def published(cycle: Cycle) -> int:
    """The agencies (and the HQs above them), the organization and the national organization."""
    rows = list(cycle.participations.values_list("agency_id", "agency__headquarters_id"))
    users = (
        recipients.cycle_audience([a for a, _h in rows], [h for _a, h in rows])
        | recipients.province_users(cycle.province_id, ORGANIZATION)
        | recipients.national_users()
    )
    with translation.override(settings.LANGUAGE_CODE):
        title = _("The results of %(cycle)s are published") % {"cycle": persian_digits(cycle.title)}
        body = _("See the ranking and your agency's scores.")
    return notify(
        users=users.distinct(),
        kind="results_published",
        title=title,
        body=body,
        url=f"/results/{cycle.pk}/public/",
    )
