"""Who hears about objections. No notice carries a score (results.notices says why): each says
what happened and links to the page, which checks ``scores.view`` before showing one."""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from karnameh.accounts.models import Role
from karnameh.common.text import persian_digits
from karnameh.notifications import recipients
from karnameh.notifications.services import notify

from .models import Objection, ObjectionState


def _url(objection: Objection) -> str:
    return reverse("objections:detail", args=[objection.participation.cycle_id, objection.pk])


def _names(objection: Objection) -> dict[str, str]:
    return {
        "agency": objection.participation.agency.name,
        "code": persian_digits(objection.gauge_code),
    }


def filed(objection: Objection, actor: Any) -> int:
    """The province's staff, who route it."""
    cycle = objection.participation.cycle
    with translation.override(settings.LANGUAGE_CODE):
        title = _("New objection: %(agency)s, gauge %(code)s") % _names(objection)
        body = _("Route it to an expert group.")
    users = recipients.province_users(cycle.province_id, [Role.STAFF]).exclude(pk=actor.pk)
    return notify(users=users, kind="objection_filed", title=title, body=body, url=_url(objection))


def routed(objection: Objection, actor: Any) -> int:
    """The members of the group it was routed to."""
    assert objection.group is not None
    with translation.override(settings.LANGUAGE_CODE):
        title = _("An objection for your expert group: %(agency)s, gauge %(code)s") % _names(
            objection
        )
        body = _("Group: %(group)s. Review it and decide.") % {"group": objection.group.name}
    users = objection.group.members.exclude(pk=actor.pk)
    return notify(users=users, kind="objection_routed", title=title, body=body, url=_url(objection))


def withdrawn(objection: Objection, actor: Any) -> int:
    """The group it was with, so that nobody spends time on it."""
    if objection.group is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Objection withdrawn: %(agency)s, gauge %(code)s") % _names(objection)
    users = objection.group.members.exclude(pk=actor.pk)
    return notify(users=users, kind="objection_withdrawn", title=title, url=_url(objection))


def decided(objection: Objection, actor: Any) -> int:
    """The agency: the outcome, never the score (the page shows it to those who may see it)."""
    with translation.override(settings.LANGUAGE_CODE):
        if objection.state == ObjectionState.ACCEPTED:
            title = _("Your objection to gauge %(code)s was accepted") % _names(objection)
        else:
            title = _("Your objection to gauge %(code)s was rejected") % _names(objection)
        body = _("Read the expert group's decision and its reasons.")
    users = recipients.agency_side([objection.participation.agency_id]).exclude(pk=actor.pk)
    return notify(
        users=users, kind="objection_decided", title=title, body=body, url=_url(objection)
    )
