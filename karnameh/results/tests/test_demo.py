"""The demo's evaluated cycles: 1402 in its objection window, 1401 approved and published."""

from typing import Any

from django.test import Client
from django.utils import timezone

from karnameh.accounts.models import User
from karnameh.cycles.models import Cycle
from karnameh.evaluations.final import scorecard
from karnameh.evaluations.models import Assignment, Review
from karnameh.inquiries.models import Inquiry
from karnameh.objections.models import Objection
from karnameh.results.demo import (
    BANDS,
    EARLIER,
    NOMINEES,
    OBJECTIONS,
    PUBLISHED,
    UNANSWERED,
    load_demo_evaluations,
)
from karnameh.results.models import Approval, BonusBand, Nomination, Release, Result
from karnameh.results.ranking import standings
from karnameh.results.readiness import readiness


def test_the_demo_has_both_halves_of_the_second_half(demo: Any) -> None:
    added = load_demo_evaluations()
    assert added > 0
    assert load_demo_evaluations() == 0  # safe to run again
    window = Cycle.objects.get(year=OBJECTIONS)
    published = Cycle.objects.get(year=PUBLISHED)
    # 1402: today is inside the objection window; AR-HE's evaluator is still at work.
    state = readiness(window)
    assert state.window_open
    blocked = {row.participation.agency.code for row in state.blocked}
    assert "AR-HE" in blocked
    assert (
        Assignment.objects.filter(participation__cycle=window, approved_at__isnull=True).count()
        == 1
    )
    ed = window.participations.get(agency__code="AR-ED")
    assert Review.objects.filter(participation=ed).exclude(deficiencies="").exists()
    card = scorecard(ed)
    general = card.part("general")
    assert general is not None and general.sources
    # 1402: the inquiries went out at the start of step 8; three are overdue.
    overdue = Inquiry.objects.filter(cycle=window, state="sent", due_at__lt=timezone.now())
    assert {(i.participation.agency.code, i.topic.body.code) for i in overdue} == UNANSWERED
    welfare = Inquiry.objects.filter(cycle=window, state="answered", topic__body__code="welfare")
    assert welfare.exists() and all(i.answered_by.username == "assessor" for i in welfare)
    assert not Inquiry.objects.filter(cycle=published, state="sent").exists()
    # 1402: objections in every state, one of them brought in person.
    states = dict(
        Objection.objects.filter(participation__cycle=window).values_list(
            "participation__agency__code", "state"
        )
    )
    assert states == {
        "AR-ED": "filed",
        "AR-WEL": "routed",
        "AR-TAX": "accepted",
        "AR-CUS": "rejected",
    }
    tax = window.participations.get(agency__code="AR-TAX")
    assert "objection" in scorecard(tax).parts[0].sources.values()
    # 1401: approved by two people and published; the public ranking lists every agency.
    approvals = Approval.objects.filter(cycle=published, withdrawn_at__isnull=True)
    assert {a.stage for a in approvals} == {"deputy", "council"}
    assert len({a.approved_by_id for a in approvals}) == 2
    assert Release.objects.filter(cycle=published).exists()
    count = published.participations.count()
    assert Result.objects.filter(participation__cycle=published).count() == count
    page = Client().get(f"/results/{published.pk}/public/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="public-') == count + 1  # the table too
    assert Client().get(f"/results/{window.pk}/public/").status_code == 404
    staff = Client()
    staff.force_login(User.objects.get(username="staff"))
    assert staff.get(f"/results/{window.pk}/").status_code == 200
    # 1400 is published too, so 1401's ranking compares every agency with last year.
    earlier = Cycle.objects.get(year=EARLIER)
    assert Release.objects.filter(cycle=earlier).exists()
    rows = standings(published)
    assert len(rows) == count and all(r.previous is not None for r in rows)
    assert any(r.change != 0 for r in rows)
    # 1401's bonus table gives every agency a coefficient; the festival honours two per type.
    assert BonusBand.objects.filter(cycle=published).count() == len(BANDS)
    assert all(r.bonus is not None for r in rows)
    assert all(r.peer_rank <= 2 for r in rows if r.festival)
    nominated = Nomination.objects.filter(participation__cycle=published)
    assert {n.full_name for n in nominated} == {n[2] for n in NOMINEES}
