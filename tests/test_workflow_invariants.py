"""Issue 7, item 2: random actions by random roles across the whole cycle, and what must hold.

A hypothesis state machine (tests/workflow_machine/) drives the real services, the functions
the pages and the API call, on one agency's cycle from the first answer to the release:
answers and evidence, every self-assessment move, extensions, the evaluator's scores and
initial approval and its return, inquiries and their corrections, objections filed, recorded,
withdrawn, routed and decided, the deputy's and the council's approvals, reopening,
publication, and a frozen clock moved forward past the deadlines. Each action is fired by a
user drawn from every role: the right one two times in three, otherwise anyone, of the wrong
role, province, agency or body, or the one person who is both deputy and council member.

After each action the model says whether the workflow allows it for that state, role and time.
A refused action must raise a domain error (or 403/404) and leave every row as it was; an
allowed one must succeed, change only its own kinds of rows and write the audit. After every
step:

- the database says what the model says (states, answers, scores, approvals, the release);
- no state is reached outside the transition tables;
- nothing is edited after its lock: answers after the entry deadline, scores after the
  evaluation's deadline or the initial approval, anything after the deputy's final approval
  (the model refuses those, so a success fails the test);
- nothing is published without the deputy's and the council's approvals, given by two
  different people;
- no score is seen by an unentitled role before the release: ``scores.view`` for every user,
  the public ranking's and the portal's selectors, and random pages and API answers requested
  as a random outsider.

Each example starts from the same base state, built once; each runs in a savepoint rolled back
at its end. ``HYPOTHESIS_PROFILE=reliability`` runs ten times as many examples, longer.
"""

import os
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
from hypothesis.stateful import run_state_machine_as_test

from karnameh.accounts.models import User
from karnameh.assessments.services import answer_save, assessment_transition
from karnameh.common.errors import DomainError
from karnameh.results.readiness import readiness
from karnameh.results.services import final_approve
from tests.workflow_machine.base import Base, build_base
from tests.workflow_machine.model import LOCKED, TALLY
from tests.workflow_machine.rows import snapshot
from tests.workflow_machine.workflow import Workflow

# Random is the point: no derandomize. A failure prints the blob that replays it
# (@reproduce_failure); nothing is written to the checkout (database=None).
hypothesis.settings.register_profile(
    "workflow",
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    print_blob=True,
    database=None,
)
hypothesis.settings.register_profile(
    "workflow-reliability",
    max_examples=300,
    stateful_step_count=40,
    deadline=None,
    print_blob=True,
    database=None,
)
PROFILE = (
    "workflow-reliability" if os.environ.get("HYPOTHESIS_PROFILE") == "reliability" else "workflow"
)


@pytest.fixture
def base(demo: Any, settings: Any, tmp_path: Any) -> Base:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return build_base()


@pytest.fixture
def machine(base: Base) -> Iterator[Workflow]:
    """One example of the machine, for the tests that walk a fixed way."""
    Workflow.base = base
    state = Workflow()
    yield state
    state.teardown()


def test_random_actions_by_random_roles_keep_the_workflow_invariants(base: Base) -> None:
    # given: the base state; every example starts from it, in a savepoint
    Workflow.base = base
    TALLY.clear()
    # when: random actions by random users, each held to the workflow (see the docstring)
    run_state_machine_as_test(Workflow, settings=hypothesis.settings.get_profile(PROFILE))
    # then: nothing broke, and the run went everywhere it had to: the release, edits tried
    # after the deputy's lock, and wrong roles refused for that reason alone
    assert TALLY[("publication", "done")] > 0, TALLY
    assert TALLY[("probe", LOCKED)] > 0, TALLY
    wrong_role = [
        why for kind, why in TALLY if kind == "probe" and ("only" in why or " is for " in why)
    ]
    assert wrong_role, TALLY


