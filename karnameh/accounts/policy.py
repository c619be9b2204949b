"""The access policy as data: who may do each action, to which objects. The documented truth.

``permissions.RULES`` enforces; this table says what the rules must answer, in a form a person
can read (docs/access.md prints it). tests/access/test_policy.py asks ``may()`` every cell on
real objects and fails on any disagreement, so the two cannot drift apart.

A row names the kind of object the action is asked about and, for each role, a cell:

- no cell: never;
- ``"*"``: always (for an action about no object: the role may do it);
- ``"own unit"``: when the object stands in one of these relations to the role
  (``relations.Relation``: own, unit, other, foreign, national; see relations.py);
- ``"released: *"``, ``"published: own"``, ``"member: own"``: only once the cycle's results
  are released, once the cycle is published, or for a member of the expert group the
  objection is routed to;
- clauses joined by ``;`` add up: ``"own; released: *"`` is the own agency always, anyone's
  once released.

``anonymous`` is a visitor who has not signed in; ``office`` is the performance office.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .models import Role
from .relations import Relation, facets, relation

ROLES: tuple[str, ...] = (
    Role.ADMIN,
    Role.STAFF,
    Role.DEPUTY,
    Role.COUNCIL,
    Role.EVALUATOR,
    Role.AGENCY,
    Role.PERFORMANCE_OFFICE,
    Role.HQ,
    Role.ASSESSOR,
    Role.NATIONAL,
    "anonymous",
)
CONDITIONS = ("released", "published", "member")
# The column headings of docs/access.md (short, so a table fits a page).
HEADINGS: dict[str, str] = {Role.PERFORMANCE_OFFICE: "office"}


@dataclass(frozen=True)
class Row:
    # What the action is asked about: none, agency, catalogue, cycle, participation, …
    subject: str
    cells: dict[str, str]
    # Also asked about no object at all (a new one, before it exists): then the object
    # counts as the role's own.
    blank: bool = False


def row(subject: str, **cells: str) -> Row:
    """``row("participation", agency="own", office="own")``; ``office`` is the office role."""
    if "office" in cells:
        cells[Role.PERFORMANCE_OFFICE] = cells.pop("office")
    unknown = set(cells) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    return Row(subject, cells)


def new_row(subject: str, **cells: str) -> Row:
    """A row of an action also asked about no object: a new one, the role's own."""
    made = row(subject, **cells)
    return Row(made.subject, made.cells, blank=True)


EVERYONE = {r: "*" for r in ROLES if r != "anonymous"}
ORGANIZATION = {"staff": "own", "deputy": "own", "council": "own"}
PARTICIPANTS = {
    "admin": "*",
    **ORGANIZATION,
    "evaluator": "own",
    "agency": "published: own unit",
    "office": "published: own unit",
    "hq": "published: unit",
    "national": "*",
}
AFTER_RELEASE = {**{r: "released: *" for r in ROLES}}
RUNS_CYCLE = {"admin": "*", "staff": "own"}

