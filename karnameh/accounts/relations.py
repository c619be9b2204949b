"""How an object stands to a person's role: the columns of the policy table (policy.py).

Every rule in ``permissions.RULES`` answers from the person's role and where the object sits
in the agency tree and the provinces. ``relation(grant, obj)`` names that place, once, for
every kind of object an action is asked about:

- ``own``: the role's own ground. An agency user's or performance office's own agency; the
  units under an HQ user's headquarters (in any province); an organization role's province
  (staff, deputy, council members); an evaluator's assigned agency (or their own queue,
  assignment or declaration); an assessing body's own inquiries; a person's own token, job
  or notification. For the administrator and the national viewers everything is ``own``.
- ``unit``: an agency user's HQ or one of their agency's county units.
- ``other``: another agency of the same province (an evaluator: one not assigned to them;
  an HQ user: an agency outside their headquarters' tree; an assessing body: an inquiry to
  another body; a personal object: someone else's).
- ``foreign``: another province.
- ``national``: what belongs to no province: a shared catalogue, a national cycle, an HQ.

Two relations hold for one object only where the rules do not tell them apart; the policy
test (tests/access/test_policy.py) checks ``may()`` against the table cell by cell on real
objects, so a rule that starts telling them apart fails it.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q

from karnameh.agencies.models import Agency

from .models import Role

ORGANIZATION = (Role.STAFF, Role.DEPUTY, Role.COUNCIL)
AGENCY_SIDE = (Role.AGENCY, Role.PERFORMANCE_OFFICE)
EVERYWHERE = (Role.ADMIN, Role.NATIONAL)


class Relation(StrEnum):
    OWN = "own"
    UNIT = "unit"
    OTHER = "other"
    FOREIGN = "foreign"
    NATIONAL = "national"


@dataclass(frozen=True)
class Facets:
    """What the rules look at in an object: where it sits and whose it is."""

    province_id: int | None = None
    agency: Agency | None = None
    participation: Any = None
    cycle: Any = None
    # A personal object's owner (a token, a job, a notification).
    owner_id: int | None = None
    # The evaluator an assignment, queue or conflict of interest is about.
    evaluator_id: int | None = None
    # The assessing body an inquiry is addressed to.
    body_id: int | None = None


def _of_participation(p: Any, **more: Any) -> Facets:
    return Facets(
        province_id=p.cycle.province_id, agency=p.agency, participation=p, cycle=p.cycle, **more
    )


def facets(obj: Any) -> Facets:
    """The facets of any object an action is asked about (see ``policy.SUBJECTS``)."""
    from karnameh.cycles.models import Cycle, Participation

    if isinstance(obj, Agency):
        return Facets(province_id=obj.province_id, agency=obj)
    if isinstance(obj, Participation):
        return _of_participation(obj)
    if isinstance(obj, Cycle):
        return Facets(province_id=obj.province_id, cycle=obj)
    name = type(obj).__name__
    if name == "Catalogue":
        return Facets(province_id=obj.province_id)
    if name in ("ApiToken", "Notification"):
        return Facets(owner_id=obj.user_id)
    if name == "Job":
        return Facets(owner_id=obj.requested_by_id, province_id=obj.cycle.province_id)
    if name == "Inquiry":
        return _of_participation(obj.participation, body_id=obj.topic.body_id)
    if name == "Assignment":
        return _of_participation(obj.participation, evaluator_id=obj.evaluator_id)
    if name in ("ConflictDeclaration", "ConflictOf"):
        return Facets(
            province_id=obj.agency.province_id, agency=obj.agency, evaluator_id=obj.evaluator.pk
        )
    if name == "QueueOf":
        return Facets(
            province_id=obj.cycle.province_id, cycle=obj.cycle, evaluator_id=obj.evaluator.pk
        )
    if name == "Feedback":
        return Facets(province_id=obj.agency.province_id, agency=obj.agency)
    if hasattr(obj, "participation"):  # objections, evidence, agreements, nominations, GaugeOf
        return _of_participation(obj.participation)
    if hasattr(obj, "group"):  # an expert group's meeting
        obj = obj.group
    if hasattr(obj, "cycle"):  # expert groups, workshops
        return Facets(province_id=obj.cycle.province_id, cycle=obj.cycle)
    raise TypeError(f"no facets for {name}: add it to karnameh.accounts.relations.facets")


def _agency_of(grant: Any) -> Agency:
    return Agency.objects.get(pk=grant.agency_id)


def _by_agency(mine: Agency, agency: Agency) -> Relation:
    """An agency user's relation to another agency of the tree."""
    if agency.pk == mine.pk:
        return Relation.OWN
    if agency.parent_id == mine.pk:
        return Relation.UNIT
    if agency.province_id is None:
        return Relation.NATIONAL
    return Relation.OTHER if agency.province_id == mine.province_id else Relation.FOREIGN


