"""Saving answers: scored by the engine, versioned, idempotent, locked after the deadline."""

import datetime as dt

import pytest
import time_machine

from karnameh.assessments.models import Answer
from karnameh.assessments.selectors import workspace
from karnameh.assessments.services import Conflict, answer_save, participation_extend
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import DomainError, Forbidden
from karnameh.cycles.models import AssessmentState
from karnameh.cycles.tests.builders import after_step, open_cycle, participation, step_day

COMPLAINTS = {"fields": {"received": "۲۰۰", "handled": "۱۱۹"}}


@pytest.fixture
def cycle(demo):
    return open_cycle()


def save(user, p, data=COMPLAINTS, version=0, key=None, code="6.4.1"):
    return answer_save(
        actor=user,
        participation=p,
        part="general",
        gauge_code=code,
        data=data,
        version=version,
        key=key,
    )


def test_saving_scores_with_the_engine_and_keeps_ascii_figures(cycle, demo_user):
    # given: the agency's participation during step 6
    p = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        # when: 119 of 200 complaints handled, typed with Persian digits
        result = save(demo_user("agency"), p)
    # then: 59.5% is in the middle band: half of 7
    answer = Answer.objects.get(participation=p, gauge_code="6.4.1")
    assert answer.data == {"fields": {"received": 200, "handled": 119}}
    assert str(answer.score) == "3.50" and result["version"] == 1
    p.refresh_from_db()
    assert p.state == AssessmentState.DRAFT
    assert AuditEvent.objects.filter(action="answer.save", target_id=str(answer.pk)).count() == 1


def test_a_second_editor_on_an_old_version_gets_a_conflict_with_both_answers(cycle, demo_user):
    # given: the agency user saved version 1
    p = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        save(demo_user("agency"), p)
        # when: the office, who opened the gauge at version 0, saves other figures
        with pytest.raises(Conflict) as refused:
            save(demo_user("office"), p, data={"fields": {"received": 10, "handled": 1}})
    # then: nothing was overwritten, and both answers are in the refusal
    assert refused.value.theirs["data"] == {"fields": {"received": 200, "handled": 119}}
    assert refused.value.mine["data"] == {"fields": {"received": 10, "handled": 1}}
    assert "مریم کریمی" in refused.value.message
    answer = Answer.objects.get(participation=p, gauge_code="6.4.1")
    assert answer.version == 1 and answer.data["fields"]["received"] == 200


def test_a_retried_save_with_the_same_key_is_applied_once(cycle, demo_user):
    p = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        # given: a save that reached the server but whose answer was lost
        first = save(demo_user("agency"), p, key="k-1")
        # when: the browser sends it again, same key and same starting version
        again = save(demo_user("agency"), p, key="k-1")
    # then: the same answer comes back, flagged as a replay; one version, one audit event
    assert again["replayed"] is True and again["version"] == first["version"] == 1
    assert AuditEvent.objects.filter(action="answer.save").count() == 1


def test_entry_is_locked_after_the_deadline_until_an_extension(cycle, demo_user):
    p = participation(cycle, "AR-ED")
    with time_machine.travel(after_step(cycle, 6), tick=False):
        # when: a save one minute after the end of step 6
        with pytest.raises(DomainError) as refused:
            save(demo_user("agency"), p)
        # then: refused, saying until when it was open, and nothing saved
        assert "۱۴۰۳/۰۴/۱۲" in refused.value.message
        assert not Answer.objects.exists()
        # when: staff grant a week's extension
        participation_extend(
            actor=demo_user("staff"),
            participation=p,
            until=after_step(cycle, 6, minutes=7 * 24 * 60),
            reason="قطعی سامانهٔ دستگاه",
        )
        p.refresh_from_db()
        # then: the agency can save again
        assert save(demo_user("agency"), p)["version"] == 1


def test_only_the_agency_itself_edits_and_bad_figures_name_the_field(cycle, demo_user):
    p = participation(cycle, "AR-ED")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        for name in ("hq", "staff", "evaluator"):
            with pytest.raises(Forbidden):
                save(demo_user(name), p)
        with pytest.raises(DomainError) as refused:
            save(demo_user("agency"), p, data={"fields": {"received": "دویست"}})
    assert "شکایات دریافت شده" in refused.value.message
    assert not Answer.objects.exists()


def test_the_workspace_prefills_last_years_figures(demo, demo_user):
    # given: last year's cycle where AR-ED answered 3.1.1 with 120 posts
    old = open_cycle(year=1402, start=dt.date(2023, 3, 21))
    p_old = participation(old, "AR-ED")
    with time_machine.travel(step_day(old, 6), tick=False):
        save(demo_user("agency"), p_old, code="3.1.1", data={"fields": {"posts": 120}})
    new = open_cycle(year=1403)
    # when: this year's workspace is built
    row = workspace(participation(new, "AR-ED")).row("general", "3.1.1")
    # then: "posts at the end of last year" is offered as 120
    assert row is not None and row.prefill == {"posts_previous": 120}
