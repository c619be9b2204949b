"""The policy table (karnameh.accounts.policy) and the rules agree, cell by cell, on real objects.

For every action, every person of the state (the ten demo users, the extra agency, province and
evaluator users, a visitor) and every object of the action's kind in the state, ``may()`` must
answer what the table says. Every cell that allows something must be seen allowing it at least
once, so a cell cannot claim what no object shows. docs/access.md prints the same table.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from karnameh.accounts.models import User
from karnameh.accounts.permissions import RULES, grants, may
from karnameh.accounts.policy import TABLE, allows, clauses, holds, markdown
from karnameh.accounts.relations import Relation, relation
from karnameh.agencies.models import Agency
from karnameh.evaluations.rules import ConflictOf, GaugeOf, QueueOf

from .state import World

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "access.md"
# Pairs (evaluator, where) for queues and conflicts: each evaluator's own and someone else's.
PAIRS = (
    ("evaluator", "ardabil", "AR-ED"),
    ("ev-results", "ardabil", "AR-EF"),
    ("il-evaluator", "ilam", "IL-TAX"),
    ("evaluator", "ilam", "IL-TAX"),
)


def subjects(world: World, kind: str) -> list[Any]:
    """The state's objects an action of this kind is asked about."""
    if kind == "none":
        return [None]
    if kind == "cycle":
        return list(world.cycles.values())
    if kind == "agency":
        return [v for (k, _n), v in world.objects.items() if k == "agency"] + [
            Agency.objects.get(code="EF")
        ]
    if kind == "participation":
        return [
            v for (k, _n), v in world.objects.items() if k in ("participation", "released", "draft")
        ]
    if kind in ("queue_of", "conflict_of"):
        made: list[Any] = []
        for username, cycle, code in PAIRS:
            evaluator = User.objects.get(username=username)
            if kind == "queue_of":
                made.append(QueueOf(world.cycles[cycle], evaluator))
            else:
                made.append(ConflictOf(evaluator, world.get("agency", code)))
        return made
    if kind == "gauge_of":
        return [
            GaugeOf(p, "general", "1")
            for (k, _n), p in world.objects.items()
            if k == "participation"
        ]
    found = [v for (k, _n), v in world.objects.items() if k == kind]
    assert found, f"the state has no {kind}"
    return found


def people() -> Iterator[Any]:
    yield AnonymousUser()
    for person in User.objects.order_by("username"):
        if grants(person):
            yield person


def test_every_action_has_a_row_and_every_row_an_action() -> None:
    assert sorted(set(RULES) - set(TABLE)) == [], "actions with no row in policy.TABLE"
    assert sorted(set(TABLE) - set(RULES)) == [], "rows of policy.TABLE for no action"


def test_every_cell_parses() -> None:
    for action, entry in TABLE.items():
        for role, cell in entry.cells.items():
            assert list(clauses(cell)), f"{action} {role}: empty cell {cell!r}"


@pytest.mark.parametrize("action", sorted(TABLE))
def test_may_answers_what_the_table_says(world: World, action: str) -> None:
    # given
    entry = TABLE[action]
    objects = subjects(world, entry.subject) + ([None] if entry.blank else [])
    disagreements = []
    seen: set[tuple[str, str | None, str]] = set()
    # when
    for person in people():
        found = grants(person)
        for obj in objects:
            answer = may(person, action, obj)
            if answer != allows(action, person, obj):
                where = relation(found[0], person, obj) if found and obj is not None else "-"
                role = found[0].role if found else "anonymous"
                disagreements.append(f"{person} ({role}, {where}) {obj!r}: may()={answer}")
            if answer:
                seen |= _cells_used(entry.cells, person, obj)
    # then
    assert disagreements == []
    unused = [
        f"{role}: {clause.condition or ''} {name}"
        for role, cell in entry.cells.items()
        for clause in clauses(cell)
        for name in sorted(clause.relations or {"*"})
        if (role, clause.condition, name) not in seen
    ]
    assert unused == [], "cells no object of the state shows allowing anything"


def _cells_used(cells: dict[str, str], person: Any, obj: Any) -> set[tuple[str, str | None, str]]:
    """The (role, condition, relation) clauses that allowed this person this object."""
    used = set()
    for grant in grants(person) or [None]:
        role = grant.role if grant else "anonymous"
        where = relation(grant, person, obj) if grant and obj is not None else Relation.OWN
        for clause in clauses(cells.get(role, "")):
            if clause.relations is not None and where not in clause.relations:
                continue
            if holds(clause.condition, person, obj):
                used.add((role, clause.condition, str(where) if clause.relations else "*"))
    return used


def test_the_documentation_prints_the_table() -> None:
    assert markdown() in DOCS.read_text(encoding="utf-8"), (
        "docs/access.md is out of date: paste karnameh.accounts.policy.markdown() into it"
    )
