"""Who may download what (merged into accounts.permissions.RULES).

Score exports (the ranking, the bonus coefficients, the festival list) are the organization's
side's alone, before publication and after it: the payroll and festival lists are internal
papers, and what the public may read after publication is the portal's. The staff tables
(objections, inquiries, evaluators' queues) follow the rule of the page that shows them, so an
export never shows more than its page. The national package leaves only after publication.
"""

from typing import Any

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import Rule, has_role, may
from karnameh.catalogue.models import Level
from karnameh.results.locks import is_released
from karnameh.results.rules import organization_side


def _package(user: Any, cycle: Any) -> bool:
    return is_released(cycle) and organization_side(user, cycle)


def _national(user: Any, cycle: Any) -> bool:
    """The national organization (and the administrator) on a national-level cycle."""
    return cycle.level == Level.NATIONAL and has_role(user, Role.ADMIN, Role.NATIONAL)


RULES: dict[str, Rule] = {
    # obj: a cycle. Every export that carries scores.
    "exports.results": organization_side,
    # obj: a cycle. The staff tables, exactly as their pages decide.
    "exports.objections": lambda u, cycle: may(u, "objection.cycle", cycle),
    "exports.inquiries": lambda u, cycle: may(u, "inquiry.manage", cycle),
    "exports.queues": lambda u, cycle: may(u, "evaluation.assign", cycle),
    # obj: a provincial cycle. The package sent to the national organization.
    "exports.package": _package,
    # obj: a national cycle. Importing provinces' packages and reading their aggregate.
    "exports.import": _national,
    "exports.national": _national,
}