TABLE: dict[str, Row] = {
    # Signing in, the site, one's own tokens, jobs and notifications.
    "home.view": row("none", **EVERYONE),
    "admin.site": row("none", admin="*"),
    "api.docs": row("none", admin="*", staff="*"),
    "password.change": row("none", **EVERYONE),
    "two_step.enrol": row("none", admin="*", staff="*", evaluator="*", deputy="*", council="*"),
    "two_step.manage": row("none", admin="*", staff="*", evaluator="*", deputy="*", council="*"),
    "account.disable": row("none", admin="*"),
    "token.list": row("none", **EVERYONE),
    "token.create": row("none", **EVERYONE),
    "token.revoke": row("token", **{**{r: "own" for r in EVERYONE}, "admin": "*"}),
    "notification.list": row("none", **EVERYONE),
    "job.list": row("none", **EVERYONE),
    # Every kind of job is the organization's (its action: results, report cards, exports),
    # so only its side has jobs; downloading also needs that action on the cycle still.
    "job.view": row("job", admin="*", staff="own", deputy="own", council="own"),
    "job.download": row("job", admin="own", staff="own", deputy="own", council="own"),
    # The registry of agencies.
    "agency.list": row(
        "none",
        **{r: "*" for r in ("admin", "staff", "deputy", "council", "agency", "office", "hq")},
        national="*",
    ),
    "agency.view": row(
        "agency",
        admin="*",
        national="*",
        **ORGANIZATION,
        agency="own unit",
        office="own unit",
        hq="own unit",
    ),
    "agency.create": new_row("agency", admin="*", staff="own"),
    "agency.change": row("agency", admin="*", staff="own"),
    "agency.import": row("none", admin="*", staff="*"),
    "agency.export": row("none", admin="*", staff="*", hq="*", national="*"),
    "audit.list": row("none", admin="*", staff="*"),
    "audit.view": row("agency", admin="*", staff="own"),
    # Catalogues: shared ones (national) are everyone's; a province's, its people's.
    "catalogue.list": row("none", **EVERYONE),
    **{
        f"catalogue.{name}": row(
            "catalogue",
            admin="*",
            national="*",
            hq="*",
            staff="national own",
            deputy="national own",
            council="national own",
            evaluator="national own",
            # An agency's province is "other" to it: not its own agency's ground.
            agency="national other",
            office="national other",
            assessor="national",
        )
        for name in ("view", "try", "export")
    },
    "catalogue.diff": row(
        "none", admin="*", staff="*", deputy="*", council="*", hq="*", national="*"
    ),
    "catalogue.copy": new_row("catalogue", admin="*", staff="national own"),
    **{
        f"catalogue.{name}": (new_row if name == "create" else row)(
            "catalogue", admin="*", staff="own"
        )
        for name in ("create", "change", "freeze", "delete")
    },
    # Cycles: run by their province's staff; seen by the agencies once published.
    "cycle.list": row("none", **EVERYONE),
    "cycle.view": row(
        "cycle",
        admin="*",
        national="*",
        **ORGANIZATION,
        evaluator="own",
        agency="published: own",
        office="published: own",
        hq="published: unit",
    ),
    **{
        f"cycle.{name}": (new_row if name == "create" else row)("cycle", **RUNS_CYCLE)
        for name in ("create", "change", "publish")
    },
    "participation.view": row("participation", **PARTICIPANTS),
    "dashboard.cycle": row("cycle", admin="*", **ORGANIZATION),
    "dashboard.agency": row(
        "participation", admin="*", **ORGANIZATION, agency="own", office="own", hq="unit"
    ),
    # MoUs and specific indicators.
    "agreement.list": row("cycle", admin="*", national="*", **ORGANIZATION),
    "agreement.view": row("participation", **PARTICIPANTS),
    "agreement.change": row("participation", **RUNS_CYCLE, agency="own", office="own"),
    "agreement.approve_agency": row("participation", agency="own", office="own"),
    "agreement.approve_organization": row("participation", **RUNS_CYCLE),
    "agreement.impose": row("participation", **RUNS_CYCLE),
    "agreement.import": row("cycle", **RUNS_CYCLE),
    "specific.assign": row("participation", **RUNS_CYCLE),
    # Self-assessment: entered by the agency, approved up its tree, transferred.
    "assessment.mine": row("none", agency="*", office="*"),
    "assessment.view": row("participation", **PARTICIPANTS),
    "evidence.download": row("participation", **PARTICIPANTS),
    "assessment.edit": row("participation", agency="own", office="own"),
    "assessment.submit": row("participation", agency="own", office="own"),
    "assessment.withdraw": row("participation", agency="own", office="own"),
    **{
        f"assessment.office_{name}": row("participation", office="own")
        for name in ("approve", "return", "revoke")
    },
    **{
        f"assessment.hq_{name}": row("participation", hq="unit")
        for name in ("approve", "return", "revoke")
    },
    # The office transfers only where the agency has no HQ above it (none in the demo).
    "assessment.transfer": row("participation", hq="unit"),
    "assessment.return_transfer": row("participation", **RUNS_CYCLE),
    "assessment.extend": row("participation", **RUNS_CYCLE),
    # Evaluation.
    "evaluation.assign": row("cycle", **RUNS_CYCLE),
    "evaluation.queue": row("queue_of", **RUNS_CYCLE, evaluator="own"),
    "evaluation.conflict": row("conflict_of", **RUNS_CYCLE, evaluator="own"),
    "evaluation.conflict_withdraw": row("conflict", **RUNS_CYCLE),
    "evaluation.review": row("assignment", evaluator="own"),
    "evaluation.reviews": row("assignment", **RUNS_CYCLE, evaluator="own"),
    "evaluation.consensus": row("gauge_of", **RUNS_CYCLE, evaluator="own"),
    "evaluation.return": row("assignment", **RUNS_CYCLE),
    # The embargo: evaluation scores, before and after the release.
    "scores.view": row(
        "participation",
        admin="*",
        staff="own; released: *",
        deputy="own; released: *",
        council="own; released: *",
        # The members of an expert group deciding one of the agency's objections.
        evaluator="own; member: *; released: *",
        agency="own; released: *",
        office="own; released: *",
        hq="released: *",
        assessor="released: *",
        national="released: *",
        anonymous="released: *",
    ),
    # Inquiries to assessing bodies.
    "inquiry.inbox": row("none", assessor="*"),
    "inquiry.list": row(
        "none", admin="*", staff="*", deputy="*", council="*", evaluator="*", assessor="*"
    ),
    "inquiry.manage": row("cycle", **RUNS_CYCLE),
    **{
        f"inquiry.{name}": row(
            "inquiry", admin="*", **ORGANIZATION, evaluator="own", assessor="own"
        )
        for name in ("view", "answers")
    },
    "inquiry.agency": row("participation", admin="*", **ORGANIZATION, evaluator="own"),
    "inquiry.respond": row("inquiry", assessor="own"),
    "inquiry.record": row("inquiry", **RUNS_CYCLE),
    # Objections and expert groups.
    "objection.file": row("participation", agency="published: own", office="published: own"),
    "objection.record": row("participation", **RUNS_CYCLE),
    "objection.list": row("participation", admin="*", **ORGANIZATION, agency="own", office="own"),
    "objection.view": row(
        "objection", admin="*", **ORGANIZATION, agency="own", office="own", evaluator="member: *"
    ),
    "objection.withdraw": row("objection", agency="own", office="own"),
    "objection.route": row("objection", **RUNS_CYCLE),
    # A member who is staff or an evaluator of the province (never the gauge's evaluator:
    # the service refuses them by name).
    "objection.decide": row("objection", staff="member: own", evaluator="member: *"),
    "objection.cycle": row("cycle", admin="*", **ORGANIZATION),
    "objection.group": row("cycle", **RUNS_CYCLE),
    "objection.queue": row("cycle", staff="own", evaluator="own"),
    "objection.group_view": row("group", **RUNS_CYCLE, evaluator="member: *"),
    "objection.meeting": row("group", **RUNS_CYCLE, evaluator="member: *"),
    # Approvals, publication, awards.
    "results.view": row("cycle", admin="*", **ORGANIZATION),
    "results.approve": row("cycle", deputy="own"),
    "results.council": row("cycle", council="own"),
    "results.reopen": row("cycle", deputy="own"),
    "results.publish": row("cycle", staff="own", deputy="own"),
    "results.settings": row("cycle", staff="own", deputy="own"),
    "results.public": row("cycle", **AFTER_RELEASE),
    "portal.view": row("cycle", **AFTER_RELEASE),
    # Reports and exports.
    "reports.card": row(
        "participation",
        admin="*",
        **ORGANIZATION,
        agency="released: own",
        office="released: own",
        hq="released: unit",
        national="released: *",
    ),
    "reports.plan": row("participation", agency="released: own", office="released: own"),
    "reports.cards_all": row("cycle", admin="*", **ORGANIZATION),
    "reports.province": row("cycle", admin="*", **ORGANIZATION, national="released: *"),
    "exports.results": row("cycle", admin="*", **ORGANIZATION),
    "exports.objections": row("cycle", admin="*", **ORGANIZATION),
    "exports.inquiries": row("cycle", **RUNS_CYCLE),
    "exports.queues": row("cycle", **RUNS_CYCLE),
    "exports.package": row(
        "cycle",
        admin="released: *",
        staff="released: own",
        deputy="released: own",
        council="released: own",
    ),
    "exports.import": row("cycle", admin="national", national="national"),
    "exports.national": row("cycle", admin="national", national="national"),
    # Surveys, complaints and suggestions.
    "feedback.list": row("none", admin="*", staff="*", agency="*", office="*"),
    "feedback.view": row("feedback", admin="*", staff="own", agency="own", office="own"),
    "feedback.create": new_row("agency", agency="own", office="own"),
    "feedback.answer": row("feedback", staff="own"),
    "feedback.close": row("feedback", staff="own", agency="own", office="own"),
}

