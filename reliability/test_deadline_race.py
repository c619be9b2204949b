"""The deadline race: a thousand agencies submit at once while staff close the step.

32 client threads send 1,000 final submissions over HTTP to a live gunicorn (production
settings, sync workers), one per agency, each with the agency's own API token. After a random
number of them were answered, another thread closes the self-assessment step through the staff's
API (``PUT /api/v1/cycles/{pk}/steps``: step 6 now ended yesterday). Every submission is then
exactly one of: accepted (200, a receipt, stored with its audit event, committed before the step
closed) or refused (400 ``locked``, nothing changed). Nothing is lost, nothing errs.

Commit order is read from the audit chain: writers take the chain's lock in turn and hold it to
their commit, so the events' numbers are the order in which the changes committed.
"""

# Random moments and choices for a test, not secrets.
# ruff: noqa: S311

import datetime as dt
import random
import threading
import time
from queue import Empty, SimpleQueue
from typing import Any

from django.utils import timezone

from karnameh.accounts.models import User
from karnameh.audit.models import AuditEvent
from karnameh.audit.services import verify_chain
from karnameh.cycles.models import AssessmentState, Participation, Step
from karnameh.cycles.steps import SELF_ASSESSMENT

from .live import Member, Reply, call, crowd, open_now, tokens_for

SUBMISSIONS = 1000
THREADS = 32
WORKERS = 4


def submit_all(url: str, cycle: int, members: list[Member], flip_after: int, flip: Any) -> dict:
    """Every member's submission from THREADS threads; ``flip`` runs once ``flip_after`` of
    them were answered. The replies (or the transport error) by participation."""
    todo: SimpleQueue[Member] = SimpleQueue()
    for member in members:
        todo.put(member)
    replies: dict[int, Reply | OSError] = {}
    lock, due = threading.Lock(), threading.Event()

    def submitter() -> None:
        while True:
            try:
                member = todo.get_nowait()
            except Empty:
                return
            path = f"/api/v1/assessments/{cycle}/{member.agency}/transitions/submit"
            try:
                reply: Reply | OSError = call(
                    url, "POST", path, token=member.token, body={"version": 0}
                )
            except OSError as error:
                reply = error
            with lock:
                replies[member.participation] = reply
                if len(replies) >= flip_after:
                    due.set()

    def flipper() -> None:
        due.wait()
        flip()

    threads = [threading.Thread(target=submitter) for _ in range(THREADS)]
    threads.append(threading.Thread(target=flipper))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return replies


def test_a_thousand_submissions_racing_the_deadline(gunicorn, demo, figures):
    # given: 1,000 agencies of an open cycle, each with a token, and a live server
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    cycle = open_now()
    members = crowd(cycle, SUBMISSIONS)
    (staff,) = tokens_for([User.objects.get(username="staff")])
    step = Step.objects.get(cycle=cycle, number=SELF_ASSESSMENT)
    server = gunicorn(workers=WORKERS)
    server.wait_ready(staff)
    flip_after = rng.randint(SUBMISSIONS // 5, SUBMISSIONS * 4 // 5)
    closing: dict[str, Reply] = {}

    def close_the_step() -> None:
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        body = {
            "steps": [
                {
                    "number": SELF_ASSESSMENT,
                    "planned_start": str(step.planned_start),
                    "planned_end": str(yesterday),
                }
            ],
            "reason": "پایان مهلت",
        }
        closing["reply"] = call(
            server.url, "PUT", f"/api/v1/cycles/{cycle.pk}/steps", token=staff, body=body
        )

    # when: 32 threads submit all of them; the step closes after a random number of answers
    started = time.monotonic()
    replies = submit_all(server.url, cycle.pk, members, flip_after, close_the_step)
    elapsed = time.monotonic() - started

    # then: every submission was answered, none with a server error
    assert closing["reply"].status == 200, closing["reply"].body
    closed_at = closing["reply"].received
    dropped = [pk for pk, r in replies.items() if isinstance(r, OSError)]
    assert len(replies) == SUBMISSIONS and dropped == [], f"no answer: {len(dropped)}"
    answered: dict[int, Reply] = {pk: r for pk, r in replies.items() if isinstance(r, Reply)}
    server_errors = [r.status for r in answered.values() if r.status >= 500]
    assert server_errors == [], f"seed {seed}"
    # and: each is exactly one of accepted (with a receipt) or refused by the deadline
    accepted = {pk: r for pk, r in answered.items() if r.status == 200 and r.body.get("receipt")}
    refused = {
        pk: r for pk, r in answered.items() if r.status == 400 and r.body.get("code") == "locked"
    }
    others = {r.status for pk, r in answered.items() if pk not in accepted and pk not in refused}
    assert others == set() and len(accepted) + len(refused) == SUBMISSIONS
    assert accepted and refused, f"the step closed outside the run (seed {seed})"
    # and: every acknowledged submission is stored with its receipt and its audit event
    rows = Participation.objects.in_bulk([m.participation for m in members])
    events = {
        int(e.target_id): e
        for e in AuditEvent.objects.filter(
            action="assessment.submit", target_id__in=[str(pk) for pk in rows]
        )
    }
    assert set(events) == set(accepted), (
        "an acknowledged submission lost, or an unacknowledged one kept"
    )
    for pk, reply in accepted.items():
        row = rows[pk]
        assert row.state == AssessmentState.SUBMITTED and row.submitted_at is not None
        assert row.receipt == reply.body["receipt"]
        assert events[pk].changes["receipt"] == [None, row.receipt]
    # and: none of them committed after the step closed, in commit order and in time
    closed = AuditEvent.objects.get(action="cycle.step_update", target_id=str(cycle.pk))
    late = [pk for pk in accepted if events[pk].pk > closed.pk]
    assert late == [], f"{len(late)} accepted after the step closed (seed {seed})"
    times = [rows[pk].submitted_at for pk in accepted]
    assert all(at is not None and at < closed.at for at in times)
    sent_after = [pk for pk, r in answered.items() if r.sent > closed_at]
    assert all(pk in refused for pk in sent_after)
    # and: a refused submission changed nothing
    for pk in refused:
        row = rows[pk]
        assert (row.state, row.version, row.receipt, row.submitted_at) == (
            AssessmentState.NOT_STARTED,
            0,
            "",
            None,
        )
    assert verify_chain() is None
    in_flight = sum(1 for pk in accepted if accepted[pk].received > closing["reply"].sent)
    figures(
        f"deadline race: {SUBMISSIONS} submissions, {THREADS} threads, {WORKERS} sync workers, "
        f"step closed after {flip_after} answers: {len(accepted)} accepted, {len(refused)} "
        f"refused, {in_flight} accepted after the closing was sent, 0 late, 0 lost, "
        f"0 errors; {elapsed:.1f} s ({SUBMISSIONS / elapsed:.0f} submissions/s); seed {seed}"
    )
