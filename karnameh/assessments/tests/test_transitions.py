"""Who may move a self-assessment where: every transition × every demo role × its source states.

The expected roles are written out here, not derived from the workflow table, so that a change
to the table shows up as a failing test. Refusals change nothing: state, version, audit log.
"""

from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from karnameh.assessments.services import assessment_transition
from karnameh.audit.models import AuditEvent
from karnameh.common.errors import Forbidden
from karnameh.cycles.models import AssessmentState as S
from karnameh.cycles.models import Participation
from karnameh.cycles.tests.builders import open_cycle, participation, step_day
from karnameh.files.tests.corpus import pdf

ROLES = (
    "admin",
    "staff",
    "evaluator",
    "agency",
    "office",
    "hq",
    "assessor",
    "deputy",
    "council",
    "national",
)
# Roles that do not see AR-ED's self-assessment at all: pages and API answer 404.
BLIND = {"evaluator", "assessor"}

# AR-ED is a provincial unit with the HQ «ED» above it.
ALLOWED = {
    "submit": {"agency", "office"},
    "withdraw": {"agency", "office"},
    "office_approve": {"office"},
    "office_return": {"office"},
    "office_revoke": {"office"},
    "hq_approve": {"hq"},
    "hq_return": {"hq"},
    "hq_revoke": {"hq"},
    "transfer": {"hq"},
    "return_transfer": {"admin", "staff"},
}
SOURCES = {
    "submit": (S.NOT_STARTED, S.DRAFT),
    "withdraw": (S.SUBMITTED,),
    "office_approve": (S.SUBMITTED,),
    "office_return": (S.SUBMITTED,),
    "office_revoke": (S.OFFICE_APPROVED,),
    "hq_approve": (S.OFFICE_APPROVED,),
    "hq_return": (S.OFFICE_APPROVED,),
    "hq_revoke": (S.HQ_APPROVED,),
    # From the council's approval only where there is no HQ above: never for AR-ED.
    "transfer": (S.HQ_APPROVED, S.OFFICE_APPROVED),
    "return_transfer": (S.TRANSFERRED,),
}
TARGETS = {
    "submit": S.SUBMITTED,
    "withdraw": S.DRAFT,
    "office_approve": S.OFFICE_APPROVED,
    "office_return": S.DRAFT,
    "office_revoke": S.SUBMITTED,
    "hq_approve": S.HQ_APPROVED,
    "hq_return": S.DRAFT,
    "hq_revoke": S.OFFICE_APPROVED,
    "transfer": S.TRANSFERRED,
    "return_transfer": S.DRAFT,
}
NEEDS_REASON = {
    "withdraw",
    "office_return",
    "office_revoke",
    "hq_return",
    "hq_revoke",
    "return_transfer",
}


def minutes_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("صورتجلسه.pdf", pdf(), content_type="application/pdf")


def at_state(p: Participation, state: str) -> Participation:
    """Put the participation in ``state`` directly, as if the earlier steps had been taken."""
    Participation.objects.filter(pk=p.pk).update(state=state)
    p.refresh_from_db()
    return p


def snapshot(p: Participation) -> tuple:
    row = Participation.objects.get(pk=p.pk)
    return (row.state, row.version, row.receipt, AuditEvent.objects.count())


def move(user, p, name, **extra):
    kwargs: dict[str, Any] = {"reason": "یادداشت" if name in NEEDS_REASON else ""}
    if name == "office_approve":
        kwargs["minutes"] = minutes_file()
    kwargs.update(extra)
    return assessment_transition(actor=user, participation=p, name=name, **kwargs)


def matrix() -> list:
    return [
        pytest.param(name, source, role, id=f"{name}-{source}-{role}")
        for name, sources in SOURCES.items()
        for source in sources
        for role in ROLES
    ]


@pytest.fixture
def cycle(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return open_cycle()


@pytest.mark.parametrize(("name", "source", "role"), matrix())
def test_each_role_may_take_exactly_its_transitions(cycle, demo_user, name, source, role):
    # given: AR-ED's self-assessment in the source state, during step 6
    p = at_state(participation(cycle, "AR-ED"), source)
    allowed = role in ALLOWED[name] and not (name == "transfer" and source == S.OFFICE_APPROVED)
    before = snapshot(p)
    with time_machine.travel(step_day(cycle, 6), tick=False):
        if allowed:
            # when: a role the table names takes it
            result = move(demo_user(role), p, name)
            # then: one step on, one version up, one audit event
            assert result["state"] == TARGETS[name]
            after = Participation.objects.get(pk=p.pk)
            assert (after.state, after.version) == (TARGETS[name], before[1] + 1)
            assert AuditEvent.objects.filter(action=f"assessment.{name}").count() == 1
        else:
            # when: any other role tries
            with pytest.raises(Forbidden):
                move(demo_user(role), p, name)
            # then: refused, and nothing changed
            assert snapshot(p) == before


@pytest.mark.parametrize(
    ("name", "source"), [(n, s) for n, sources in SOURCES.items() for s in sources]
)
def test_pages_refuse_other_roles_with_403_or_404_and_change_nothing(
    cycle, demo_user, name, source
):
    # given
    p = at_state(participation(cycle, "AR-ED"), source)
    before = snapshot(p)
    url = f"/assessments/{cycle.pk}/AR-ED/act/{name}/"
    denied = [
        r
        for r in ROLES
        if r not in ALLOWED[name] or (name == "transfer" and source != S.HQ_APPROVED)
    ]
    with time_machine.travel(step_day(cycle, 6), tick=False):
        for role in denied:
            client = Client()
            client.force_login(demo_user(role))
            # when
            response = client.post(url, {f"{name}-version": p.version, f"{name}-reason": "x"})
            # then: not seen → 404; seen but not theirs → 403; nothing changed
            expected = 404 if role in BLIND else 403
            if response.status_code == 302:
                # The role may take this transition, just not from this state: refused too.
                assert name == "transfer" and role == "hq"
            else:
                assert response.status_code == expected, role
            assert snapshot(p) == before