# One table per family in docs/access.md: (title, action prefixes).
FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Site, account, tokens, jobs, notifications",
        ("home", "admin", "api", "password", "two_step", "account", "token", "notification", "job"),
    ),
    ("Agencies and the audit trail", ("agency", "audit")),
    ("Catalogues", ("catalogue",)),
    ("Cycles and dashboards", ("cycle", "participation", "dashboard")),
    ("MoUs and specific indicators", ("agreement", "specific")),
    ("Self-assessment", ("assessment", "evidence")),
    ("Evaluation and the embargo", ("evaluation", "scores")),
    ("Inquiries", ("inquiry",)),
    ("Objections", ("objection",)),
    ("Results, the portal, reports and exports", ("results", "portal", "reports", "exports")),
    ("Feedback", ("feedback",)),
)


@dataclass(frozen=True)
class Clause:
    condition: str | None
    relations: frozenset[str] | None  # None: any relation


def clauses(cell: str) -> Iterator[Clause]:
    for text in filter(None, (part.strip() for part in cell.split(";"))):
        before, _sep, rest = text.rpartition(":")
        condition = before.strip() or None
        if condition is not None and condition not in CONDITIONS:
            raise ValueError(f"unknown condition {condition!r} in {cell!r}")
        names = rest.split()
        if names == ["*"]:
            yield Clause(condition, None)
            continue
        unknown = set(names) - {r.value for r in Relation}
        if unknown or not names:
            raise ValueError(f"unknown relations {sorted(unknown)} in {cell!r}")
        yield Clause(condition, frozenset(names))


