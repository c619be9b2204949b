"""The conflict-of-interest rule and the balanced suggestion."""

import pytest

from karnameh.accounts.models import Role, User
from karnameh.agencies.models import Agency
from karnameh.cycles.tests.builders import open_cycle
from karnameh.evaluations.services import conflict_declare
from karnameh.evaluations.suggest import (
    AgencyFacts,
    EvaluatorFacts,
    conflict_between,
    conflict_reason,
    propose,
    suggest,
)

from .helpers import SEVEN, county_unit, evaluator

HQ = AgencyFacts(1, "وزارت", None, 1)
UNIT = AgencyFacts(2, "اداره کل", 1, 1)
COUNTY = AgencyFacts(3, "اداره شهرستان", 2, 1)
OTHER = AgencyFacts(4, "اداره دیگر", 5, 5)


@pytest.mark.parametrize(
    ("held", "target"),
    [(UNIT, UNIT), (UNIT, COUNTY), (HQ, UNIT), (HQ, COUNTY), (COUNTY, UNIT), (UNIT, HQ)],
)
def test_an_evaluator_may_not_evaluate_their_agency_its_parent_hq_or_units(held, target):
    # given
    person = EvaluatorFacts(10, "a", held=(held,))
    # when
    reason = conflict_between(person, target)
    pairs, unplaced = propose([(1, target)], [person], {})
    # then
    assert reason
    assert pairs == []
    assert [key for key, _why in unplaced] == [1]


def test_an_evaluator_from_another_tree_has_no_conflict():
    # given
    person = EvaluatorFacts(10, "a", held=(OTHER,))
    # when
    pairs, unplaced = propose([(1, UNIT), (2, COUNTY)], [person], {})
    # then
    assert pairs == [(1, 10), (2, 10)]
    assert unplaced == []


def test_conflict_reason_reads_roles_for_own_agency_hq_and_unit(demo):
    # given
    ared = Agency.objects.get(code="AR-ED")
    own = evaluator("own", works_for="AR-ED")
    at_hq = evaluator("athq", works_for="ED", role=Role.HQ)
    at_unit = evaluator("atunit", works_for=county_unit("AR-ED").code)
    elsewhere = evaluator("elsewhere", works_for="AR-EF")
    # when
    reasons = {u.username: conflict_reason(u, ared) for u in (own, at_hq, at_unit, elsewhere)}
    # then
    assert reasons["own"] and reasons["athq"] and reasons["atunit"]
    assert reasons["elsewhere"] is None
    assert conflict_reason(own, county_unit("AR-ED")) is not None


def test_a_declared_conflict_counts(demo, demo_user):
    # given
    person = demo_user("evaluator")
    ared = Agency.objects.get(code="AR-ED")
    assert conflict_reason(person, ared) is None
    # when
    conflict_declare(actor=person, evaluator=person, agency=ared, reason="همسرم آنجا کار می‌کند")
    # then
    assert conflict_reason(person, ared) is not None


def test_the_suggestion_balances_seven_agencies_over_three_evaluators(demo):
    # given: the demo evaluator plus two more
    cycle = open_cycle(agencies=SEVEN)
    evaluator("b-eval")
    evaluator("c-eval")
    # when
    found = suggest(cycle, "general")
    # then
    loads: dict[str, int] = {}
    for _participation, user in found.pairs:
        loads[user.username] = loads.get(user.username, 0) + 1
    assert sorted(loads.values(), reverse=True) == [3, 2, 2]
    assert len(found.pairs) == 7
    assert found.unplaced == []
    assert [p.agency.code for p, _u in found.pairs] == sorted(SEVEN)


def test_the_suggestion_skips_conflicts_and_lists_who_nobody_may_take(demo, demo_user):
    # given: the only two general evaluators both work at or above AR-ED
    cycle = open_cycle(agencies=("AR-ED", "AR-EF"))
    User.objects.filter(username="evaluator").update(is_active=False)
    evaluator("own", works_for="AR-ED")
    evaluator("athq", works_for="ED", role=Role.HQ)
    # when
    found = suggest(cycle, "general")
    # then
    assert [(p.agency.code, u.username) for p, u in found.pairs] == [("AR-EF", "athq")]
    assert [item.participation.agency.code for item in found.unplaced] == ["AR-ED"]


def test_the_suggestion_is_deterministic_and_counts_existing_load(demo):
    # given
    first = AgencyFacts(1, "x", None, None)
    second = AgencyFacts(2, "y", None, None)
    people = [EvaluatorFacts(1, "b"), EvaluatorFacts(2, "a")]
    # when
    pairs, _unplaced = propose([(1, first), (2, second)], people, {2: 5})
    # then: "a" carries five already, so "b" takes both
    assert pairs == [(1, 1), (2, 1)]
    assert propose([(1, first)], people, {}) == ([(1, 2)], [])
