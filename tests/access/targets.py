"""The objects a route is requested against, one per relationship, with its URL's values.

A route addresses one kind of object (``Spec.target`` in routes.py): a cycle, an agency's
participation, an objection… For each kind the state holds one object per relationship to
the demo users: AR-ED's (the demo agency's own, a unit of the demo HQ, assigned to the demo
evaluator, addressed to the demo assessing body), AR-ED-01's (its county unit), AR-EF's
(another agency of Ardabil) and IL-TAX's (another province). Personal objects (tokens, jobs,
notifications) come as the user's own («mine») and someone else's («theirs»).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from karnameh.accounts.models import User
from karnameh.agencies.models import Agency
from karnameh.cycles.models import Cycle, Participation
from karnameh.evaluations.rules import ConflictOf, GaugeOf, QueueOf
from karnameh.objections.models import ExpertGroup
from karnameh.results.models import Approval

from .state import EVIDENCE_GAUGE, OBJECTED, World

GAUGE = "1.1.1"
AGENCIES = ("AR-ED", "AR-ED-01", "AR-EF", "IL-TAX")
THREE = ("AR-ED", "AR-EF", "IL-TAX")
CYCLES = ("ardabil", "ilam")
EVALUATOR_OF = {"ardabil": "evaluator", "ilam": "il-evaluator"}
# Every kind of object a route may address.
KINDS = frozenset(
    {
        "none",
        "cycle",
        "released_cycle",
        "national_cycle",
        "participation",
        "released",
        "agency",
        "catalogue",
        "token",
        "job",
        "notification",
        "minutes",
        "objection",
        "assignment",
        "inquiry",
        "evidence",
        "agreement",
        "feedback",
        "group",
        "nomination",
        "meeting",
        "conflict",
        "workshop",
    }
)
# Whose personal objects are "theirs" (someone else's, in another province).
STRANGER = "il-staff"


@dataclass(frozen=True)
class Target:
    name: str
    obj: Any
    values: dict[str, str]


def _cycle_values(cycle: Cycle) -> dict[str, str]:
    first = cycle.participations.select_related("agency").order_by("agency__code").first()
    return {
        "cycle": str(cycle.pk),
        "cycle_pk": str(cycle.pk),
        "pk": str(cycle.pk),
        # The agency a cycle-wide form names (a conflict, an in-person objection).
        "agency": first.agency.code if first else "",
        # The evaluator whose queue is asked for.
        "evaluator": EVALUATOR_OF.get(cycle.province.code if cycle.province else "", ""),
    }


def _participation_values(p: Participation) -> dict[str, str]:
    cycle = str(p.cycle_id)
    return {
        "cycle": cycle,
        "cycle_pk": cycle,
        "agency": p.agency.code,
        "agency_code": p.agency.code,
    }


def _cycles(world: World, names: tuple[str, ...]) -> list[Target]:
    return [Target(n, world.cycles[n], _cycle_values(world.cycles[n])) for n in names]


def _participations(world: World, kind: str, names: tuple[str, ...]) -> list[Target]:
    return [Target(n, world.get(kind, n), _participation_values(world.get(kind, n))) for n in names]


def _each(world: World, kind: str, names: tuple[str, ...], values: Callable[[Any], dict[str, str]]):
    return [Target(n, world.get(kind, n), values(world.get(kind, n))) for n in names]


def _personal(world: World, kind: str, user: Any) -> list[Target]:
    found = []
    mine = world.objects.get((kind, getattr(user, "username", "")))
    if mine is not None:
        found.append(Target("mine", mine, {"pk": str(mine.pk), "id": str(mine.pk)}))
    theirs = world.get(kind, STRANGER)
    found.append(
        Target(
            "theirs",
            theirs,
            {"pk": str(theirs.pk), "id": str(theirs.pk), "notification_id": str(theirs.pk)},
        )
    )
    return [Target(t.name, t.obj, {**t.values, "notification_id": t.values["pk"]}) for t in found]


def _objection(o: Any) -> dict[str, str]:
    first = o.evidence.order_by("pk").first()
    group = ExpertGroup.objects.filter(cycle_id=o.participation.cycle_id).order_by("pk").first()
    return {
        # The expert group of the objection's cycle, to route it to.
        "group": str(group.pk if group else 0),
        **_participation_values(o.participation),
        "pk": str(o.pk),
        "file": str(first.pk if first else 0),
        "part": o.part,
        "gauge": o.gauge_code,
    }


def _assignment(a: Any) -> dict[str, str]:
    return {
        **_participation_values(a.participation),
        "pk": str(a.pk),
        "id": str(a.pk),
        "part": a.scope,
        "gauge": OBJECTED,
    }


def _in_cycle(obj: Any) -> dict[str, str]:
    return {"cycle": str(obj.cycle_id), "pk": str(obj.pk)}


def _workshop(w: Any) -> dict[str, str]:
    material = w.materials.order_by("pk").first()
    return {
        "pk": str(w.cycle_id),
        "workshop": str(w.pk),
        "workshop_id": str(w.pk),
        "file": str(material.pk),
    }


def _catalogue(c: Any) -> dict[str, str]:
    return {"code": c.code, "gauge": GAUGE}


def _minutes(world: World) -> list[Target]:
    cycle = world.cycles["released"]
    approval = Approval.objects.get(cycle=cycle, minutes__isnull=False)
    return [Target("released", approval, {"cycle": str(cycle.pk), "pk": str(approval.pk)})]


def targets(world: World, kind: str, user: Any) -> list[Target]:
    """The objects of this kind a route is requested against, for this user (the state does
    not change between tests: every request is rolled back)."""
    key = (id(world), kind, getattr(user, "username", ""))
    if key not in _FOUND:
        _FOUND[key] = _targets(world, kind, user)
    return _FOUND[key]


_FOUND: dict[tuple[int, str, str], list[Target]] = {}


def _targets(world: World, kind: str, user: Any) -> list[Target]:
    if kind == "none":
        return [Target("-", None, {})]
    if kind == "cycle":
        return _cycles(world, CYCLES)
    if kind in ("released_cycle", "national_cycle"):
        return _cycles(world, (kind.split("_")[0],))
    if kind == "participation":
        return _participations(world, "participation", AGENCIES)
    if kind == "released":
        return _participations(world, "released", ("AR-ED", "AR-EF"))
    if kind == "agency":
        return [
            Target(c, world.get("agency", c), {"code": c, "agency": c}) for c in (*AGENCIES, "ED")
        ]
    if kind == "catalogue":
        return _each(world, "catalogue", ("shared", *CYCLES), _catalogue)
    if kind in ("token", "job", "notification"):
        return _personal(world, kind, user)
    if kind == "minutes":
        return _minutes(world)
    values = {
        "objection": _objection,
        "assignment": _assignment,
        "inquiry": lambda i: {"pk": str(i.pk)},
        "evidence": lambda e: {
            **_participation_values(e.participation),
            "pk": str(e.pk),
            "id": str(e.pk),
        },
        "agreement": lambda a: {**_participation_values(a.participation), "pk": str(a.pk)},
        "feedback": lambda f: {"number": f.tracking_number},
        "group": _in_cycle,
        "nomination": lambda n: {"cycle": str(n.participation.cycle_id), "pk": str(n.pk)},
        "meeting": lambda m: {"cycle": str(m.group.cycle_id), "pk": str(m.pk)},
        "conflict": lambda c: {"cycle": str(_cycle_of_conflict(world, c).pk), "pk": str(c.pk)},
        "workshop": _workshop,
    }[kind]
    names = CYCLES if kind in ("group", "meeting", "conflict", "workshop", "nomination") else THREE
    return _each(world, kind, names, values)


def _cycle_of_conflict(world: World, declaration: Any) -> Cycle:
    return world.cycles["ilam" if declaration.agency.code.startswith("IL") else "ardabil"]


def subject(obj: Any, kind: str, user: Any) -> Any:
    """What an action of this subject kind is asked about, for a route's target object."""
    if kind == "none" or obj is None:
        return None
    if kind == "cycle":
        if isinstance(obj, Cycle):
            return obj
        inner = getattr(obj, "participation", None) or getattr(obj, "group", None) or obj
        return inner.cycle
    if kind == "participation":
        return obj if isinstance(obj, Participation) else obj.participation
    if kind == "agency":
        if isinstance(obj, Agency):
            return obj
        return getattr(obj, "agency", None) or obj.participation.agency
    if isinstance(obj, QueueOf | ConflictOf | GaugeOf):
        return obj
    if kind == "queue_of":
        return QueueOf(subject(obj, "cycle", user), user)
    if kind == "conflict_of":
        return ConflictOf(user, subject(obj, "agency", user))
    if kind == "gauge_of":
        return GaugeOf(subject(obj, "participation", user), "general", OBJECTED.split(".")[0])
    if kind == "group" and not hasattr(obj, "members"):
        return obj.group
    return obj


__all__ = ["EVIDENCE_GAUGE", "User", "subject", "targets"]