def holds(condition: str | None, user: Any, obj: Any) -> bool:
    """Whether a cell's condition holds for this object (and person, for ``member``)."""
    if condition is None:
        return True
    if condition == "member":
        return _member(user, obj)
    found = facets(obj)
    cycle = found.cycle or (found.participation.cycle if found.participation else None)
    if cycle is None:
        return False
    if condition == "published":
        return bool(cycle.is_published)
    from karnameh.results.locks import is_released

    return is_released(cycle)


def _member(user: Any, obj: Any) -> bool:
    """A member of the expert group the objection is routed to (for a participation: of a
    group deciding one of its objections; for a group: of that group)."""
    from karnameh.objections.models import Objection

    if not getattr(user, "is_authenticated", False):
        return False
    name = type(obj).__name__
    if name == "ExpertGroup":
        return bool(obj.members.filter(pk=user.pk).exists())
    if name == "Participation":
        return Objection.objects.filter(participation=obj, group__members=user).exists()
    group = getattr(obj, "group", None)
    return group is not None and bool(group.members.filter(pk=user.pk).exists())


def allows(action: str, user: Any, obj: Any = None) -> bool:
    """What the table says ``may(user, action, obj)`` must answer."""
    from .permissions import grants

    entry = TABLE[action]
    found = grants(user)
    roles: list[tuple[str, Any]] = [(g.role, g) for g in found] or [("anonymous", None)]
    for role, grant in roles:
        for clause in clauses(entry.cells.get(role, "")):
            if clause.relations is not None:
                if grant is None or (obj is None and not entry.blank):
                    continue
                where = Relation.OWN if obj is None else relation(grant, user, obj)
                if where not in clause.relations:
                    continue
            if holds(clause.condition, user, obj):
                return True
    return False


def family_of(action: str) -> str:
    prefix = action.split(".", 1)[0]
    for title, prefixes in FAMILIES:
        if prefix in prefixes:
            return title
    raise KeyError(f"{action}: add its prefix to karnameh.accounts.policy.FAMILIES")


def _shown(cell: str) -> str:
    return {"": "–", "*": "✓"}.get(cell, f"`{cell}`")


def markdown() -> str:
    """The table as docs/access.md prints it, one table per family."""
    heads = [HEADINGS.get(r, r) for r in ROLES]
    out: list[str] = []
    for title, _prefixes in FAMILIES:
        out += [f"### {title}", "", "| action | object | " + " | ".join(heads) + " |"]
        out.append("|---" * (len(ROLES) + 2) + "|")
        for action, entry in TABLE.items():
            if family_of(action) != title:
                continue
            cells = [_shown(entry.cells.get(r, "")) for r in ROLES]
            out.append(f"| `{action}` | {entry.subject} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)