def _by_province(province_id: int | None, found: Facets) -> Relation:
    if found.province_id is None:
        return Relation.NATIONAL
    return Relation.OWN if found.province_id == province_id else Relation.FOREIGN


def _agency_side(grant: Any, found: Facets) -> Relation:
    mine = _agency_of(grant)
    if found.agency is not None:
        return _by_agency(mine, found.agency)
    # A cycle is an agency's own when the agency or one of its units takes part in it.
    if (
        found.cycle is not None
        and found.cycle.participations.filter(
            Q(agency_id=mine.pk) | Q(agency__parent_id=mine.pk)
        ).exists()
    ):
        return Relation.OWN
    if found.province_id is None:
        return Relation.NATIONAL
    return Relation.OTHER if found.province_id == mine.province_id else Relation.FOREIGN


def _hq(grant: Any, found: Facets) -> Relation:
    if found.agency is not None:
        if found.agency.pk == grant.agency_id:
            return Relation.OWN
        if found.agency.headquarters_id == grant.agency_id:
            return Relation.UNIT
        return Relation.NATIONAL if found.agency.province_id is None else Relation.OTHER
    if (
        found.cycle is not None
        and found.cycle.participations.filter(agency__headquarters_id=grant.agency_id)
        .exclude(agency_id=grant.agency_id)
        .exists()
    ):
        return Relation.UNIT
    return Relation.NATIONAL if found.province_id is None else Relation.OTHER


def _evaluator(grant: Any, user: Any, found: Facets) -> Relation:
    if found.evaluator_id is not None:
        if found.province_id != grant.province_id:
            return Relation.FOREIGN
        return Relation.OWN if found.evaluator_id == user.pk else Relation.OTHER
    place = _by_province(grant.province_id, found)
    if place != Relation.OWN or found.participation is None:
        return place
    from karnameh.evaluations.models import Assignment

    assigned = Assignment.objects.filter(
        participation_id=found.participation.pk, evaluator_id=user.pk, removed_at__isnull=True
    ).exists()
    return Relation.OWN if assigned else Relation.OTHER


def _assessor(grant: Any, found: Facets) -> Relation:
    if found.body_id is not None:
        return Relation.OWN if found.body_id == grant.assessing_body_id else Relation.OTHER
    return Relation.NATIONAL if found.province_id is None else Relation.OTHER


def relation(grant: Any, user: Any, obj: Any) -> Relation:
    """How ``obj`` stands to one role ``grant`` (``permissions.Grant``) of ``user``."""
    found = facets(obj)
    if found.owner_id is not None:
        return Relation.OWN if found.owner_id == user.pk else Relation.OTHER
    if grant.role in EVERYWHERE:
        return Relation.OWN if found.province_id is not None else Relation.NATIONAL
    if grant.role in ORGANIZATION:
        return _by_province(grant.province_id, found)
    if grant.role in AGENCY_SIDE:
        return _agency_side(grant, found)
    if grant.role == Role.HQ:
        return _hq(grant, found)
    if grant.role == Role.EVALUATOR:
        return _evaluator(grant, user, found)
    return _assessor(grant, found)
