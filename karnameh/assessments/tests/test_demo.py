"""The demo cycle leaves agencies in every state of the self-assessment, and loads once."""

from django.utils import timezone

from karnameh.assessments.demo import load_demo_cycle
from karnameh.assessments.models import Answer
from karnameh.assessments.selectors import workspace
from karnameh.assessments.services import entry_lock
from karnameh.cycles.deadlines import deadline
from karnameh.cycles.models import AssessmentState, Participation


def test_the_demo_cycle_has_every_state_and_is_open_for_entry(demo):
    # when
    added = load_demo_cycle()
    # then: every Ardabil provincial unit takes part, in every state of the workflow
    assert added == 25
    states = set(Participation.objects.values_list("state", flat=True))
    assert states == set(AssessmentState.values)
    # the agency user's own agency is half done and still open for entry
    p = Participation.objects.select_related("cycle", "agency").get(agency__code="AR-ED")
    assert entry_lock(p) is None
    assert not deadline(p, 6).passed(timezone.now())
    space = workspace(p)
    assert 20 < space.answered < space.total
    transferred = Participation.objects.get(agency__code="AR-AG")
    assert transferred.transferred_at is not None and transferred.office_minutes is not None
    assert Answer.objects.filter(participation=transferred).count() > 90
    # and loading again adds nothing
    assert load_demo_cycle() == 0
