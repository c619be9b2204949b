"""Adding, removing and applying assignments; every refusal leaves everything as it was."""

import pytest

from karnameh.accounts.models import Role, RoleAssignment
from karnameh.agencies.models import Agency, Province
from karnameh.common.errors import DomainError, Forbidden
from karnameh.common.factories import user_with_role
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.evaluations.models import Assignment
from karnameh.evaluations.services import (
    assignment_add,
    assignment_remove,
    assignments_apply,
    conflict_declare,
)
from karnameh.evaluations.suggest import suggest

from .helpers import evaluator, state


def test_staff_assign_general_evaluators_to_axes_and_specific_ones_to_the_whole_part(
    demo, demo_user
):
    # given
    cycle = open_cycle()
    staff = demo_user("staff")
    person = evaluator("spec", scope="specific", origin="external")
    axes = list(cycle.general_catalogue.axes.values_list("code", flat=True)[:2])
    # when
    general = assignment_add(
        actor=staff,
        participation=participation(cycle, "AR-EF"),
        evaluator=demo_user("evaluator"),
        scope="general",
        axes=axes,
    )
    specific = assignment_add(
        actor=staff, participation=participation(cycle, "AR-EF"), evaluator=person, scope="specific"
    )
    # then
    assert (general.scope, general.origin, general.axes) == ("general", "internal", axes)
    assert (specific.scope, specific.origin, specific.axes) == ("specific", "external", [])
    assert len(axes) == 2


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("wrong_scope", "not_an_evaluator"),
        ("conflict", "conflict_of_interest"),
        ("duplicate", "duplicate"),
        ("unknown_axis", "unknown_axes"),
        ("other_province", "not_an_evaluator"),
    ],
)
def test_refused_assignments_change_nothing(demo, demo_user, case, code):
    # given
    cycle = open_cycle()
    staff = demo_user("staff")
    target = participation(cycle, "AR-ED")
    person, scope, axes = demo_user("evaluator"), "general", []
    if case == "wrong_scope":
        scope = "specific"
    elif case == "conflict":
        person = evaluator("own", works_for="AR-ED")
    elif case == "duplicate":
        assignment_add(actor=staff, participation=target, evaluator=person, scope=scope)
    elif case == "unknown_axis":
        axes = ["no-such-axis"]
    elif case == "other_province":
        person = evaluator("ilam-eval", province="ilam")
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        assignment_add(actor=staff, participation=target, evaluator=person, scope=scope, axes=axes)
    # then
    assert refused.value.code == code
    assert state() == before


@pytest.mark.parametrize("username", ["evaluator", "agency", "hq"])
def test_only_staff_assign(demo, demo_user, username):
    # given
    cycle = open_cycle()
    before = state()
    # when
    with pytest.raises(Forbidden):
        assignment_add(
            actor=demo_user(username),
            participation=participation(cycle, "AR-EF"),
            evaluator=demo_user("evaluator"),
            scope="general",
        )
    # then
    assert state() == before


def test_staff_of_another_province_may_not_assign(demo, demo_user):
    # given
    cycle = open_cycle()
    ilam_staff = user_with_role(Role.STAFF, province=Province.objects.get(code="ilam"))
    before = state()
    # when
    with pytest.raises(Forbidden):
        assignment_add(
            actor=ilam_staff,
            participation=participation(cycle, "AR-EF"),
            evaluator=demo_user("evaluator"),
            scope="general",
        )
    # then
    assert state() == before


def test_removal_keeps_the_row_and_needs_a_reason(demo, demo_user):
    # given
    cycle = open_cycle()
    staff = demo_user("staff")
    made = assignment_add(
        actor=staff,
        participation=participation(cycle, "AR-EF"),
        evaluator=demo_user("evaluator"),
        scope="general",
    )
    before = state()
    # when
    with pytest.raises(DomainError):
        assignment_remove(actor=staff, assignment=made, reason="  ")
    assert state() == before
    removed = assignment_remove(actor=staff, assignment=made, reason="جابه‌جایی")
    # then
    assert removed.removed_at is not None
    assert Assignment.objects.filter(pk=made.pk).exists()
    again = assignment_add(
        actor=staff,
        participation=participation(cycle, "AR-EF"),
        evaluator=demo_user("evaluator"),
        scope="general",
    )
    assert again.pk != made.pk


def test_applying_a_suggestion_is_all_or_nothing(demo, demo_user):
    # given: a proposal made before one of its evaluators declared a conflict
    cycle = open_cycle()
    staff = demo_user("staff")
    proposal = suggest(cycle, "general").pairs
    late = proposal[-1]
    conflict_declare(actor=staff, evaluator=late[1], agency=late[0].agency, reason="خویشاوندی")
    before = state()
    # when
    with pytest.raises(DomainError) as refused:
        assignments_apply(actor=staff, cycle=cycle, scope="general", proposal=proposal)
    # then
    assert refused.value.code == "conflict_of_interest"
    assert state() == before


def test_applying_a_suggestion_assigns_every_pair(demo, demo_user):
    # given
    cycle = open_cycle()
    proposal = suggest(cycle, "general").pairs
    # when
    made = assignments_apply(
        actor=demo_user("staff"), cycle=cycle, scope="general", proposal=proposal
    )
    # then
    assert len(made) == 4
    assert suggest(cycle, "general").pairs == []


def test_an_evaluator_declares_only_their_own_conflicts(demo, demo_user):
    # given
    person = demo_user("evaluator")
    other = evaluator("other")
    agency = Agency.objects.get(code="AR-ED")
    before = state()
    # when
    with pytest.raises(Forbidden):
        conflict_declare(actor=person, evaluator=other, agency=agency, reason="x")
    # then
    assert state() == before
    assert RoleAssignment.objects.filter(user=other).count() == 1