def test_the_self_assessment_cannot_go_back_once_the_results_are_published(
    machine: Workflow,
) -> None:
    # given: AR-ED transferred, scored, approved by the deputy and the council, published
    machine.fast_forward(depth=40, late=False, hops=0)
    assert machine.m.released and machine.m.state == "transferred"
    before = snapshot()
    # when: staff return it to the agency
    with pytest.raises(DomainError) as refused:
        assessment_transition(
            actor=User.objects.get(username="staff"),
            participation=machine.p(),
            name="return_transfer",
            reason="بازگشت برای اصلاح",
        )
    # then
    assert refused.value.code == "scores_locked"
    assert snapshot() == before
    machine.everything_holds()


def test_an_extension_after_the_final_approval_does_not_reopen_the_self_assessment(
    machine: Workflow,
) -> None:
    # given: an agency that never submitted, the deputy's final approval, then an extension
    machine.fast_forward(depth=3, late=True, hops=0)
    assert machine.m.deputy == "deputy" and machine.m.state == "not_started"
    machine.extend(actor="staff", days=20, reason=True)
    agency = User.objects.get(username="agency")
    before = snapshot()
    # when: the agency answers and submits within its new deadline
    with pytest.raises(DomainError) as answered:
        answer_save(
            actor=agency,
            participation=machine.p(),
            part="general",
            gauge_code="1.1.1",
            data={"score": "10"},
            version=0,
        )
    with pytest.raises(DomainError) as submitted:
        assessment_transition(actor=agency, participation=machine.p(), name="submit")
    # then: both refused, nothing changed
    assert answered.value.code == "locked"
    assert submitted.value.code == "scores_locked"
    assert snapshot() == before
    machine.everything_holds()


def test_no_final_approval_of_a_score_below_a_self_score_raised_after_the_initial_approval(
    machine: Workflow,
) -> None:
    # given: the evaluator approved scores above the agency's (no notes needed); staff sent
    # the self-assessment back, the agency raised 1.1.1 to 10 and transferred it again
    walk = machine
    for code in ("1.1.1", "1.1.2", "1.2.1"):
        walk.answer("agency", code, 0, stale=False)
    for name, who in (("submit", "agency"), ("office_approve", "office"), ("hq_approve", "hq")):
        walk.take(name, who, reason=False, minutes=True, seen="none")
    walk.take("transfer", "hq", reason=False, minutes=False, seen="none")
    walk.send_inquiries("staff")
    walk.answer_inquiry("assessor", False, 1, False, False)
    walk.review("evaluator", "1.1.1", 0, False, False)  # 1.35, above the self-score 0
    walk.review("evaluator", "1.1.2", 0, False, False)
    walk.initial_approval("evaluator")
    walk.take("return_transfer", "staff", reason=True, minutes=False, seen="none")
    walk.answer("agency", "1.1.1", 4, stale=False)  # 10
    for name, who in (("submit", "agency"), ("office_approve", "office"), ("hq_approve", "hq")):
        walk.take(name, who, reason=False, minutes=True, seen="none")
    walk.take("transfer", "hq", reason=False, minutes=False, seen="none")
    walk.advance(walk.base.closes(9))
    before = snapshot()
    # when: the deputy gives the final approval
    with pytest.raises(DomainError) as refused:
        final_approve(actor=User.objects.get(username="deputy"), cycle=walk.cycle())
    # then: refused, naming the gauge; nothing fixed
    assert refused.value.code == "not_ready"
    assert readiness(walk.cycle()).agencies[0].unnoted == ["1.1.1"]
    assert snapshot() == before
    # and the way out: staff return the part, the evaluator writes the notes (an extension
    # reopens step 8 for the agency), approves again, and the deputy's approval goes through
    walk.return_part("staff", reason=True)
    walk.extend("staff", days=5, reason=True)
    walk.review("evaluator", "1.1.1", 0, True, False)
    walk.initial_approval("evaluator")
    walk.final_approval("deputy")
    assert walk.m.deputy == "deputy"
    walk.everything_holds()
